-- The refresh scheduler (SQLite; twin of 0013_refresh_schedule.pg.sql).
-- Each company may override the default refresh interval; the scheduler remembers the run it
-- started (to judge its outcome), when it started it, and the failures that back it off.
ALTER TABLE companies ADD COLUMN refresh_interval INTEGER CHECK (refresh_interval IS NULL OR refresh_interval > 0);
ALTER TABLE companies ADD COLUMN refresh_failures INTEGER NOT NULL DEFAULT 0;
ALTER TABLE companies ADD COLUMN backoff_until TEXT;
ALTER TABLE companies ADD COLUMN scheduled_at TEXT;
ALTER TABLE companies ADD COLUMN scheduled_run_id INTEGER;
CREATE INDEX companies_scheduled_run_idx ON companies (scheduled_run_id) WHERE scheduled_run_id IS NOT NULL;

-- One row per background duty (the scheduler, the alerts sender): the process holding an
-- unexpired lease is its leader; it renews the lease, and another process takes it once expired.
CREATE TABLE leases (
    name TEXT PRIMARY KEY,
    holder TEXT NOT NULL,
    acquired_at TEXT NOT NULL,
    renewed_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    info TEXT NOT NULL DEFAULT '{}'
);
