"""What each board listing answered last time (conditional re-crawls), and touching an unchanged board."""
from __future__ import annotations

import hashlib
from typing import Iterable

from jobos.store.common import utcnow


class HttpCacheMixin:
    """Validators and body hash per listing URL; `touch_board` for a board that did not change."""

    def http_cache_get(self, url: str) -> dict | None:
        """Return {url, board, etag, last_modified, body_hash} stored for a URL, or None."""
        with self._read() as cur:
            cur.execute("SELECT url, board, etag, last_modified, body_hash, jobs_fingerprint FROM http_cache"
                        " WHERE url = %s", [url])
            row = cur.fetchone()
        return dict(row) if row else None

    def http_cache_put(self, entries: Iterable[dict]) -> None:
        """Store (or replace) entries {url, board, etag, last_modified, body_hash, jobs_fingerprint}."""
        now = self._ts_in(utcnow())
        rows = [(e["url"], e.get("board"), e.get("etag"), e.get("last_modified"), e["body_hash"],
                 e.get("jobs_fingerprint"), now) for e in entries]
        if not rows:
            return
        with self._write() as cur:
            cur.executemany(
                "INSERT INTO http_cache (url, board, etag, last_modified, body_hash,"
                " jobs_fingerprint, updated_at) VALUES (%s, %s, %s, %s, %s, %s, %s)"
                " ON CONFLICT (url) DO UPDATE SET board = excluded.board, etag = excluded.etag,"
                " last_modified = excluded.last_modified, body_hash = excluded.body_hash,"
                " jobs_fingerprint = excluded.jobs_fingerprint,"
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
