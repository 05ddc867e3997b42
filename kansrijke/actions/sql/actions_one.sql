-- One action with every field (NULL row set when it does not exist).
SELECT a.id, a.coalition_id, a.action_date, a.title, a.description, a.owner, a.status, a.goal_id,
       a.principles, a.partners, a.level, a.created_at, a.version, g.title AS goal_title
FROM actions a
LEFT JOIN goals g ON g.id = a.goal_id
WHERE a.id = $id
