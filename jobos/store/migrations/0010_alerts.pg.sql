-- Saved searches, followed companies and their alerts; resumes (PostgreSQL; twin of 0006_alerts.sqlite.sql).
-- Alerts are computed from the jobs' own history (first_seen, closed_at, job_history) since a
-- watermark, so the indexes below let one run read only what changed.

CREATE TABLE saved_searches (
    id bigserial PRIMARY KEY,
    owner_id bigint NOT NULL REFERENCES principals (id) ON DELETE CASCADE,
    kind text NOT NULL CHECK (kind IN ('search', 'company')),
    name text NOT NULL,
    query jsonb NOT NULL DEFAULT '{}',
    email text,
    email_mode text NOT NULL DEFAULT 'off' CHECK (email_mode IN ('off', 'immediate', 'daily')),
    webhook_url text,
    webhook_secret text,
    webhook_failures integer NOT NULL DEFAULT 0,
    webhook_disabled boolean NOT NULL DEFAULT false,
    feed_token text NOT NULL UNIQUE,
    last_digest_at timestamptz,
    last_visit_at timestamptz,
    created_at timestamptz NOT NULL
);
CREATE INDEX saved_searches_owner_idx ON saved_searches (owner_id, id);

CREATE TABLE alert_events (
    id bigserial PRIMARY KEY,
    search_id bigint NOT NULL REFERENCES saved_searches (id) ON DELETE CASCADE,
    job_id bigint NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
    change text NOT NULL CHECK (change IN ('new', 'changed', 'closed')),
    change_key text NOT NULL,
    payload jsonb NOT NULL,
    created_at timestamptz NOT NULL,
    UNIQUE (search_id, job_id, change_key)
);
CREATE INDEX alert_events_search_idx ON alert_events (search_id, id DESC);

CREATE TABLE alert_deliveries (
    event_id bigint NOT NULL REFERENCES alert_events (id) ON DELETE CASCADE,
    channel text NOT NULL CHECK (channel IN ('email', 'webhook')),
    status text NOT NULL DEFAULT 'pending'
        CHECK (status IN ('pending', 'claimed', 'sent', 'failed', 'skipped')),
    attempts integer NOT NULL DEFAULT 0,
    next_attempt_at timestamptz NOT NULL,
    claimed_by text,
    claimed_until timestamptz,
    sent_at timestamptz,
    last_error text,
    PRIMARY KEY (event_id, channel)
);
CREATE INDEX alert_deliveries_due_idx ON alert_deliveries (status, next_attempt_at);

CREATE TABLE alert_state (
    name text PRIMARY KEY,
    value text NOT NULL
);

CREATE INDEX jobs_first_seen_idx ON jobs (first_seen);
CREATE INDEX jobs_closed_at_idx ON jobs (closed_at) WHERE closed_at IS NOT NULL;
CREATE INDEX job_history_changed_at_idx ON job_history (changed_at);

-- Resumes, per user, in the database (so every node serves them); the text is all that is
-- derived from one, and goes with it.
CREATE TABLE resumes (
    id bigserial PRIMARY KEY,
    owner_id bigint NOT NULL REFERENCES principals (id) ON DELETE CASCADE,
    filename text NOT NULL,
    media_type text NOT NULL,
    size integer NOT NULL,
    content bytea NOT NULL,
    text text NOT NULL,
    created_at timestamptz NOT NULL
);
CREATE INDEX resumes_owner_idx ON resumes (owner_id, id);
