-- Every role assignment, with the coalition's name (NULL when the coalition no longer exists or for no coalition).
SELECT r.identity, r.role, r.coalition_id, c.name AS coalition_name, r.granted_by, r.granted_at
FROM role_assignments r
LEFT JOIN coalitions c ON c.id = r.coalition_id
ORDER BY r.identity, r.role, r.coalition_id NULLS FIRST
