-- The audit trail of one action, newest first.
SELECT id, action_id, changed_at, changed_by, change, version, before, after
FROM action_audit
WHERE action_id = $action_id
ORDER BY changed_at DESC, id DESC
