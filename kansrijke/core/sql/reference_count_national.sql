-- How many national figures are loaded (0 means none: install_facts may write them).
SELECT count(*) FROM national_values
