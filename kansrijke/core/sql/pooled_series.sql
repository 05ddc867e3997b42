-- Per indicator and period: numerators and denominators summed over a set of municipalities
-- (regional figures are pooled, never averaged), plus the mean value for indicators without counts.
SELECT indicator_id,
       period,
       sum(numerator)::BIGINT    AS numerator,
       sum(denominator)::BIGINT  AS denominator,
       avg(value)                AS mean_value,
       count(*)                  AS municipalities,
       count(numerator)          AS with_counts,
       max(reference_date)       AS reference_date,
       min(source)               AS source,
       CASE WHEN bool_or(data_status = 'voorlopig') THEN 'voorlopig'
            WHEN bool_or(data_status = 'herzien') THEN 'herzien'
            ELSE 'definitief' END AS data_status
FROM indicator_values
WHERE list_contains($codes, municipality_code)
  AND list_contains($indicators, indicator_id)
  AND data_status <> 'ingetrokken'
GROUP BY indicator_id, period
ORDER BY indicator_id, period
