-- Take back one grant.
DELETE FROM role_assignments
WHERE identity = $identity AND role = $role AND coalition_id IS NOT DISTINCT FROM $coalition_id
