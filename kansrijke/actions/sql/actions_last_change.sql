-- The latest audit row of one action (who changed it last, when, to which version).
SELECT changed_at, changed_by, change, version
FROM action_audit
WHERE action_id = $action_id
ORDER BY id DESC
LIMIT 1
