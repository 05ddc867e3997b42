-- The national series (table national_values) of the indicators $indicators for the periods $first..$last, one
-- row per indicator and period; withdrawn rows are left out. Vergelijken uses it as "Nederland" where it covers
-- the chosen period(s), else it pools over all municipalities.
SELECT indicator_id, period, value, numerator, denominator, source, data_status
FROM national_values
WHERE list_contains($indicators, indicator_id)
  AND period BETWEEN $first AND $last
  AND data_status <> 'ingetrokken'
ORDER BY indicator_id, period
