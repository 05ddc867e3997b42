-- What a database holds of its own: coalitions and municipal figures (the reference facts do not count).
SELECT
    (SELECT count(*) FROM coalitions) AS coalitions,
    (SELECT count(*) FROM indicator_values) AS figures
