-- Whether a coalition with this id exists.
SELECT count(*) > 0 FROM coalitions WHERE id = $coalition_id
