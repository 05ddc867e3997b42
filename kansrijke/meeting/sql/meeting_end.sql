-- Close a meeting: when it ended and which slides were shown (JSON list of titles).
UPDATE meetings SET ended_at = $ended_at, shown = $shown WHERE id = $id
