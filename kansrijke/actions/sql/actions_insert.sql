-- A new action at version 1.
INSERT INTO actions (id, coalition_id, action_date, title, description, owner, status, goal_id, principles,
                     partners, level, created_at, version)
VALUES ($id, $coalition_id, $action_date, $title, $description, $owner, $status, $goal_id,
        CAST($principles AS SMALLINT[]), CAST($partners AS VARCHAR[]), $level, $created_at, 1)
