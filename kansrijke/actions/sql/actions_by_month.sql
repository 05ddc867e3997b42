-- Matching actions per month and status (the timeline when too many actions match to draw one by one).
-- The filters are the table macro matching_actions (migration 004), shared with actions_search.sql.
SELECT CAST(date_trunc('month', m.action_date) AS DATE) AS month, m.status, count(*) AS actions
FROM matching_actions($coalition_id, $statuses, $owners, $goals, $principles, $date_from, $date_to, $text) m
GROUP BY ALL
ORDER BY month, m.status
