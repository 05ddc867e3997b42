-- The owners (trekkers) a coalition's actions name, most used first.
SELECT owner, count(*) AS actions
FROM actions
WHERE coalition_id = $coalition_id AND owner IS NOT NULL
GROUP BY owner
ORDER BY actions DESC, owner
