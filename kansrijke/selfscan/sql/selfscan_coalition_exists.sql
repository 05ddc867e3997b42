-- Does the coalition exist?
SELECT count(*) > 0 FROM coalitions WHERE id = $coalition_id
