-- Every self-scan of a coalition, newest first.
SELECT id, coalition_id, assessed_on, assessed_by, phase, reflection
FROM self_assessments
WHERE coalition_id = $coalition_id
ORDER BY assessed_on DESC, id DESC
