-- Results (outputs) of the coalitions $coalitions.
SELECT a.coalition_id, r.id, r.ambition_id, r.goal_id, r.title, r.target, r.realised, r.unit, r.due_date,
       r.updated_on
FROM results r
JOIN ambitions a ON a.id = r.ambition_id
WHERE list_contains($coalitions, a.coalition_id)
ORDER BY a.coalition_id, a.position, r.id
