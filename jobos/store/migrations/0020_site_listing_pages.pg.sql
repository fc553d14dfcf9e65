-- Conditional re-crawls of a generic site's listing pages: besides the validators and body hash of
-- http_cache, what a complete crawl read from the page (the company, its job URLs, the listing pages
-- it led to), so a page answered 304 or with the same hash is taken as read: its jobs are touched and
-- its next pages requested, without parsing it again. NULL for a board's listing.
ALTER TABLE http_cache ADD COLUMN page_state text;
