-- Per municipality and indicator: numerators and denominators summed over the periods $first..$last
-- (one period, or three when pooled). Every municipality appears for every indicator; one without
-- counts in those periods gets NULLs. Only rows with both a numerator and a denominator are summed,
-- so the pooled rate is always sum(numerators) / sum(denominators) over the same rows.
-- hidden_periods / hidden_numerator: the periods with fewer than $min_count events on their own and their
-- events (a pooled figure must not reveal such a period by subtracting the published other periods).
-- data_status: voorlopig when any summed row is provisional, else herzien when any is revised, else definitief.
WITH wanted AS (
    SELECT unnest($indicators::VARCHAR[]) AS indicator_id
),
counts AS (
    SELECT municipality_code, indicator_id,
           sum(numerator)::BIGINT                 AS numerator,
           sum(denominator)::BIGINT               AS denominator,
           count(*)                               AS periods,
           min(period)                            AS first_period,
           max(period)                            AS last_period,
           bool_or(data_status = 'voorlopig')     AS provisional,
           CASE WHEN bool_or(data_status = 'voorlopig') THEN 'voorlopig'
                WHEN bool_or(data_status = 'herzien') THEN 'herzien'
                ELSE 'definitief' END             AS data_status,
           count(*) FILTER (WHERE numerator < $min_count)                  AS hidden_periods,
           coalesce(sum(numerator) FILTER (WHERE numerator < $min_count), 0)::BIGINT AS hidden_numerator
    FROM indicator_values
    WHERE list_contains($indicators, indicator_id)
      AND period BETWEEN $first AND $last
      AND data_status <> 'ingetrokken'
      AND numerator IS NOT NULL AND denominator IS NOT NULL
    GROUP BY municipality_code, indicator_id
)
SELECT m.code, m.name, m.province, m.size_class, m.urbanity, m.gids, m.population,
       w.indicator_id, c.numerator, c.denominator, coalesce(c.periods, 0) AS periods,
       c.first_period, c.last_period,
       coalesce(c.provisional, FALSE) AS provisional, c.data_status,
       coalesce(c.hidden_periods, 0) AS hidden_periods, coalesce(c.hidden_numerator, 0) AS hidden_numerator
FROM municipalities m
CROSS JOIN wanted w
LEFT JOIN counts c ON c.municipality_code = m.code AND c.indicator_id = w.indicator_id
ORDER BY w.indicator_id, m.name
