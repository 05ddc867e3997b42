-- What is due next: planned or running actions of a coalition from a date on, soonest first.
SELECT a.id, a.action_date, a.title, a.owner, a.status, a.goal_id, g.title AS goal_title, a.principles
FROM actions a
LEFT JOIN goals g ON g.id = a.goal_id
WHERE a.coalition_id = $coalition_id AND a.action_date > $after AND a.status IN ('gepland', 'lopend')
ORDER BY a.action_date, a.id
LIMIT $limit
