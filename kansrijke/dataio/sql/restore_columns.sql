-- The schema a backup is checked against before a restore (dataio/backup.py check_backup): every column of
-- every table, in table order, with its type and whether it is NOT NULL.
SELECT c.table_name, c.column_name, c.data_type, c.is_nullable = 'NO' AS required
FROM information_schema.columns c
JOIN information_schema.tables tb ON tb.table_schema = c.table_schema AND tb.table_name = c.table_name
WHERE c.table_schema = 'main' AND tb.table_type = 'BASE TABLE'
ORDER BY c.table_name, c.ordinal_position
