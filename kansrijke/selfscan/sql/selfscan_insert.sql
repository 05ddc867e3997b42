-- A new self-scan (scores are inserted beside it).
INSERT INTO self_assessments (id, coalition_id, assessed_on, assessed_by, phase, reflection)
VALUES ($id, $coalition_id, $assessed_on, $assessed_by, $phase, $reflection)
