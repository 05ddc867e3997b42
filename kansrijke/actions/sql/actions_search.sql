-- The newest $limit actions of one coalition that match the Actielog filters, each row with the number of
-- matching actions (total). The filters are the table macro matching_actions (migration 004), shared with
-- actions_by_month.sql.
WITH counted AS (
    SELECT m.id, m.action_date, m.title, m.description, m.owner, m.status, m.goal_id, m.principles,
           m.partners, m.level, m.version, m.created_at, count(*) OVER () AS total
    FROM matching_actions($coalition_id, $statuses, $owners, $goals, $principles, $date_from, $date_to, $text) m
)
SELECT c.id, c.action_date, c.title, c.description, c.owner, c.status, c.goal_id, g.title AS goal_title,
       c.principles, c.partners, c.level, c.version, c.created_at, c.total
FROM (SELECT * FROM counted ORDER BY action_date DESC, id DESC LIMIT $limit) c
LEFT JOIN goals g ON g.id = c.goal_id
ORDER BY c.action_date DESC, c.id DESC
