-- Rename a coalition.
UPDATE coalitions SET name = $name WHERE id = $id
