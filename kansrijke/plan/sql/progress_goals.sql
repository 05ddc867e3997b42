-- Goals of the coalitions $coalitions, with the date of each goal's first action that is not cancelled
-- (the source-lag rule of the progress engine).
WITH first_actions AS (
    SELECT coalition_id, goal_id, min(action_date) AS first_date
    FROM actions
    WHERE goal_id IS NOT NULL AND status <> 'vervallen' AND list_contains($coalitions, coalition_id)
    GROUP BY coalition_id, goal_id
)
SELECT a.coalition_id, g.id, g.ambition_id, g.position, g.title, g.indicator_id, g.baseline_value,
       g.baseline_year, g.target_value, g.target_year, g.owner, f.first_date
FROM goals g
JOIN ambitions a ON a.id = g.ambition_id
LEFT JOIN first_actions f ON f.goal_id = g.id AND f.coalition_id = a.coalition_id
WHERE list_contains($coalitions, a.coalition_id)
ORDER BY a.coalition_id, a.position, g.position, g.id
