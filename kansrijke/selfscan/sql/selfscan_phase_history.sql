-- The phase history of a coalition, newest first.
SELECT since, phase, note
FROM coalition_phases
WHERE coalition_id = $coalition_id
ORDER BY since DESC
