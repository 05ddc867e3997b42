-- A meeting held in meeting mode.
INSERT INTO meetings (id, coalition_id, started_at) VALUES ($id, $coalition_id, $started_at)
