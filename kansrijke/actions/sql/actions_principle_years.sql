-- Where attention goes: a coalition's actions (not 'vervallen') per leading principle and year.
SELECT year, principle, count(*) AS actions
FROM (
    SELECT year(action_date) AS year, unnest(principles) AS principle
    FROM actions
    WHERE coalition_id = $coalition_id AND status <> 'vervallen'
)
GROUP BY year, principle
ORDER BY year, principle
