INSERT INTO meta VALUES ($key, $value) ON CONFLICT (key) DO UPDATE SET value = excluded.value
