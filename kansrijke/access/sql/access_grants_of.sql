-- The grants of one person (identity lower case): role and coalition (NULL for roles that are not per coalition).
-- A grant for a coalition that no longer exists grants nothing.
SELECT r.role, r.coalition_id
FROM role_assignments r
WHERE r.identity = $identity
  AND (r.coalition_id IS NULL OR EXISTS (SELECT 1 FROM coalitions c WHERE c.id = r.coalition_id))
ORDER BY r.role, r.coalition_id
