-- The coalition a municipality takes part in (at most one row).
SELECT c.id, c.name, c.phase, c.start_date, c.trekker
FROM coalitions c
JOIN coalition_members m ON m.coalition_id = c.id
WHERE m.municipality_code = $code
ORDER BY c.start_date DESC NULLS LAST, c.id
LIMIT 1
