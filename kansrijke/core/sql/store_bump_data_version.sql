-- Every committed write bumps the data version (read caches use it as part of their key).
INSERT INTO meta VALUES ('data_version', '1')
ON CONFLICT (key) DO UPDATE SET value = CAST(CAST(meta.value AS BIGINT) + 1 AS VARCHAR)
