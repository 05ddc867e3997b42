-- The keys a backup is checked against before a restore (dataio/backup.py check_backup): primary keys and
-- unique constraints (no duplicates) and foreign keys (every value found in the referenced table).
SELECT table_name, constraint_type, constraint_column_names AS key_columns, referenced_table,
       referenced_column_names AS referenced_columns
FROM duckdb_constraints()
WHERE schema_name = 'main' AND constraint_type IN ('PRIMARY KEY', 'UNIQUE', 'FOREIGN KEY')
ORDER BY table_name, constraint_type, constraint_index
