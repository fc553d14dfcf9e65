-- New jobs get their full-text rows from the store, one INSERT ... SELECT per batch
-- (SqliteStore._insert_jobs), which FTS5 indexes several times faster than a trigger firing
-- once per row. Updates and deletes keep their triggers: they are rare and need the old values.
DROP TRIGGER jobs_fts_insert;
