-- Remove one signal of a coalition (e.g. when it turns out to hold personal data).
DELETE FROM parent_signals
WHERE id = $id AND coalition_id = $coalition_id
