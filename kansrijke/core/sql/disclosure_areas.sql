-- The areas whose figures the product publishes besides single municipalities: every coalition with more
-- than one member (a regional coalition's pooled figure), as its member set; and every municipality code
-- (their union is "Nederland").
SELECT 'regio' AS kind, c.coalition_id AS id, list(c.municipality_code ORDER BY c.municipality_code) AS members
FROM coalition_members c
GROUP BY c.coalition_id
HAVING count(*) > 1
UNION ALL
SELECT 'land', 'NL', list(code ORDER BY code)
FROM municipalities
