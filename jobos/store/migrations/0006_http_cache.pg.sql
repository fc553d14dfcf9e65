-- Conditional re-crawls: what a board's listing answered last time (its validators and a hash of
-- its body), so an unchanged board is recognised by a 304 or by the same hash.
CREATE TABLE http_cache (
    url text PRIMARY KEY,
    board text,
    etag text,
    last_modified text,
    body_hash text NOT NULL,
    updated_at timestamptz NOT NULL DEFAULT now()
);
