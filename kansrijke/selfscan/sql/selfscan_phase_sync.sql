-- The coalition's current phase is the phase of its newest history row.
UPDATE coalitions
SET phase = (SELECT phase FROM coalition_phases WHERE coalition_id = $coalition_id ORDER BY since DESC LIMIT 1)
WHERE id = $coalition_id
  AND EXISTS (SELECT 1 FROM coalition_phases WHERE coalition_id = $coalition_id)
