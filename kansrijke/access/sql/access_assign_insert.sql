-- Grant a role (once: a grant that is already there is left as it was).
INSERT INTO role_assignments (identity, role, coalition_id, granted_by, granted_at)
SELECT $identity, $role, $coalition_id, $granted_by, $granted_at
WHERE NOT EXISTS (
    SELECT 1 FROM role_assignments
    WHERE identity = $identity AND role = $role AND coalition_id IS NOT DISTINCT FROM $coalition_id
)
