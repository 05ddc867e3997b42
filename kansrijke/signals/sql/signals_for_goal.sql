-- The signals from parents linked to one goal, newest first.
SELECT s.id, s.coalition_id, s.ambition_id, a.title AS ambition_title, s.goal_id, g.title AS goal_title,
       s.signal_date, s.kind, s.text, s.recorded_by, s.created_at
FROM parent_signals s
JOIN goals g ON g.id = s.goal_id
LEFT JOIN ambitions a ON a.id = coalesce(s.ambition_id, g.ambition_id)
WHERE s.goal_id = $goal_id
ORDER BY s.signal_date DESC, s.id DESC
