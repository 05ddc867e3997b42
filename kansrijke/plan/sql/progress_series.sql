-- Per coalition of $coalitions, indicator of $indicators and period: numerators and denominators summed
-- over the member municipalities (the columns of pooled_series.sql; regional figures are pooled, never
-- averaged). Only the (coalition, indicator) pairs a goal of that coalition measures: the progress engine
-- reads nothing else, and every pair is computed on its own rows.
WITH measured AS (
    SELECT DISTINCT a.coalition_id, g.indicator_id
    FROM goals g
    JOIN ambitions a ON a.id = g.ambition_id
    WHERE list_contains($coalitions, a.coalition_id)
      AND list_contains($indicators, g.indicator_id)
)
SELECT m.coalition_id,
       v.indicator_id,
       v.period,
       sum(v.numerator)::BIGINT    AS numerator,
       sum(v.denominator)::BIGINT  AS denominator,
       avg(v.value)                AS mean_value,
       count(*)                    AS municipalities,
       count(v.numerator)          AS with_counts,
       max(v.reference_date)       AS reference_date,
       min(v.source)               AS source,
       CASE WHEN bool_or(v.data_status = 'voorlopig') THEN 'voorlopig'
            WHEN bool_or(v.data_status = 'herzien') THEN 'herzien'
            ELSE 'definitief' END  AS data_status
FROM coalition_members m
JOIN measured p ON p.coalition_id = m.coalition_id
JOIN indicator_values v ON v.municipality_code = m.municipality_code AND v.indicator_id = p.indicator_id
WHERE v.data_status <> 'ingetrokken'
  AND v.period <= $period
GROUP BY m.coalition_id, v.indicator_id, v.period
ORDER BY m.coalition_id, v.indicator_id, v.period
