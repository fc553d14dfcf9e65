"""Helpers every page parser shares: the page's board identity, stable ids, URL cleanup."""
from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit, urlunsplit

from jobos.normalize.urls import registrable_domain  # noqa: F401 - page parsers import it from here

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class PageSource:
    """Where a page's jobs belong: `source` and `board` for the records taken from it."""

    source: str
    board: str


def page_source(url: str) -> PageSource:
    """Return the ATS source/board for a page on an ATS host, else 'website:<domain>'."""
    try:
        from jobos.ats import detect_url

        board = detect_url(url)
    except Exception:  # a broken detector must not stop a page from being read
        logger.debug("ATS detection failed for %s", url, exc_info=True)
        board = None
    if board is not None:
        return PageSource(board.ats, board.key)
    domain = registrable_domain(url) or (urlsplit(url).hostname or "unknown")
    return PageSource("website", f"website:{domain}")


def canonical_url(url: str) -> str:
    """Return the URL without its fragment (the job's identity must not depend on '#apply')."""
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc.lower(), parts.path or "/", parts.query, ""))


def url_id(url: str) -> str:
    """Return a stable external id for a job known only by its URL: a hash of the canonical URL."""
    return hashlib.sha1(canonical_url(url).encode("utf-8")).hexdigest()[:16]


def text_id(*parts: str) -> str:
    """Return a stable external id made of several texts (a page URL and a title)."""
    return hashlib.sha1("|".join(parts).encode("utf-8")).hexdigest()[:16]


def absolute(url: str | None, base_url: str) -> str | None:
    """Return an absolute http(s) URL for a link, or None for mailto:, javascript:, anchors..."""
    if not url or not isinstance(url, str):
        return None
    url = url.strip()
    if not url or url.startswith(("#", "mailto:", "tel:", "javascript:", "data:")):
        return None
    try:
        joined = urljoin(base_url, url)
    except ValueError:
        return None
    return joined if joined.startswith(("http://", "https://")) else None
