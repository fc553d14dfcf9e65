-- Search at 1,000,000 jobs (issue 15): a sample of the open jobs' full-text index. A GIN scan
-- builds the whole list of its matches before any row is read, and for common words that list
-- is most of the search's time (47,826 matches of "experience team" in US remote jobs: 67 ms),
-- even when the page needs 50 of them and the total says only "1000+". This index holds the
-- same columns for one open job in 16 (id % 16 = 0): counting the matches there (up to 1,001)
-- reads a sixteenth of those lists, and 1,001 matches in the sample are 1,001 real matches, so
-- "1000+" stays certain. A second sample (id % 16 between 1 and 3, disjoint from the first) is
-- read when the first says it likely brings the count past 1,000. Searches with fewer matches in
-- the samples use the full index as before.
-- Same columns as jobs_open_search_idx (0021), or the tsvector alone where btree_gin is missing.
DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'btree_gin') THEN
        CREATE INDEX IF NOT EXISTS jobs_open_search_sample_idx ON jobs
            USING gin ((ARRAY[coalesce(country, '')]), workplace, employment_type, company_norm, language, search)
            WHERE status = 'open' AND id % 16 = 0;
        CREATE INDEX IF NOT EXISTS jobs_open_search_sample3_idx ON jobs
            USING gin ((ARRAY[coalesce(country, '')]), workplace, employment_type, company_norm, language, search)
            WHERE status = 'open' AND id % 16 BETWEEN 1 AND 3;
    ELSE
        CREATE INDEX IF NOT EXISTS jobs_open_search_sample_idx ON jobs USING gin (search)
            WHERE status = 'open' AND id % 16 = 0;
        CREATE INDEX IF NOT EXISTS jobs_open_search_sample3_idx ON jobs USING gin (search)
            WHERE status = 'open' AND id % 16 BETWEEN 1 AND 3;
    END IF;
END
$$;
