-- Search at 1,000,000 jobs. Nearly every search asks for open jobs (the API's default), and the
-- GIN index of 0005 holds closed ones too, so the planner ANDed its bitmap with an 800,000-row
-- bitmap of status = 'open' (270 ms, and a bitmap that large turns lossy: every row of a lossy
-- page then had its tsvector read back from TOAST to recheck the match). Two partial indexes,
-- one per status, hold each row once (inserts cost what one index cost) and make the status
-- condition free. The company and the language join the filter columns: a company's or a
-- language's jobs with words now come from one index scan too. The country is indexed as
-- coalesce(country, ''): a country filter keeps jobs of unknown country by default, and
-- "country IS NULL" is no condition a GIN index can answer (every row was read to check it).
-- Where btree_gin is missing (0005 kept the single-column index), the same split is made over
-- the tsvector alone.
DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'btree_gin') THEN
        CREATE INDEX jobs_open_search_idx ON jobs
            USING gin ((coalesce(country, '')), workplace, employment_type, company_norm, language, search)
            WHERE status = 'open';
        CREATE INDEX jobs_closed_search_idx ON jobs
            USING gin ((coalesce(country, '')), workplace, employment_type, company_norm, language, search)
            WHERE status = 'closed';
        DROP INDEX IF EXISTS jobs_search_filters_idx;
    ELSE
        CREATE INDEX jobs_open_search_idx ON jobs USING gin (search) WHERE status = 'open';
        CREATE INDEX jobs_closed_search_idx ON jobs USING gin (search) WHERE status = 'closed';
        DROP INDEX IF EXISTS jobs_search_idx;
    END IF;
END
$$;
-- Statistics for the new index expression now, not at the next autovacuum: until then the
-- planner guesses 500 rows for any country and sorts 20,000 matches where it should walk the
-- date index.
ANALYZE jobs;
