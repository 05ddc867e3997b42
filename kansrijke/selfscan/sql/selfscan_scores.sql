-- The scores and notes of every self-scan of a coalition (basis_N, principe_N with a score; les_N as text).
SELECT s.assessment_id, s.dimension, s.score, s.note
FROM self_assessment_scores s
JOIN self_assessments a ON a.id = s.assessment_id
WHERE a.coalition_id = $coalition_id
ORDER BY s.assessment_id, s.dimension
