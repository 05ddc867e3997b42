-- Inside a write transaction, after a compare-and-set: exactly $rows rows of action $id must be at $version
-- (any version when $version is NULL). Otherwise the statement fails and the whole transaction rolls back,
-- so a stale edit can never be committed, whichever thread gets the write lock first.
SELECT CASE WHEN count(*) = $rows THEN true ELSE error('kansrijke:stale-edit') END
FROM actions
WHERE id = $id AND (CAST($version AS INTEGER) IS NULL OR version = $version)
