-- How many municipalities are loaded (0 means an empty database).
SELECT count(*) FROM municipalities
