-- The first row of the phase history of a coalition started by hand.
INSERT INTO coalition_phases (coalition_id, since, phase, note)
VALUES ($coalition_id, $since, $phase, $note)
