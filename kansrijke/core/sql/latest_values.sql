-- Per municipality the latest published value of some indicators (for peer characteristics).
SELECT municipality_code, indicator_id, arg_max(value, period) AS value
FROM indicator_values
WHERE list_contains($indicators, indicator_id) AND data_status <> 'ingetrokken' AND value IS NOT NULL
GROUP BY municipality_code, indicator_id
