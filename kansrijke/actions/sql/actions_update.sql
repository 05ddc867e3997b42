-- Compare-and-set: change an action only when it is still at the version the editor started from.
-- A stale edit matches no row; actions_check_version.sql then refuses the transaction.
UPDATE actions
SET action_date = $action_date, title = $title, description = $description, owner = $owner, status = $status,
    goal_id = $goal_id, principles = CAST($principles AS SMALLINT[]), partners = CAST($partners AS VARCHAR[]),
    level = $level, version = version + 1
WHERE id = $id AND version = $expected_version
