-- Compare-and-set: close an action (status afgerond or vervallen) only at the version the user saw.
UPDATE actions
SET status = $status, version = version + 1
WHERE id = $id AND version = $expected_version
