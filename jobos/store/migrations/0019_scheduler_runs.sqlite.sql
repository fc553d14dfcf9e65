-- The refresh scheduler's crawl runs have their own source, `scheduler` (they were stored as
-- `api`, told apart only by requested_by); the runs it started before say so too.
-- SQLite cannot change a CHECK constraint in place: the table is rebuilt with the same columns
-- (0001, attempts from 0002) and indexes (0001, 0006, 0007), ids and their sequence kept.
-- A migration that adds a column to crawl_runs must come after this one.
CREATE TABLE crawl_runs_new (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    requested_by TEXT,
    source TEXT NOT NULL CHECK (source IN ('cli', 'api', 'scrapyd', 'scheduler')),
    args TEXT NOT NULL DEFAULT '{}',
    company TEXT,
    normalized_company TEXT,
    country TEXT,
    status TEXT NOT NULL DEFAULT 'pending'
        CHECK (status IN ('pending', 'running', 'finished', 'partial', 'failed', 'cancelled')),
    step TEXT,
    pages INTEGER NOT NULL DEFAULT 0,
    found INTEGER NOT NULL DEFAULT 0,
    new INTEGER NOT NULL DEFAULT 0,
    updated INTEGER NOT NULL DEFAULT 0,
    unchanged INTEGER NOT NULL DEFAULT 0,
    closed INTEGER NOT NULL DEFAULT 0,
    dropped INTEGER NOT NULL DEFAULT 0,
    llm_calls INTEGER NOT NULL DEFAULT 0,
    errors INTEGER NOT NULL DEFAULT 0,
    scrapyd_job_id TEXT,
    node TEXT,
    error_summary TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    started_at TEXT,
    finished_at TEXT,
    attempts INTEGER NOT NULL DEFAULT 0
);
INSERT INTO crawl_runs_new (id, requested_by, source, args, company, normalized_company, country,
    status, step, pages, found, new, updated, unchanged, closed, dropped, llm_calls, errors,
    scrapyd_job_id, node, error_summary, created_at, updated_at, started_at, finished_at, attempts)
SELECT id, requested_by,
    CASE WHEN source = 'api' AND requested_by = 'scheduler' THEN 'scheduler' ELSE source END,
    args, company, normalized_company, country,
    status, step, pages, found, new, updated, unchanged, closed, dropped, llm_calls, errors,
    scrapyd_job_id, node, error_summary, created_at, updated_at, started_at, finished_at, attempts
FROM crawl_runs;
-- AUTOINCREMENT never reuses an id: keep the old table's high-water mark.
DELETE FROM sqlite_sequence WHERE name = 'crawl_runs_new';
INSERT INTO sqlite_sequence (name, seq) SELECT 'crawl_runs_new', seq FROM sqlite_sequence WHERE name = 'crawl_runs';
DROP TABLE crawl_runs;
ALTER TABLE crawl_runs_new RENAME TO crawl_runs;
CREATE INDEX crawl_runs_created_idx ON crawl_runs (created_at DESC, id DESC);
CREATE UNIQUE INDEX crawl_runs_one_active_key ON crawl_runs (normalized_company, coalesce(country, ''))
    WHERE status IN ('pending', 'running') AND normalized_company <> '';
CREATE INDEX crawl_runs_status_updated_idx ON crawl_runs (status, updated_at);
CREATE INDEX crawl_runs_requested_by_idx ON crawl_runs (requested_by, created_at);
