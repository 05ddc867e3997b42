-- Goals of one coalition, with their ambition.
SELECT g.id, g.ambition_id, g.position, g.title, g.indicator_id, g.baseline_value, g.baseline_year,
       g.target_value, g.target_year, g.owner
FROM goals g
JOIN ambitions a ON a.id = g.ambition_id
WHERE a.coalition_id = $coalition_id
ORDER BY a.position, g.position, g.id
