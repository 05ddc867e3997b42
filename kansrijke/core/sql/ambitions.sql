-- Ambitions of one coalition.
SELECT id, position, title, description, horizon_year
FROM ambitions
WHERE coalition_id = $coalition_id
ORDER BY position, id
