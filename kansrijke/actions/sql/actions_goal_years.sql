-- Where attention goes: a coalition's actions (not 'vervallen') per goal and year ('' = no goal).
SELECT year(action_date) AS year, coalesce(goal_id, '') AS goal_id, count(*) AS actions
FROM actions
WHERE coalition_id = $coalition_id AND status <> 'vervallen'
GROUP BY ALL
ORDER BY year, goal_id
