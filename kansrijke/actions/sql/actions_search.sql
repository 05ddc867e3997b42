-- The newest $limit actions of one coalition that match the Actielog filters, each row with the number of
-- matching actions (total). An empty list or NULL switches a filter off; $goals may hold '' for "no goal".
-- Keep the WHERE clause the same as in actions_by_month.sql.
WITH matching AS (
    SELECT a.id, a.action_date, a.title, a.description, a.owner, a.status, a.goal_id, a.principles,
           a.partners, a.level, a.version, a.created_at
    FROM actions a
    WHERE a.coalition_id = $coalition_id
      AND (len(CAST($statuses AS VARCHAR[])) = 0 OR list_contains(CAST($statuses AS VARCHAR[]), a.status))
      AND (len(CAST($owners AS VARCHAR[])) = 0 OR list_contains(CAST($owners AS VARCHAR[]), a.owner))
      AND (len(CAST($goals AS VARCHAR[])) = 0 OR list_contains(CAST($goals AS VARCHAR[]), coalesce(a.goal_id, '')))
      AND (len(CAST($principles AS SMALLINT[])) = 0 OR list_has_any(a.principles, CAST($principles AS SMALLINT[])))
      AND (CAST($date_from AS DATE) IS NULL OR a.action_date >= CAST($date_from AS DATE))
      AND (CAST($date_to AS DATE) IS NULL OR a.action_date <= CAST($date_to AS DATE))
      AND (coalesce($text, '') = '' OR contains(
              lower(concat_ws(' ', a.title, a.description, a.owner, array_to_string(a.partners, ' '))),
              lower($text)))
),
counted AS (
    SELECT *, count(*) OVER () AS total FROM matching
)
SELECT c.id, c.action_date, c.title, c.description, c.owner, c.status, c.goal_id, g.title AS goal_title,
       c.principles, c.partners, c.level, c.version, c.created_at, c.total
FROM (SELECT * FROM counted ORDER BY action_date DESC, id DESC LIMIT $limit) c
LEFT JOIN goals g ON g.id = c.goal_id
ORDER BY c.action_date DESC, c.id DESC
