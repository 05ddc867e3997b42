-- The cells disclosure control protects, for one indicator: per municipality and period the event count
-- (numerator). Withdrawn rows are never published, so they are not cells; value-only rows (no numerator)
-- reveal no count.
SELECT municipality_code, period, numerator::BIGINT AS numerator
FROM indicator_values
WHERE indicator_id = $indicator
  AND data_status <> 'ingetrokken'
  AND numerator IS NOT NULL
ORDER BY municipality_code, period
