-- Nothing changes in PostgreSQL here: 0018_unused_job_indexes.sqlite.sql drops two SQLite
-- indexes that no query reads; the version number stays the same on both backends.
SELECT 1;
