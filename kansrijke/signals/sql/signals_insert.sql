-- One signal from parents (no personal data: checked by signals.validate before this runs).
INSERT INTO parent_signals (id, coalition_id, ambition_id, goal_id, signal_date, kind, text, recorded_by, created_at)
VALUES ($id, $coalition_id, $ambition_id, $goal_id, $signal_date, $kind, $text, $recorded_by, $created_at)
