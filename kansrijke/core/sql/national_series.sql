-- National figures per indicator and period: the national series (national_values) where one exists for
-- that period, else pooled over all municipalities (the same columns as pooled_series). Never both.
WITH pooled AS (
    SELECT indicator_id, period,
           sum(numerator)::BIGINT AS numerator, sum(denominator)::BIGINT AS denominator,
           avg(value) AS mean_value, count(*) AS municipalities, count(numerator) AS with_counts,
           max(reference_date) AS reference_date, min(source) AS source,
           CASE WHEN bool_or(data_status = 'voorlopig') THEN 'voorlopig'
                WHEN bool_or(data_status = 'herzien') THEN 'herzien'
                ELSE 'definitief' END AS data_status,
           count(*) FILTER (WHERE value >= 0.5) AS yes_count,
           count(*) FILTER (WHERE numerator IS NULL AND value IS NOT NULL) AS value_only,
           sum(value) FILTER (WHERE numerator IS NULL) AS value_only_sum,
           count(*) FILTER (WHERE numerator IS NULL AND value IS NOT NULL AND denominator > 0) AS weighted_rows,
           sum(value * denominator) FILTER (WHERE numerator IS NULL AND denominator > 0) AS weighted_value,
           sum(denominator) FILTER (WHERE numerator IS NULL AND value IS NOT NULL AND denominator > 0)::BIGINT
               AS weighted_denominator,
           sum(denominator) FILTER (WHERE numerator IS NOT NULL)::BIGINT AS counted_denominator,
           'gemeenten' AS basis
    FROM indicator_values
    WHERE list_contains($indicators, indicator_id) AND data_status <> 'ingetrokken'
    GROUP BY indicator_id, period
),
national AS (
    SELECT indicator_id, period, numerator, denominator, value AS mean_value,
           NULL::BIGINT AS municipalities, CASE WHEN numerator IS NULL THEN 0 ELSE 1 END AS with_counts,
           reference_date, source, data_status,
           CASE WHEN value >= 0.5 THEN 1 ELSE 0 END AS yes_count,
           CASE WHEN numerator IS NULL THEN 1 ELSE 0 END AS value_only,
           CASE WHEN numerator IS NULL THEN value END AS value_only_sum,
           0 AS weighted_rows, NULL::DOUBLE AS weighted_value, NULL::BIGINT AS weighted_denominator,
           CASE WHEN numerator IS NOT NULL THEN denominator END AS counted_denominator,
           'landelijk' AS basis
    FROM national_values
    WHERE list_contains($indicators, indicator_id) AND data_status <> 'ingetrokken'
)
SELECT * FROM national
UNION ALL
SELECT p.* FROM pooled p
WHERE NOT EXISTS (SELECT 1 FROM national n WHERE n.indicator_id = p.indicator_id AND n.period = p.period)
ORDER BY indicator_id, period
