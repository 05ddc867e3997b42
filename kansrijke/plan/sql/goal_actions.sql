-- Every action of a coalition that is linked to a goal (for the markers on the goal's chart).
SELECT goal_id, action_date, title, status
FROM actions
WHERE coalition_id = $coalition_id AND goal_id IS NOT NULL AND status <> 'vervallen'
ORDER BY action_date
