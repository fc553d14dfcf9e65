-- jobs (board, status) duplicated the board prefix of UNIQUE (board, external_id). With both,
-- the planner, misled by statistics that lag a table a crawl is filling, looked up a batch's
-- external ids through (board, status) and read every job of the board per lookup (3 ms per
-- 20 ids at 100,000 jobs). The unique index serves every board-scoped query: existence
-- checks, close_missing (board, then status filtered), company assignment by board.
DROP INDEX jobs_board_status_idx;
