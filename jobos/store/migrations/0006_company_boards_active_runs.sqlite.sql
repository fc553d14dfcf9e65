-- Jobs are closed only by their own company's crawl, and one crawl of a company runs at a time.
--
-- 1. A company's own site is the board "website:<domain>/<normalized company>", not the domain
--    alone: one company's crawl must never close (or claim) the jobs another company has on a
--    shared host. Existing rows move to the board of the company they belong to (the company
--    row's name when the job has one, else the job's own company name). Pending extractions
--    move with their jobs.
UPDATE pending_extractions SET board = board || '/' || (
    SELECT coalesce(nullif(c.normalized_name, ''), nullif(j.company_norm, ''))
    FROM jobs j LEFT JOIN companies c ON c.id = j.company_id
    WHERE j.board = pending_extractions.board AND j.external_id = pending_extractions.external_id)
WHERE board LIKE 'website:%' AND board NOT LIKE 'website:%/%' AND (
    SELECT coalesce(nullif(c.normalized_name, ''), nullif(j.company_norm, ''))
    FROM jobs j LEFT JOIN companies c ON c.id = j.company_id
    WHERE j.board = pending_extractions.board AND j.external_id = pending_extractions.external_id) IS NOT NULL;

UPDATE jobs SET board = board || '/' || coalesce(
    (SELECT nullif(c.normalized_name, '') FROM companies c WHERE c.id = jobs.company_id),
    nullif(company_norm, ''))
WHERE board LIKE 'website:%' AND board NOT LIKE 'website:%/%' AND coalesce(
    (SELECT nullif(c.normalized_name, '') FROM companies c WHERE c.id = jobs.company_id),
    nullif(company_norm, '')) IS NOT NULL;

UPDATE companies SET board = board || '/' || normalized_name
WHERE board LIKE 'website:%' AND board NOT LIKE 'website:%/%' AND normalized_name <> '';

-- 2. Who added a company (the crawl's requester): they and admins may change its careers page.
ALTER TABLE companies ADD COLUMN created_by TEXT;

-- 3. At most one active run per company and country. Older duplicates (from before this
--    index, when two triggers could race) are ended, the newest kept.
UPDATE crawl_runs SET status = 'cancelled', finished_at = strftime('%Y-%m-%dT%H:%M:%f000Z', 'now'), updated_at = strftime('%Y-%m-%dT%H:%M:%f000Z', 'now'),
    error_summary = 'ended by migration 0006: a newer crawl of this company was active'
WHERE status IN ('pending', 'running') AND coalesce(normalized_company, '') <> '' AND EXISTS (
    SELECT 1 FROM crawl_runs n
    WHERE n.normalized_company = crawl_runs.normalized_company
      AND coalesce(n.country, '') = coalesce(crawl_runs.country, '')
      AND n.status IN ('pending', 'running') AND n.id > crawl_runs.id);
DROP INDEX crawl_runs_active_idx;
CREATE UNIQUE INDEX crawl_runs_one_active_key ON crawl_runs (normalized_company, coalesce(country, ''))
    WHERE status IN ('pending', 'running') AND normalized_company <> '';
-- Runs without a heartbeat are found by status, then age.
CREATE INDEX crawl_runs_status_updated_idx ON crawl_runs (status, updated_at);
