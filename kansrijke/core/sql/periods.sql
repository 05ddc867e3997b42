-- Periods (years) that have municipal indicator values, newest first.
SELECT DISTINCT period FROM indicator_values ORDER BY period DESC
