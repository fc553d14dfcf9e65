-- Conditional re-crawls: what a board's listing answered last time (its validators and a hash of
-- its body), so an unchanged board is recognised by a 304 or by the same hash.
CREATE TABLE http_cache (
    url TEXT PRIMARY KEY,
    board TEXT,
    etag TEXT,
    last_modified TEXT,
    body_hash TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
