-- Re-crawls touch last_seen of every job. With free space left on each page (fillfactor) that
-- UPDATE is a HOT update: the new row version stays on its page and none of the jobs indexes
-- (the GIN full-text index among them) gets a new entry. last_seen must stay unindexed for
-- this. Pages written before this migration fill up as they were; new pages keep the space.
ALTER TABLE jobs SET (fillfactor = 60);
