-- How many rows hold exactly this grant (0 or 1).
SELECT count(*)
FROM role_assignments
WHERE identity = $identity AND role = $role AND coalition_id IS NOT DISTINCT FROM $coalition_id
