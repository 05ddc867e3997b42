-- What an import was, for the check on who may undo it: its kind and details (JSON: scope, access).
SELECT kind, details FROM import_log WHERE id = $id
