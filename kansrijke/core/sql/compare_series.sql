-- One indicator, every municipality and period: the counts behind a trend of municipal rates
-- (pooling over periods is done afterwards, from these counts).
SELECT municipality_code AS code, period, numerator, denominator
FROM indicator_values
WHERE indicator_id = $indicator
  AND data_status <> 'ingetrokken'
  AND numerator IS NOT NULL AND denominator IS NOT NULL
ORDER BY period, municipality_code
