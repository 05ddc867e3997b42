-- Titles of the given goal ids (for readable audit trails).
SELECT id, title
FROM goals
WHERE list_contains(CAST($ids AS VARCHAR[]), id)
