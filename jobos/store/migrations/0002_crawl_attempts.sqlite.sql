-- Crawl runs are retried once by the API (attempts), jobs remember the crawl that last saw them,
-- and company pages count open jobs per company without scanning by board.
ALTER TABLE crawl_runs ADD COLUMN attempts INTEGER NOT NULL DEFAULT 0;
ALTER TABLE jobs ADD COLUMN last_crawl_id INTEGER;
CREATE INDEX jobs_company_status_idx ON jobs (company_id, status);
