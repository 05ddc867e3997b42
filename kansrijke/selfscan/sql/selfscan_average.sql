-- Average score per dimension over the latest self-scan of every coalition (lessons have no score).
WITH latest AS (
    SELECT id
    FROM self_assessments
    QUALIFY row_number() OVER (PARTITION BY coalition_id ORDER BY assessed_on DESC, id DESC) = 1
)
SELECT s.dimension, avg(s.score) AS mean_score, count(s.score) AS coalitions
FROM self_assessment_scores s
JOIN latest l ON l.id = s.assessment_id
WHERE s.score IS NOT NULL
GROUP BY s.dimension
ORDER BY s.dimension
