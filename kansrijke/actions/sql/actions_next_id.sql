-- The next free action id: above every stored action and every action the audit trail remembers
-- (so a deleted action's id, and its history, is never given to a new action).
SELECT greatest(
    (SELECT coalesce(max(id), 0) FROM actions),
    (SELECT coalesce(max(action_id), 0) FROM action_audit)
) + 1
