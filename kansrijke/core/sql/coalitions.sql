-- Every coalition with its member codes and current phase.
SELECT c.id, c.name, c.phase, c.start_date, c.trekker,
       list(m.municipality_code ORDER BY m.municipality_code) AS members
FROM coalitions c
LEFT JOIN coalition_members m ON m.coalition_id = c.id
GROUP BY ALL
ORDER BY c.name
