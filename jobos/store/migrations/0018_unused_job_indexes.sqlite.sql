-- Two indexes of 0001 that no query reads any more: searches sort and filter by date through
-- COALESCE(posted_at, ...) (0011's two indexes), never by sort_date or plain posted_at. Each
-- index is one more B-tree written for every new job and for every change of its columns
-- (together about a sixth of an inserted row's cost).
DROP INDEX IF EXISTS jobs_status_sort_idx;
DROP INDEX IF EXISTS jobs_posted_at_idx;
