-- One meeting with its coalition's name.
SELECT m.id, m.coalition_id, c.name AS coalition_name, m.started_at, m.ended_at, m.shown, m.notes, m.attendees
FROM meetings m
JOIN coalitions c ON c.id = m.coalition_id
WHERE m.id = $id
