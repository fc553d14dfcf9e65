"""The scope of a website crawl: which stored jobs its listing speaks for (and may close).

A crawl closes a job only when the listing it read would have shown that job:
- started at the top directory of a site (`/`, `/careers`, `/jobs.html`): the whole board;
- started deeper (`/teams/acme/`, `/en/careers/list`): jobs under that directory (the start
  path up to its last `/`) on the start page's host only;
- started on a job page (the page is one of the jobs the crawl found): nothing, since a job
  page lists no other job;
- no start page known: the whole board.
ATS boards are read through their API, which lists the whole board: they need no scope.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable
from urllib.parse import urlsplit


def _host_path(url: str | None) -> tuple[str, str]:
    try:
        parts = urlsplit(str(url or ""))
        host = (parts.hostname or "").lower()
    except ValueError:
        return "", ""
    return host, parts.path or "/"


@dataclass(frozen=True)
class CrawlScope:
    """Where a website crawl's listing reached: a host and a path prefix, or nothing at all."""

    host: str | None = None  # None: the whole board
    prefix: str = "/"
    closes_nothing: bool = False

    @classmethod
    def of(cls, start_url: str | None, seen_urls: Iterable[str]) -> CrawlScope:
        """Return the scope of a crawl that started at start_url and found jobs at seen_urls."""
        if not start_url:
            return cls()
        host, path = _host_path(start_url)
        if not host:
            return cls()
        start = (host, path.rstrip("/") or "/")
        matches = 0
        for url in seen_urls:
            h, p = _host_path(url)
            if (h, p.rstrip("/") or "/") == start:
                matches += 1
        if matches == 1:
            # The start page is a job's own page. (Several jobs at the start URL are one
            # listing page carrying all its jobs: a listing, not a job page.)
            return cls(host, path, closes_nothing=True)
        return cls(host, path[: path.rfind("/") + 1] or "/")

    @property
    def whole_board(self) -> bool:
        return not self.closes_nothing and (self.host is None or self.prefix == "/")

    def covers(self, url: str | None) -> bool:
        """Return True when a stored job at url is one this crawl's listing would have shown."""
        if self.closes_nothing:
            return False
        if self.whole_board:
            return True
        host, path = _host_path(url)
        return host == self.host and path.startswith(self.prefix)
