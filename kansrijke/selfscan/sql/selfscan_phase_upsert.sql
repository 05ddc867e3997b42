-- The coalition is in a phase from a date on (a second change on the same date replaces the first).
INSERT INTO coalition_phases (coalition_id, since, phase, note)
VALUES ($coalition_id, $since, $phase, $note)
ON CONFLICT (coalition_id, since) DO UPDATE SET phase = excluded.phase, note = excluded.note
