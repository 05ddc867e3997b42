-- The partners a coalition's actions name, most used first.
SELECT partner, count(*) AS actions
FROM (SELECT unnest(partners) AS partner FROM actions WHERE coalition_id = $coalition_id)
GROUP BY partner
ORDER BY actions DESC, partner
