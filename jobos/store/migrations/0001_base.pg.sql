-- JobOS base schema (PostgreSQL). The SQLite twin is 0001_base.sqlite.sql: keep them alike.

CREATE TABLE roles (
    name text PRIMARY KEY,
    description text NOT NULL
);
INSERT INTO roles (name, description) VALUES
    ('viewer', 'reads jobs and companies'),
    ('user', 'also triggers crawls and pins boards'),
    ('admin', 'also cancels others'' crawls and manages users');

-- Users and profiles share one id space, so set_role(id, role) needs no kind.
CREATE TABLE principals (
    id bigserial PRIMARY KEY,
    kind text NOT NULL CHECK (kind IN ('user', 'profile'))
);

CREATE TABLE users (
    id bigint PRIMARY KEY REFERENCES principals (id),
    email text NOT NULL UNIQUE,
    password_hash text NOT NULL,
    role text NOT NULL REFERENCES roles (name),
    disabled boolean NOT NULL DEFAULT false,
    created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE profiles (
    id bigint PRIMARY KEY REFERENCES principals (id),
    issuer text NOT NULL,
    subject text NOT NULL,
    email text,
    role text NOT NULL REFERENCES roles (name),
    created_at timestamptz NOT NULL DEFAULT now(),
    last_seen_at timestamptz,
    UNIQUE (issuer, subject)
);

CREATE TABLE companies (
    id bigserial PRIMARY KEY,
    name text NOT NULL,
    normalized_name text NOT NULL,
    domain text,
    board text,
    careers_url text,
    reason text,
    pinned boolean NOT NULL DEFAULT false,
    last_crawl_at timestamptz,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX companies_domain_key ON companies (domain) WHERE domain IS NOT NULL;
CREATE UNIQUE INDEX companies_board_key ON companies (board) WHERE board IS NOT NULL;
CREATE INDEX companies_normalized_name_idx ON companies (normalized_name, id);

CREATE TABLE crawl_runs (
    id bigserial PRIMARY KEY,
    requested_by text,
    source text NOT NULL CHECK (source IN ('cli', 'api', 'scrapyd')),
    args jsonb NOT NULL DEFAULT '{}',
    company text,
    normalized_company text,
    country text,
    status text NOT NULL DEFAULT 'pending'
        CHECK (status IN ('pending', 'running', 'finished', 'partial', 'failed', 'cancelled')),
    step text,
    pages integer NOT NULL DEFAULT 0,
    found integer NOT NULL DEFAULT 0,
    new integer NOT NULL DEFAULT 0,
    updated integer NOT NULL DEFAULT 0,
    unchanged integer NOT NULL DEFAULT 0,
    closed integer NOT NULL DEFAULT 0,
    dropped integer NOT NULL DEFAULT 0,
    llm_calls integer NOT NULL DEFAULT 0,
    errors integer NOT NULL DEFAULT 0,
    scrapyd_job_id text,
    node text,
    error_summary text,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    started_at timestamptz,
    finished_at timestamptz
);
CREATE INDEX crawl_runs_active_idx ON crawl_runs (normalized_company, country)
    WHERE status IN ('pending', 'running');
CREATE INDEX crawl_runs_created_idx ON crawl_runs (created_at DESC, id DESC);

CREATE TABLE jobs (
    id bigserial PRIMARY KEY,
    board text NOT NULL,
    external_id text NOT NULL,
    company_id bigint REFERENCES companies (id) ON DELETE SET NULL,
    company text,
    company_norm text NOT NULL DEFAULT '',
    company_domain text,
    source text,
    method text,
    title text NOT NULL,
    url text NOT NULL,
    apply_url text,
    location text,
    city text,
    region text,
    country text,
    workplace text,
    employment_type text,
    department text,
    salary_min double precision,
    salary_max double precision,
    salary_currency text,
    salary_period text,
    posted_at date,
    description text,
    description_html text,
    scraped_at timestamptz,
    extraction_pending boolean NOT NULL DEFAULT false,
    provenance jsonb,
    content_hash text NOT NULL,
    status text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'closed')),
    first_seen timestamptz NOT NULL,
    last_seen timestamptz NOT NULL,
    closed_at timestamptz,
    -- posted_at, or the day first seen when the site gives no date: a NOT NULL sort key keeps
    -- keyset pagination simple.
    sort_date date NOT NULL,
    search tsvector,
    UNIQUE (board, external_id)
);

-- A trigger rather than a generated column: generated columns are recomputed on every UPDATE,
-- and a re-crawl updates last_seen of every job.
CREATE FUNCTION jobs_search_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.search := setweight(to_tsvector('simple', coalesce(NEW.title, '')), 'A')
               || setweight(to_tsvector('simple', coalesce(NEW.description, '')), 'B');
    RETURN NEW;
END
$$;
CREATE TRIGGER jobs_search_trigger BEFORE INSERT OR UPDATE OF title, description ON jobs
    FOR EACH ROW EXECUTE FUNCTION jobs_search_update();

CREATE INDEX jobs_search_idx ON jobs USING gin (search);
CREATE INDEX jobs_status_sort_idx ON jobs (status, sort_date DESC, id DESC);
CREATE INDEX jobs_board_status_idx ON jobs (board, status);
CREATE INDEX jobs_company_norm_idx ON jobs (company_norm);
CREATE INDEX jobs_country_idx ON jobs (country);
CREATE INDEX jobs_workplace_idx ON jobs (workplace);
CREATE INDEX jobs_employment_type_idx ON jobs (employment_type);
CREATE INDEX jobs_posted_at_idx ON jobs (posted_at);

CREATE TABLE job_history (
    id bigserial PRIMARY KEY,
    job_id bigint NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
    changed_at timestamptz NOT NULL,
    crawl_id bigint,
    changed_fields jsonb NOT NULL,
    old_values jsonb NOT NULL
);
CREATE INDEX job_history_job_idx ON job_history (job_id, changed_at);

CREATE TABLE llm_cache (
    content_hash text PRIMARY KEY,
    model text NOT NULL,
    result jsonb NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE pending_extractions (
    board text NOT NULL,
    external_id text NOT NULL,
    url text,
    page_markdown text,
    item jsonb NOT NULL,
    attempts integer NOT NULL DEFAULT 0,
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (board, external_id)
);

CREATE TABLE audit_log (
    id bigserial PRIMARY KEY,
    at timestamptz NOT NULL DEFAULT now(),
    actor text NOT NULL,
    action text NOT NULL,
    target text,
    detail jsonb NOT NULL DEFAULT '{}'
);
CREATE INDEX audit_log_at_idx ON audit_log (at DESC, id DESC);
