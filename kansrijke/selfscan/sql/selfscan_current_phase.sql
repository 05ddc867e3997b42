-- The coalition's current phase.
SELECT phase FROM coalitions WHERE id = $coalition_id
