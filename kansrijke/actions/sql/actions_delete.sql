-- Compare-and-set: remove an action only at the version the user saw (its audit rows stay).
DELETE FROM actions
WHERE id = $id AND version = $expected_version
