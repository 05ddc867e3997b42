-- Every coalition with its members, phase and activity: the date of its last action on or before
-- $today (cancelled actions do not count) and how many actions it has had up to then.
WITH members AS (
    SELECT coalition_id, list(municipality_code ORDER BY municipality_code) AS members
    FROM coalition_members
    GROUP BY coalition_id
),
activity AS (
    SELECT coalition_id, max(action_date) AS last_action, count(*) AS actions
    FROM actions
    WHERE action_date <= $today AND status <> 'vervallen'
    GROUP BY coalition_id
)
SELECT c.id, c.name, c.phase, c.start_date, coalesce(m.members, []) AS members,
       a.last_action, coalesce(a.actions, 0) AS actions
FROM coalitions c
LEFT JOIN members m ON m.coalition_id = c.id
LEFT JOIN activity a ON a.coalition_id = c.id
ORDER BY c.name, c.id
