-- What data is in the database: per indicator the periods, rows and latest reference date.
SELECT indicator_id, min(period) AS first_period, max(period) AS last_period,
       count(*) AS rows, max(reference_date) AS reference_date, min(source) AS source
FROM indicator_values
GROUP BY indicator_id
UNION ALL
SELECT indicator_id, min(period), max(period), count(*), max(reference_date), min(source)
FROM national_values
GROUP BY indicator_id
ORDER BY indicator_id
