-- The import log, newest first.
SELECT id, imported_at, file_name, kind, imported_by, rows_added, rows_changed, rows_removed, outcome,
       content_hash, details
FROM import_log
ORDER BY id DESC
