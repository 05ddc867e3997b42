-- Results (outputs) of one coalition.
SELECT r.id, r.ambition_id, r.goal_id, r.title, r.target, r.realised, r.unit, r.due_date, r.updated_on
FROM results r
JOIN ambitions a ON a.id = r.ambition_id
WHERE a.coalition_id = $coalition_id
ORDER BY a.position, r.id
