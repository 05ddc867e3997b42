-- What was done since the last meeting: actions dated after $since up to $until (not cancelled), newest first.
SELECT a.id, a.action_date, a.title, a.owner, a.status, a.goal_id, g.title AS goal_title
FROM actions a
LEFT JOIN goals g ON g.id = a.goal_id
WHERE a.coalition_id = $coalition_id AND a.action_date > $since AND a.action_date <= $until
  AND a.status <> 'vervallen'
ORDER BY a.action_date DESC, a.id DESC
