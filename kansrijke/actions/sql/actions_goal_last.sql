-- Every goal of a coalition with its most recent action up to $today (not 'vervallen') and the number of
-- planned actions after $today: which goals got no attention lately?
SELECT g.id, g.title, am.title AS ambition_title, am.position AS ambition_position, g.position,
       max(x.action_date) FILTER (WHERE x.action_date <= $today) AS last_action,
       count(x.id) FILTER (WHERE x.action_date > $today) AS planned
FROM goals g
JOIN ambitions am ON am.id = g.ambition_id
LEFT JOIN actions x ON x.goal_id = g.id AND x.status <> 'vervallen'
WHERE am.coalition_id = $coalition_id
GROUP BY g.id, g.title, am.title, am.position, g.position
ORDER BY am.position, g.position, g.id
