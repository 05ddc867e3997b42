-- Close a meeting: when it ended, which slides were shown (JSON list of titles) and who attended (as typed).
UPDATE meetings SET ended_at = $ended_at, shown = $shown, attendees = $attendees WHERE id = $id
