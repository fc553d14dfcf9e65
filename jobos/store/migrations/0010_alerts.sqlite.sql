-- Saved searches, followed companies and their alerts; resumes (SQLite; twin of 0006_alerts.pg.sql).
-- Alerts are computed from the jobs' own history (first_seen, closed_at, job_history) since a
-- watermark, so the indexes below let one run read only what changed.

CREATE TABLE saved_searches (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    owner_id INTEGER NOT NULL REFERENCES principals (id) ON DELETE CASCADE,
    kind TEXT NOT NULL CHECK (kind IN ('search', 'company')),
    name TEXT NOT NULL,
    query TEXT NOT NULL DEFAULT '{}',
    email TEXT,
    email_mode TEXT NOT NULL DEFAULT 'off' CHECK (email_mode IN ('off', 'immediate', 'daily')),
    webhook_url TEXT,
    webhook_secret TEXT,
    webhook_failures INTEGER NOT NULL DEFAULT 0,
    webhook_disabled INTEGER NOT NULL DEFAULT 0,
    feed_token TEXT NOT NULL UNIQUE,
    last_digest_at TEXT,
    last_visit_at TEXT,
    created_at TEXT NOT NULL
);
CREATE INDEX saved_searches_owner_idx ON saved_searches (owner_id, id);

CREATE TABLE alert_events (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    search_id INTEGER NOT NULL REFERENCES saved_searches (id) ON DELETE CASCADE,
    job_id INTEGER NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
    change TEXT NOT NULL CHECK (change IN ('new', 'changed', 'closed')),
    change_key TEXT NOT NULL,
    payload TEXT NOT NULL,
    created_at TEXT NOT NULL,
    UNIQUE (search_id, job_id, change_key)
);
CREATE INDEX alert_events_search_idx ON alert_events (search_id, id DESC);

CREATE TABLE alert_deliveries (
    event_id INTEGER NOT NULL REFERENCES alert_events (id) ON DELETE CASCADE,
    channel TEXT NOT NULL CHECK (channel IN ('email', 'webhook')),
    status TEXT NOT NULL DEFAULT 'pending'
        CHECK (status IN ('pending', 'claimed', 'sent', 'failed', 'skipped')),
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TEXT NOT NULL,
    claimed_by TEXT,
    claimed_until TEXT,
    sent_at TEXT,
    last_error TEXT,
    PRIMARY KEY (event_id, channel)
);
CREATE INDEX alert_deliveries_due_idx ON alert_deliveries (status, next_attempt_at);

CREATE TABLE alert_state (
    name TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

CREATE INDEX jobs_first_seen_idx ON jobs (first_seen);
CREATE INDEX jobs_closed_at_idx ON jobs (closed_at) WHERE closed_at IS NOT NULL;
CREATE INDEX job_history_changed_at_idx ON job_history (changed_at);

-- Resumes, per user, in the database (so every node serves them); the text is all that is
-- derived from one, and goes with it.
CREATE TABLE resumes (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    owner_id INTEGER NOT NULL REFERENCES principals (id) ON DELETE CASCADE,
    filename TEXT NOT NULL,
    media_type TEXT NOT NULL,
    size INTEGER NOT NULL,
    content BLOB NOT NULL,
    text TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX resumes_owner_idx ON resumes (owner_id, id);
