-- The position of a meeting's latest item.
SELECT max(position) FROM meeting_items WHERE meeting_id = $meeting_id
