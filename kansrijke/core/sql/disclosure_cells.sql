-- The cells disclosure control protects, for the indicators $indicators: per municipality and period the event
-- count, or what gives it away: a value with its denominator (the caller turns value x denominator into the
-- implied count, or takes a value-only count as it is). Withdrawn rows are never published, so they are not
-- cells; a value without numerator or denominator reveals no count.
SELECT indicator_id, municipality_code, period, numerator, value, denominator
FROM indicator_values
WHERE list_contains($indicators, indicator_id)
  AND data_status <> 'ingetrokken'
  AND (numerator IS NOT NULL OR value IS NOT NULL)
ORDER BY indicator_id, municipality_code, period
