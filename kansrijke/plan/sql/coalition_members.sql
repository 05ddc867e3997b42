-- Members of one coalition with name and population.
SELECT mu.code, mu.name, mu.population, mu.province
FROM coalition_members m
JOIN municipalities mu ON mu.code = m.municipality_code
WHERE m.coalition_id = $coalition_id
ORDER BY mu.name
