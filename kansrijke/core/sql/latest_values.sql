-- Per municipality the latest published value of some indicators up to $period (all years when NULL), for peer
-- characteristics: peers of a year stay put when someone imports next year's figures.
SELECT municipality_code, indicator_id, arg_max(value, period) AS value
FROM indicator_values
WHERE list_contains($indicators, indicator_id) AND data_status <> 'ingetrokken' AND value IS NOT NULL
  AND ($period IS NULL OR period <= $period)
GROUP BY municipality_code, indicator_id
