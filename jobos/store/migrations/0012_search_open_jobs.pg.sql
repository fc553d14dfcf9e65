-- Search at 1,000,000 jobs. Nearly every search asks for open jobs (the API's default), and the
-- GIN index of 0005 holds closed ones too, so the planner ANDed its bitmap with an 800,000-row
-- bitmap of status = 'open' (270 ms, and a bitmap that large turns lossy: every row of a lossy
-- page then had its tsvector read back from TOAST to recheck the match). Two partial indexes,
-- one per status, hold each row once (inserts cost what one index cost) and make the status
-- condition free. The company and the language join the filter columns: a company's or a
-- language's jobs with words now come from one index scan too. Where btree_gin is missing
-- (0005 kept the single-column index), the same split is made over the tsvector alone.
DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'btree_gin') THEN
        CREATE INDEX jobs_open_search_idx ON jobs
            USING gin (country, workplace, employment_type, company_norm, language, search)
            WHERE status = 'open';
        CREATE INDEX jobs_closed_search_idx ON jobs
            USING gin (country, workplace, employment_type, company_norm, language, search)
            WHERE status = 'closed';
        DROP INDEX IF EXISTS jobs_search_filters_idx;
    ELSE
        CREATE INDEX jobs_open_search_idx ON jobs USING gin (search) WHERE status = 'open';
        CREATE INDEX jobs_closed_search_idx ON jobs USING gin (search) WHERE status = 'closed';
        DROP INDEX IF EXISTS jobs_search_idx;
    END IF;
END
$$;
