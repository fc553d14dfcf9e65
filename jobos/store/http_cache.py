"""What each board listing answered last time (conditional re-crawls), and touching an unchanged board."""
from __future__ import annotations

from typing import Iterable

from jobos.store.common import utcnow


class HttpCacheMixin:
    """Validators and body hash per listing URL; `touch_board` for a board that did not change."""

    def http_cache_get(self, url: str) -> dict | None:
        """Return {url, board, etag, last_modified, body_hash} stored for a URL, or None."""
        with self._read() as cur:
            cur.execute("SELECT url, board, etag, last_modified, body_hash FROM http_cache"
                        " WHERE url = %s", [url])
            row = cur.fetchone()
        return dict(row) if row else None

    def http_cache_put(self, entries: Iterable[dict]) -> None:
        """Store (or replace) entries {url, board, etag, last_modified, body_hash}."""
        now = self._ts_in(utcnow())
        rows = [(e["url"], e.get("board"), e.get("etag"), e.get("last_modified"), e["body_hash"], now)
                for e in entries]
        if not rows:
            return
        with self._write() as cur:
            cur.executemany(
                "INSERT INTO http_cache (url, board, etag, last_modified, body_hash, updated_at)"
                " VALUES (%s, %s, %s, %s, %s, %s) ON CONFLICT (url) DO UPDATE SET"
                " board = excluded.board, etag = excluded.etag,"
                " last_modified = excluded.last_modified, body_hash = excluded.body_hash,"
                " updated_at = excluded.updated_at", rows)

    def touch_board(self, board: str, crawl_id: int | None = None) -> int:
        """Return how many open jobs of an unchanged board got last_seen = now (nothing else changes)."""
        with self._write() as cur:
            cur.execute(
                "UPDATE jobs SET last_seen = %s, last_crawl_id = COALESCE(%s, last_crawl_id)"
                " WHERE board = %s AND status = 'open'",
                [self._ts_in(utcnow()), crawl_id, board])
            return max(0, int(cur.rowcount or 0))
