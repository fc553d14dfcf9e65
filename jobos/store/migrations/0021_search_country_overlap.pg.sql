-- Search at 1,000,000 jobs (issue 15). A country filter keeps jobs of unknown country by default;
-- written as two equalities ORed, it made the planner scan the full-text index once per
-- country value, each time through the same long posting lists of the words and the other
-- filters (a third of a common word's search). The country is now indexed as a one-element
-- array, so "this country or unknown" is one overlap condition (&&) that one scan answers.
-- Same names, same columns otherwise; one index per status as in 0014. Where btree_gin is
-- missing (0014 made full-text-only indexes) nothing changes: the country is then checked on
-- the rows either way.
DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'btree_gin') THEN
        DROP INDEX IF EXISTS jobs_open_search_idx;
        DROP INDEX IF EXISTS jobs_closed_search_idx;
        CREATE INDEX jobs_open_search_idx ON jobs
            USING gin ((ARRAY[coalesce(country, '')]), workplace, employment_type, company_norm, language, search)
            WHERE status = 'open';
        CREATE INDEX jobs_closed_search_idx ON jobs
            USING gin ((ARRAY[coalesce(country, '')]), workplace, employment_type, company_norm, language, search)
            WHERE status = 'closed';
    END IF;
END
$$;
-- Statistics for the new index expression now (as 0014 did).
ANALYZE jobs;
