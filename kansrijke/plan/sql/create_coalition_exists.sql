-- Is the coalition id in use?
SELECT count(*) FROM coalitions WHERE id = $id
