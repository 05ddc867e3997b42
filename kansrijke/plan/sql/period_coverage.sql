-- Per year (newest first): how many municipalities have at least one usable figure (not withdrawn), out of all
-- municipalities; for some indicators ($indicators) or, with an empty list, for any indicator. The default
-- period is the newest year whose share reaches periods.min_coverage (plan.overview.default_period).
SELECT v.period,
       count(DISTINCT v.municipality_code)       AS covered,
       (SELECT count(*) FROM municipalities)     AS total
FROM indicator_values AS v
WHERE v.data_status <> 'ingetrokken'
  AND (v.value IS NOT NULL OR v.numerator IS NOT NULL)
  AND (len($indicators) = 0 OR list_contains($indicators, v.indicator_id))
GROUP BY v.period
ORDER BY v.period DESC
