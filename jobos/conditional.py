"""Conditional re-crawls: a board whose listing did not change costs one request and no writes.

A board's listing request (the one request of an ATS whose answer holds the whole list) is sent
with If-None-Match / If-Modified-Since when the board sent an ETag / Last-Modified last time.
A 304, or a 200 whose body hashes the same as last time (the hash covers the crawl's country,
which decides the jobs kept), means the board is unchanged, as long as the board's stored open
jobs are as that crawl left them (a fingerprint of their ids and content; a store edited since,
or jobs closed by hand, make the board read whole). Then its open
jobs get only a new `last_seen` (BaseStore.touch_board), the response is not parsed (no items, so
no history, no LLM call, no detail request) and the request ends with BoardUnchanged, which the
spider does not count as a failure. What a listing answered is saved only when its crawl (its
company's, in batch mode) was complete, so a partial read is never taken as the board's state.
Paginated APIs (a first page says nothing about the next) are always read whole.
"""
from __future__ import annotations

import hashlib
import logging
from typing import Any

from scrapy import Request, signals
from scrapy.exceptions import IgnoreRequest, NotConfigured

logger = logging.getLogger(__name__)

LISTING_META = "jobos_listing"  # the board key, on a request whose answer is the board's whole list
_ENTRY_META = "jobos_http_cache"
# ATSs whose first request answers the whole board (no paging): see each module's start().
WHOLE_LIST_ATS = frozenset({"greenhouse", "ashby", "recruitee", "personio", "workable", "bamboohr"})


class BoardUnchanged(IgnoreRequest):
    """The board's listing is what it was at the last complete crawl (304 or same hash)."""


def mark_listing(request: Any, board: Any) -> Any:
    """Return the request, marked as its board's whole listing when its ATS answers in one."""
    if isinstance(request, Request) and board.ats in WHOLE_LIST_ATS and request.method == "GET":
        request.meta.setdefault(LISTING_META, board.key)
    return request


def body_hash(body: bytes, country: str | None = None) -> str:
    """Return the hash of a listing answer read for a country (another country keeps other jobs)."""
    return hashlib.sha256(body + b"\0" + (country or "").encode("ascii", "replace")).hexdigest()


