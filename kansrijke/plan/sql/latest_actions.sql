-- The most recent actions of a coalition up to a date (planned ones after it are excluded).
SELECT a.id, a.action_date, a.title, a.owner, a.status, a.goal_id, g.title AS goal_title, a.principles
FROM actions a
LEFT JOIN goals g ON g.id = a.goal_id
WHERE a.coalition_id = $coalition_id AND a.action_date <= $until
ORDER BY a.action_date DESC, a.id DESC
LIMIT $limit
