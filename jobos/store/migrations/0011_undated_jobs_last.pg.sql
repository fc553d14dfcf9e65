-- Sorting by date puts undated jobs last in both directions: the search orders by
-- COALESCE(posted_at, a day before every date) descending, or after every date ascending.
-- Without these two indexes that order read every matching row (0.5 s a page at 50,000 jobs);
-- with them a page walks the index as the sort_date index did.
CREATE INDEX jobs_status_dated_desc_idx ON jobs (status, COALESCE(posted_at, '0001-01-01'::date) DESC, id DESC);
CREATE INDEX jobs_status_dated_asc_idx ON jobs (status, COALESCE(posted_at, '9999-12-31'::date), id);
