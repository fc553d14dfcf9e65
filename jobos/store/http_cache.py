"""What each board listing or site listing page answered last time (conditional re-crawls), and
touching an unchanged board or site job."""
from __future__ import annotations

import hashlib
from datetime import datetime
from typing import Iterable, Sequence

from jobos.store.common import utcnow


class HttpCacheMixin:
    """Validators and body hash per listing URL; `touch_board` for a board that did not change."""

    def http_cache_get(self, url: str) -> dict | None:
        """Return {url, board, etag, last_modified, body_hash, jobs_fingerprint, page_state} stored
        for a URL, or None."""
        with self._read() as cur:
            cur.execute("SELECT url, board, etag, last_modified, body_hash, jobs_fingerprint, page_state"
                        " FROM http_cache WHERE url = %s", [url])
            row = cur.fetchone()
        return dict(row) if row else None

    def site_page_get(self, url: str, read_since: datetime) -> dict | None:
        """Return the http_cache entry of a site's listing page (one with a page_state), or None;
        None also when a complete crawl last read the page before read_since (read it whole now
        and then, so its jobs' pages are read again too)."""
        with self._read() as cur:
            cur.execute("SELECT url, board, etag, last_modified, body_hash, page_state FROM http_cache"
                        " WHERE url = %s AND page_state IS NOT NULL AND updated_at >= %s",
                        [url, self._ts_in(read_since)])
            row = cur.fetchone()
        return dict(row) if row else None

    def http_cache_put(self, entries: Iterable[dict]) -> None:
        """Store (or replace) entries {url, board, etag, last_modified, body_hash, jobs_fingerprint,
        page_state} (page_state: what a site's listing page led to, as text; None for a board)."""
        now = self._ts_in(utcnow())
        rows = [(e["url"], e.get("board"), e.get("etag"), e.get("last_modified"), e["body_hash"],
                 e.get("jobs_fingerprint"), e.get("page_state"), now) for e in entries]
        if not rows:
            return
        with self._write() as cur:
            cur.executemany(
                "INSERT INTO http_cache (url, board, etag, last_modified, body_hash,"
                " jobs_fingerprint, page_state, updated_at) VALUES (%s, %s, %s, %s, %s, %s, %s, %s)"
                " ON CONFLICT (url) DO UPDATE SET board = excluded.board, etag = excluded.etag,"
                " last_modified = excluded.last_modified, body_hash = excluded.body_hash,"
                " jobs_fingerprint = excluded.jobs_fingerprint, page_state = excluded.page_state,"
                " updated_at = excluded.updated_at", rows)

    def board_fingerprint(self, board: str) -> str:
        """Return a hash of a board's open jobs (ids and content): it changes when any stored job does."""
        with self._read() as cur:
            cur.execute("SELECT external_id, content_hash FROM jobs WHERE board = %s AND status = 'open'",
                        [board])
            rows = sorted(f"{r['external_id']}:{r['content_hash']}" for r in cur.fetchall())
        return hashlib.sha256("\n".join(rows).encode("utf-8")).hexdigest()

    def touch_board(self, board: str, crawl_id: int | None = None) -> int:
        """Return how many open jobs of an unchanged board got last_seen = now (nothing else changes)."""
        with self._write() as cur:
            cur.execute(
                "UPDATE jobs SET last_seen = %s, last_crawl_id = COALESCE(%s, last_crawl_id)"
                " WHERE board = %s AND status = 'open'",
                [self._ts_in(utcnow()), crawl_id, board])
            return max(0, int(cur.rowcount or 0))

    # ---- detail skipping: what a site's listing showed for each job link ----------------------
    def listing_entry_get(self, url: str, read_since: datetime | None = None) -> str | None:
        """Return the listing entry hash stored for a job link, or None (also when its page was
        last read before read_since: a page is read again now and then even if its entry stays)."""
        with self._read() as cur:
            if read_since is None:
                cur.execute("SELECT entry_hash FROM listing_entries WHERE url = %s", [url])
            else:
                cur.execute("SELECT entry_hash FROM listing_entries WHERE url = %s AND updated_at >= %s",
                            [url, self._ts_in(read_since)])
            row = cur.fetchone()
        return row["entry_hash"] if row else None

    def listing_entries_put(self, entries: Iterable[tuple[str, str]]) -> None:
        """Store (or replace) (url, entry_hash) pairs."""
        now = self._ts_in(utcnow())
        rows = [(url, digest, now) for url, digest in entries]
        if not rows:
            return
        with self._write() as cur:
            cur.executemany(
                "INSERT INTO listing_entries (url, entry_hash, updated_at) VALUES (%s, %s, %s)"
                " ON CONFLICT (url) DO UPDATE SET entry_hash = excluded.entry_hash,"
                " updated_at = excluded.updated_at", rows)

    def touch_site_job(self, url: str, company_key: str, crawl_id: int | None = None) -> dict | None:
        """Return {board, external_id} of the open website job at url of this company after giving
        it last_seen = now (nothing else changes); None when there is no such job.

        company_key is the normalized company name that ends the company's website boards
        ('website:<domain>/<company_key>'): another company's job at the same URL is never touched.
        """
        with self._write() as cur:
            cur.execute("SELECT id, board, external_id FROM jobs WHERE url = %s AND status = 'open'"
                        " AND board LIKE 'website:%%'", [url])
            rows = [r for r in cur.fetchall() if str(r["board"]).endswith("/" + company_key)]
            if len(rows) != 1:
                return None
            row = rows[0]
            cur.execute("UPDATE jobs SET last_seen = %s, last_crawl_id = COALESCE(%s, last_crawl_id)"
                        " WHERE id = %s", [self._ts_in(utcnow()), crawl_id, row["id"]])
        return {"board": row["board"], "external_id": row["external_id"]}

    def touch_site_jobs(self, urls: Sequence[str], company_key: str,
                        crawl_id: int | None = None) -> dict[str, dict] | None:
        """Return {url: {board, external_id}} after giving the company's open website job at each
        url last_seen = now (nothing else changes), in one transaction; None, touching nothing,
        when one url has no such job (or more than one): the caller reads the page instead."""
        urls = list(dict.fromkeys(urls))
        found: dict[str, list[dict]] = {}
        with self._write() as cur:
            for start in range(0, len(urls), self._IN_CHUNK):
                clause, params = self._in("url", urls[start:start + self._IN_CHUNK])
                cur.execute("SELECT id, url, board, external_id FROM jobs WHERE " + clause +
                            " AND status = 'open' AND board LIKE 'website:%%'", params)
                for row in cur.fetchall():
                    if str(row["board"]).endswith("/" + company_key):
                        found.setdefault(row["url"], []).append(dict(row))
            if any(len(found.get(url, ())) != 1 for url in urls):
                return None
            ids = [found[url][0]["id"] for url in urls]
            now = self._ts_in(utcnow())
            for start in range(0, len(ids), self._IN_CHUNK):
                clause, params = self._in("id", ids[start:start + self._IN_CHUNK])
                cur.execute("UPDATE jobs SET last_seen = %s, last_crawl_id = COALESCE(%s, last_crawl_id)"
                            " WHERE " + clause, [now, crawl_id, *params])
        return {url: {"board": found[url][0]["board"], "external_id": found[url][0]["external_id"]}
                for url in urls}
