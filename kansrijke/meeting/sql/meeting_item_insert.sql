-- A decision or action of a meeting, after the meeting's last item.
INSERT INTO meeting_items (meeting_id, position, kind, text, action_id)
SELECT $meeting_id, coalesce(max(position), 0) + 1, $kind, $text, $action_id
FROM meeting_items
WHERE meeting_id = $meeting_id
