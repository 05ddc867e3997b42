-- The decisions and actions of a meeting, in order, with the action as it is now in the action log.
SELECT i.position, i.kind, i.text, i.action_id, a.action_date, a.owner, a.status, g.title AS goal_title
FROM meeting_items i
LEFT JOIN actions a ON a.id = i.action_id
LEFT JOIN goals g ON g.id = a.goal_id
WHERE i.meeting_id = $meeting_id
ORDER BY i.position
