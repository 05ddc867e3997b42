-- The given codes that are municipalities, with their names.
SELECT code, name
FROM municipalities
WHERE list_contains($codes, code)