class ConditionalRequestMiddleware:
    """Downloader middleware: validators on board listings, unchanged boards end early."""

    def __init__(self, crawler) -> None:
        self.crawler = crawler
        self.stats = crawler.stats
        self.store = None
        self.pending: dict[str, dict] = {}  # url -> entry to save if its crawl is complete
        self._closed: tuple[Any, str] | None = None
        crawler.signals.connect(self.spider_closed, signal=signals.spider_closed)
        # Saved once the store pipeline has closed missing jobs, so the fingerprint is final.
        crawler.signals.connect(self.engine_stopped, signal=signals.engine_stopped)

    @classmethod
    def from_crawler(cls, crawler):
        if not crawler.settings.getbool("JOBOS_CONDITIONAL", True):
            raise NotConfigured("conditional re-crawls are off (JOBOS_CONDITIONAL=False)")
        return cls(crawler)

    def _store(self):
        if self.store is None:
            from jobos.store.pipeline import store_from_settings

            try:
                self.store = store_from_settings(self.crawler.settings)
            except Exception as exc:  # noqa: BLE001 - without a store, every board is read whole
                self.stats.inc_value("jobos/conditional/store_errors")
                logger.warning("conditional requests off: store unavailable (%s)", exc)
                return None
        return self.store

    def process_request(self, request: Request, spider: Any = None):
        if not request.meta.get(LISTING_META) or _ENTRY_META in request.meta:
            return None
        store = self._store()
        entry = None
        if store is not None:
            try:
                entry = store.http_cache_get(request.url)
            except Exception as exc:  # noqa: BLE001
                self.stats.inc_value("jobos/conditional/store_errors")
                logger.warning("conditional: cache read failed (%s)", exc)
        if entry and not self._store_as_left(store, entry, request.meta[LISTING_META]):
            entry = None  # the stored jobs changed since: read the board whole
        request.meta[_ENTRY_META] = entry
        if entry:
            if entry.get("etag"):
                request.headers.setdefault("If-None-Match", entry["etag"])
            if entry.get("last_modified"):
                request.headers.setdefault("If-Modified-Since", entry["last_modified"])
        return None

    def _store_as_left(self, store: Any, entry: dict, board: str) -> bool:
        """True when the board's stored open jobs are as the crawl that saved the entry left them."""
        try:
            same = store.board_fingerprint(board) == entry.get("jobs_fingerprint")
        except Exception as exc:  # noqa: BLE001
            logger.warning("conditional: fingerprint of %s failed (%s)", board, exc)
            same = False
        if not same:
            self.stats.inc_value("jobos/conditional/store_changed")
        return same

    def process_response(self, request: Request, response: Any, spider: Any = None):
        board = request.meta.get(LISTING_META)
        if not board:
            return response
        entry = request.meta.get(_ENTRY_META)
        if response.status == 304 and entry:
            self._unchanged(request, board, "not_modified")
        if response.status != 200:
            return response
        digest = body_hash(response.body, getattr(_args_of(self.crawler, request), "country", None))
        if entry and entry.get("body_hash") == digest:
            self._unchanged(request, board, "same_hash")
        self.pending[request.url] = {
            "url": request.url, "board": board, "body_hash": digest,
            "etag": _header(response, "ETag"), "last_modified": _header(response, "Last-Modified"),
        }
        self.stats.inc_value("jobos/conditional/changed")
        return response

    def _unchanged(self, request: Request, board: str, how: str) -> None:
        from jobos.batch import company_of
        from jobos.store.pipeline import crawl_id_of

        company = company_of(request)
        crawl_id = company.crawl_id if company is not None else crawl_id_of(self.crawler)
        touched = 0
        store = self._store()
        if store is not None:
            try:
                touched = store.touch_board(board, crawl_id)
            except Exception as exc:  # noqa: BLE001 - the jobs stay as they were: nothing is lost
                self.stats.inc_value("jobos/conditional/store_errors")
                logger.warning("conditional: could not touch %s (%s)", board, exc)
        self.stats.inc_value(f"jobos/conditional/{how}")
        self.stats.inc_value("jobos/conditional/touched", touched)
        if company is not None:
            company.inc(f"jobos/conditional/{how}")
            company.inc("jobos/store/unchanged", touched)
        else:
            self.stats.inc_value("jobos/store/unchanged", touched)
        logger.info("board %s unchanged (%s): %d open jobs seen again", board, how, touched)
        raise BoardUnchanged(f"board {board} unchanged ({how})")

    def spider_closed(self, spider: Any, reason: str) -> None:
        self._closed = (spider, reason)

    def engine_stopped(self) -> None:
        """Save what complete crawls' listings answered; forget partial ones."""
        from jobos.batch import company_complete

        if self._closed is None:
            return
        spider, reason = self._closed
        try:
            owners = getattr(spider, "board_owner", None)
            if getattr(spider, "companies", None):
                keep = [e for e in self.pending.values()
                        if owners.get(e["board"]) is not None
                        and company_complete(owners[e["board"]], spider, reason)]
            else:
                complete = (reason == "finished" and not getattr(spider, "partial", False)
                            and not getattr(spider, "failed_reason", None))
                keep = list(self.pending.values()) if complete else []
            if keep and self._store() is not None:
                for entry in keep:
                    entry["jobs_fingerprint"] = self.store.board_fingerprint(entry["board"])
                self.store.http_cache_put(keep)
            self.stats.set_value("jobos/conditional/saved", len(keep))
        except Exception as exc:  # noqa: BLE001 - next crawl reads the boards whole: safe
            self.stats.inc_value("jobos/conditional/store_errors")
            logger.warning("conditional: could not save listing validators (%s)", exc)
        finally:
            if self.store is not None:
                try:
                    self.store.close()
                except Exception:  # noqa: BLE001
                    pass
                self.store = None


def _args_of(crawler: Any, request: Request) -> Any:
    from jobos.batch import company_of

    company = company_of(request)
    return company.args if company is not None else getattr(crawler.spider, "args", None)


def _header(response: Any, name: str) -> str | None:
    value = response.headers.get(name)
    if not value:
        return None
    text = value.decode("latin-1", "replace").strip()
    return text[:500] or None


__all__ = ["BoardUnchanged", "ConditionalRequestMiddleware", "LISTING_META", "WHOLE_LIST_ATS",
           "body_hash", "mark_listing"]
