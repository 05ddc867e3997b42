-- Per indicator and period: numerators and denominators summed over a set of municipalities
-- (regional figures are pooled, never averaged), plus what indicators and rows without counts need:
-- mean_value (the value itself for one municipality; the share of "ja" for yes/no), yes_count,
-- value_only (rows with a value but no numerator), their summed value (counts of "aantal") and, where
-- they have a denominator, their denominator-weighted value (an honest pooled rate without counts).
-- $hidden ('indicator|code|period') leaves out member figures the disclosure plan hides: a group (a set on
-- Vergelijken, peers) is pooled over published members only, so it adds nothing anyone could subtract.
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
            ELSE 'definitief' END AS data_status,
       count(*) FILTER (WHERE value >= 0.5)                                        AS yes_count,
       count(*) FILTER (WHERE numerator IS NULL AND value IS NOT NULL)             AS value_only,
       sum(value) FILTER (WHERE numerator IS NULL)                                 AS value_only_sum,
       count(*) FILTER (WHERE numerator IS NULL AND value IS NOT NULL AND denominator > 0) AS weighted_rows,
       sum(value * denominator) FILTER (WHERE numerator IS NULL AND denominator > 0) AS weighted_value,
       sum(denominator) FILTER (WHERE numerator IS NULL AND value IS NOT NULL AND denominator > 0)::BIGINT
                                                                                   AS weighted_denominator,
       sum(denominator) FILTER (WHERE numerator IS NOT NULL)::BIGINT               AS counted_denominator
FROM indicator_values
WHERE list_contains($codes, municipality_code)
  AND list_contains($indicators, indicator_id)
  AND data_status <> 'ingetrokken'
  AND NOT list_contains($hidden, indicator_id || '|' || municipality_code || '|' || CAST(period AS VARCHAR))
GROUP BY indicator_id, period
ORDER BY indicator_id, period
