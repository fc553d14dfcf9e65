-- Detail skipping on re-crawls: what a site's listing showed for each job link (a hash of its URL,
-- title and location) when the job's page was last read by a complete crawl. A link whose entry is
-- the same and whose job is still open is not requested again: the job only gets a new last_seen.
CREATE TABLE listing_entries (
    url TEXT PRIMARY KEY,
    entry_hash TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
