-- One row of an action's audit trail: who changed what, when (fields before and after as JSON).
INSERT INTO action_audit (id, action_id, changed_at, changed_by, change, version, before, after)
VALUES ($id, $action_id, $changed_at, $changed_by, $change, $version, $before, $after)
