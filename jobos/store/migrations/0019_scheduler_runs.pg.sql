-- The refresh scheduler's crawl runs have their own source, `scheduler` (they were stored as
-- `api`, told apart only by requested_by); the runs it started before say so too.
ALTER TABLE crawl_runs DROP CONSTRAINT crawl_runs_source_check;
ALTER TABLE crawl_runs ADD CONSTRAINT crawl_runs_source_check
    CHECK (source IN ('cli', 'api', 'scrapyd', 'scheduler'));
UPDATE crawl_runs SET source = 'scheduler' WHERE source = 'api' AND requested_by = 'scheduler';
