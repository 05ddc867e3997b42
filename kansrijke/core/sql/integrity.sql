-- Links inside the data that the schema does not enforce (see 001_initial.sql): one row per broken
-- relation with the number of rows that point nowhere. Run at the end of every write transaction.
SELECT relation, broken FROM (
    SELECT 'coalition_members.coalition_id' AS relation, count(*) AS broken
    FROM coalition_members m ANTI JOIN coalitions c ON c.id = m.coalition_id
    UNION ALL
    SELECT 'coalition_phases.coalition_id', count(*)
    FROM coalition_phases p ANTI JOIN coalitions c ON c.id = p.coalition_id
    UNION ALL
    SELECT 'ambitions.coalition_id', count(*)
    FROM ambitions a ANTI JOIN coalitions c ON c.id = a.coalition_id
    UNION ALL
    SELECT 'goals.ambition_id', count(*)
    FROM goals g ANTI JOIN ambitions a ON a.id = g.ambition_id
    UNION ALL
    SELECT 'results.ambition_id', count(*)
    FROM results r ANTI JOIN ambitions a ON a.id = r.ambition_id
    UNION ALL
    SELECT 'results.goal_id', count(*)
    FROM results r ANTI JOIN goals g ON g.id = r.goal_id WHERE r.goal_id IS NOT NULL
    UNION ALL
    SELECT 'actions.coalition_id', count(*)
    FROM actions a ANTI JOIN coalitions c ON c.id = a.coalition_id
    UNION ALL
    SELECT 'actions.goal_id', count(*)
    FROM actions a ANTI JOIN goals g ON g.id = a.goal_id WHERE a.goal_id IS NOT NULL
    UNION ALL
    SELECT 'self_assessments.coalition_id', count(*)
    FROM self_assessments s ANTI JOIN coalitions c ON c.id = s.coalition_id
    UNION ALL
    SELECT 'parent_signals.coalition_id', count(*)
    FROM parent_signals s ANTI JOIN coalitions c ON c.id = s.coalition_id
    UNION ALL
    SELECT 'parent_signals.goal_id', count(*)
    FROM parent_signals s ANTI JOIN goals g ON g.id = s.goal_id WHERE s.goal_id IS NOT NULL
    UNION ALL
    SELECT 'parent_signals.ambition_id', count(*)
    FROM parent_signals s ANTI JOIN ambitions a ON a.id = s.ambition_id WHERE s.ambition_id IS NOT NULL
    UNION ALL
    SELECT 'meetings.coalition_id', count(*)
    FROM meetings m ANTI JOIN coalitions c ON c.id = m.coalition_id
    UNION ALL
    SELECT 'meeting_items.meeting_id', count(*)
    FROM meeting_items i ANTI JOIN meetings m ON m.id = i.meeting_id
    UNION ALL
    SELECT 'self_assessment_scores.assessment_id', count(*)
    FROM self_assessment_scores s ANTI JOIN self_assessments a ON a.id = s.assessment_id
)
WHERE broken > 0
