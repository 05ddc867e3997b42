-- Matching actions per month and status (the timeline when too many actions match to draw one by one).
-- Keep the WHERE clause the same as in actions_search.sql.
SELECT CAST(date_trunc('month', a.action_date) AS DATE) AS month, a.status, count(*) AS actions
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
GROUP BY ALL
ORDER BY month, a.status
