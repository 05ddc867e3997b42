-- Every action of one coalition with the ambition of its goal (NULL for coalition-wide actions), for the
-- council summary's "wat is gedaan" and "wat komt".
SELECT a.id, a.action_date, a.title, a.status, a.goal_id, g.ambition_id
FROM actions a
LEFT JOIN goals g ON g.id = a.goal_id
WHERE a.coalition_id = $coalition_id
ORDER BY a.action_date, a.id
