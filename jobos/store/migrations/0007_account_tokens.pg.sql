-- Account security (API): a per-user token version, so signing out or disabling an account
-- ends its tokens at once (a token carries the version it was issued with), and an index for
-- counting one principal's crawl runs (per-user crawl quotas).
ALTER TABLE users ADD COLUMN token_version integer NOT NULL DEFAULT 0;
CREATE INDEX crawl_runs_requested_by_idx ON crawl_runs (requested_by, created_at);
