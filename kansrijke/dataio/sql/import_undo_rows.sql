-- What one import wrote and replaced, per table.
SELECT table_name, new_keys, old_rows FROM import_undo WHERE import_id = $import_id ORDER BY table_name
