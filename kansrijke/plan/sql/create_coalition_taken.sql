-- Which of the given municipalities already take part in a coalition (and which one), by name.
SELECT mu.code, mu.name, c.id AS coalition_id, c.name AS coalition_name
FROM coalition_members m
JOIN coalitions c ON c.id = m.coalition_id
JOIN municipalities mu ON mu.code = m.municipality_code
WHERE list_contains($codes, m.municipality_code)
ORDER BY mu.name
