-- Mark an import as undone.
UPDATE import_log SET outcome = 'ongedaan' WHERE id = $import_id
