-- Does the schema_version table exist (0 on a new or pre-migration file)?
SELECT count(*) FROM information_schema.tables WHERE table_name = 'schema_version'
