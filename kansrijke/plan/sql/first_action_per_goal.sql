-- The date of the first action linked to each goal of one coalition (for the source-lag rule).
SELECT goal_id, min(action_date) AS first_date
FROM actions
WHERE coalition_id = $coalition_id AND goal_id IS NOT NULL AND status <> 'vervallen'
GROUP BY goal_id
