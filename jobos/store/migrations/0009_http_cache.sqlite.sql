-- Conditional re-crawls: what a board's listing answered last time (its validators and a hash of
-- its body with the crawl's country), and a fingerprint of the board's open jobs then: an unchanged
-- board is recognised by a 304 or the same hash, as long as its stored jobs are as that crawl left them.
CREATE TABLE http_cache (
    url TEXT PRIMARY KEY,
    board TEXT,
    etag TEXT,
    last_modified TEXT,
    body_hash TEXT NOT NULL,
    jobs_fingerprint TEXT,
    updated_at TEXT NOT NULL
);
