-- The most recent import that has not been undone.
SELECT id, file_name, imported_at FROM import_log WHERE outcome = 'geimporteerd' ORDER BY id DESC LIMIT 1
