-- National figures: pooled over all municipalities, or the national-only series.
SELECT indicator_id, period,
       sum(numerator)::BIGINT AS numerator, sum(denominator)::BIGINT AS denominator,
       avg(value) AS mean_value, count(*) AS municipalities, count(numerator) AS with_counts,
       max(reference_date) AS reference_date, min(source) AS source,
       CASE WHEN bool_or(data_status = 'voorlopig') THEN 'voorlopig' ELSE 'definitief' END AS data_status
FROM indicator_values
WHERE list_contains($indicators, indicator_id) AND data_status <> 'ingetrokken'
GROUP BY indicator_id, period
UNION ALL
SELECT indicator_id, period, numerator, denominator, value, NULL, NULL, reference_date, source, data_status
FROM national_values
WHERE list_contains($indicators, indicator_id)
ORDER BY indicator_id, period
