-- When the coalition's latest meeting (other than the one in progress) started, up to a moment.
SELECT max(started_at)
FROM meetings
WHERE coalition_id = $coalition_id AND id <> $exclude AND started_at <= $until
