-- Ambitions of the coalitions $coalitions (the progress engine reads many coalitions at once).
SELECT coalition_id, id, position, title, description, horizon_year
FROM ambitions
WHERE list_contains($coalitions, coalition_id)
ORDER BY coalition_id, position, id
