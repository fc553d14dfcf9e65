-- JobOS base schema (SQLite). The PostgreSQL twin is 0001_base.pg.sql: keep them alike.
-- Timestamps are ISO 8601 UTC text (one format, so they compare as text); dates YYYY-MM-DD;
-- JSON as text; booleans 0/1.

CREATE TABLE roles (
    name TEXT PRIMARY KEY,
    description TEXT NOT NULL
);
INSERT INTO roles (name, description) VALUES
    ('viewer', 'reads jobs and companies'),
    ('user', 'also triggers crawls and pins boards'),
    ('admin', 'also cancels others'' crawls and manages users');

CREATE TABLE principals (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    kind TEXT NOT NULL CHECK (kind IN ('user', 'profile'))
);

CREATE TABLE users (
    id INTEGER PRIMARY KEY REFERENCES principals (id),
    email TEXT NOT NULL UNIQUE,
    password_hash TEXT NOT NULL,
    role TEXT NOT NULL REFERENCES roles (name),
    disabled INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL
);

CREATE TABLE profiles (
    id INTEGER PRIMARY KEY REFERENCES principals (id),
    issuer TEXT NOT NULL,
    subject TEXT NOT NULL,
    email TEXT,
    role TEXT NOT NULL REFERENCES roles (name),
    created_at TEXT NOT NULL,
    last_seen_at TEXT,
    UNIQUE (issuer, subject)
);

CREATE TABLE companies (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    name TEXT NOT NULL,
    normalized_name TEXT NOT NULL,
    domain TEXT,
    board TEXT,
    careers_url TEXT,
    reason TEXT,
    pinned INTEGER NOT NULL DEFAULT 0,
    last_crawl_at TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE UNIQUE INDEX companies_domain_key ON companies (domain) WHERE domain IS NOT NULL;
CREATE UNIQUE INDEX companies_board_key ON companies (board) WHERE board IS NOT NULL;
CREATE INDEX companies_normalized_name_idx ON companies (normalized_name, id);

CREATE TABLE crawl_runs (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    requested_by TEXT,
    source TEXT NOT NULL CHECK (source IN ('cli', 'api', 'scrapyd')),
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
    finished_at TEXT
);
CREATE INDEX crawl_runs_active_idx ON crawl_runs (normalized_company, country)
    WHERE status IN ('pending', 'running');
CREATE INDEX crawl_runs_created_idx ON crawl_runs (created_at DESC, id DESC);

CREATE TABLE jobs (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    board TEXT NOT NULL,
    external_id TEXT NOT NULL,
    company_id INTEGER REFERENCES companies (id) ON DELETE SET NULL,
    company TEXT,
    company_norm TEXT NOT NULL DEFAULT '',
    company_domain TEXT,
    source TEXT,
    method TEXT,
    title TEXT NOT NULL,
    url TEXT NOT NULL,
    apply_url TEXT,
    location TEXT,
    city TEXT,
    region TEXT,
    country TEXT,
    workplace TEXT,
    employment_type TEXT,
    department TEXT,
    salary_min REAL,
    salary_max REAL,
    salary_currency TEXT,
    salary_period TEXT,
    posted_at TEXT,
    description TEXT,
    description_html TEXT,
    scraped_at TEXT,
    extraction_pending INTEGER NOT NULL DEFAULT 0,
    provenance TEXT,
    content_hash TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'closed')),
    first_seen TEXT NOT NULL,
    last_seen TEXT NOT NULL,
    closed_at TEXT,
    sort_date TEXT NOT NULL,
    UNIQUE (board, external_id)
);
CREATE INDEX jobs_status_sort_idx ON jobs (status, sort_date DESC, id DESC);
CREATE INDEX jobs_board_status_idx ON jobs (board, status);
CREATE INDEX jobs_company_norm_idx ON jobs (company_norm);
CREATE INDEX jobs_country_idx ON jobs (country);
CREATE INDEX jobs_workplace_idx ON jobs (workplace);
CREATE INDEX jobs_employment_type_idx ON jobs (employment_type);
CREATE INDEX jobs_posted_at_idx ON jobs (posted_at);

-- Full text on title + description: an external-content FTS5 table kept in step by triggers
-- (the update trigger fires only when title or description are written, not for last_seen).
CREATE VIRTUAL TABLE jobs_fts USING fts5 (
    title, description, content = 'jobs', content_rowid = 'id',
    tokenize = 'unicode61 remove_diacritics 2'
);
CREATE TRIGGER jobs_fts_insert AFTER INSERT ON jobs BEGIN
    INSERT INTO jobs_fts (rowid, title, description) VALUES (new.id, new.title, new.description);
END;
CREATE TRIGGER jobs_fts_delete AFTER DELETE ON jobs BEGIN
    INSERT INTO jobs_fts (jobs_fts, rowid, title, description)
        VALUES ('delete', old.id, old.title, old.description);
END;
CREATE TRIGGER jobs_fts_update AFTER UPDATE OF title, description ON jobs BEGIN
    INSERT INTO jobs_fts (jobs_fts, rowid, title, description)
        VALUES ('delete', old.id, old.title, old.description);
    INSERT INTO jobs_fts (rowid, title, description) VALUES (new.id, new.title, new.description);
END;

CREATE TABLE job_history (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    job_id INTEGER NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
    changed_at TEXT NOT NULL,
    crawl_id INTEGER,
    changed_fields TEXT NOT NULL,
    old_values TEXT NOT NULL
);
CREATE INDEX job_history_job_idx ON job_history (job_id, changed_at);

CREATE TABLE llm_cache (
    content_hash TEXT PRIMARY KEY,
    model TEXT NOT NULL,
    result TEXT NOT NULL,
    created_at TEXT NOT NULL
);

CREATE TABLE pending_extractions (
    board TEXT NOT NULL,
    external_id TEXT NOT NULL,
    url TEXT,
    page_markdown TEXT,
    item TEXT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL,
    PRIMARY KEY (board, external_id)
);

CREATE TABLE audit_log (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    at TEXT NOT NULL,
    actor TEXT NOT NULL,
    action TEXT NOT NULL,
    target TEXT,
    detail TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX audit_log_at_idx ON audit_log (at DESC, id DESC);
