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

Detail skipping (generic sites): a listing may change while most of its entries do not. Each job
link's entry (its URL, title and location, with the crawl's country) is hashed; when a complete
crawl last read that link's page with the same entry, and the company's job at that URL is still
open, the page is not requested again: the job gets a new `last_seen` (BaseStore.touch_site_job),
no history, no LLM call. A vanished link's job is still closed: at the end of a complete crawl
the boards whose jobs were skipped are closed as the store pipeline closes them (in the crawl's
scope, keeping every job seen since the crawl started, which the skipped ones were).

Site listing pages (a site's careers page, its numbered pages and its JSON "load more" pages,
and the job feeds and sitemaps the site tier reads when a page lists no job) are requested with
the validators a complete crawl stored for them (http_cache, with a page_state: the company and
country it was read for, the job URLs it listed, the listing pages it led to). A 304, or a 200
whose hash of its job-relevant content (page_hash: not CSP nonces, CSRF tokens or comments) is
the same, means the page is as stored: the spider does not parse it; its jobs get a new last_seen
(so the crawl's closing counts them as seen) and its next pages are requested as before
(unchanged_site_page; a sitemap index's child sitemaps likewise). When one of its jobs is no
longer open in the store, the page is read whole (a 304 is asked again without validators). Only
a page whose reading led to nothing but job links, records and listing pages is stored (a page
that led to an embedded board, a browser render, the site's feeds and sitemaps or the LLM tier
is read every time), and only when its crawl (its company's) was complete.
"""
from __future__ import annotations

import hashlib
import json
import logging
import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from scrapy import Request, signals
from scrapy.exceptions import IgnoreRequest, NotConfigured

from jobos.store.common import close_quietly, utcnow
from jobos.store.names import normalize_company

logger = logging.getLogger(__name__)

LISTING_META = "jobos_listing"  # the board key, on a request whose answer is the board's whole list
_ENTRY_META = "jobos_http_cache"
DETAIL_META = "jobos_listing_entry"  # (link URL, entry hash) on a detail request of a site
_CRAWLER_ATTR = "jobos_conditional"  # the middleware, for the site spider's detail hook
SITE_PAGE_META = "jobos_site_listing"  # "page" or "json", on a site listing page's request
_SITE_ENTRY_META = "jobos_site_entry"  # (URL, stored entry or None) a site page was requested with
_SITE_UNCHANGED_META = "jobos_site_unchanged"  # "not_modified" / "same_hash" on an unchanged answer
_SITE_WHOLE_META = "jobos_site_whole"  # read the page whole: no validators
_SITE_BOARD_PREFIX = "site:"  # http_cache.board of a site page: site:<company key>
_SOURCE_KINDS = ("feed", "sitemap")  # listings read in a queue (SiteSourcesMixin), not as pages
# ATSs whose first request answers the whole board (no paging): see each module's start().
WHOLE_LIST_ATS = frozenset({"greenhouse", "ashby", "recruitee", "personio", "workable", "bamboohr"})


class BoardUnchanged(IgnoreRequest):
    """The board's listing is what it was at the last complete crawl (304 or same hash)."""


def mark_listing(request: Any, board: Any) -> Any:
    """Return the request, marked as its board's whole listing when its ATS answers in one."""
    if isinstance(request, Request) and board.ats in WHOLE_LIST_ATS and request.method == "GET":
        request.meta.setdefault(LISTING_META, board.key)
    return request


def entry_hash(url: str, title: str | None, location: str | None, country: str | None = None) -> str:
    """Return the hash of what a listing shows for one job link (read for a country)."""
    text = "\0".join([url, " ".join((title or "").split()), " ".join((location or "").split()),
                      country or ""])
    return hashlib.sha256(text.encode("utf-8", "replace")).hexdigest()


def detail_request(owner: Any, link: Any, request: Request) -> Request | None:
    """Return the detail request of a listing's job link, or None when its job is unchanged.

    owner is the spider (or, in batch mode, the CompanyRun) reading the listing. None means the
    link's entry is as a complete crawl last read it and its open job was touched instead.
    """
    middleware = getattr(owner.crawler, _CRAWLER_ATTR, None)
    if middleware is None:
        return request
    return middleware.detail_request(owner, link, request)


def body_hash(body: bytes, country: str | None = None) -> str:
    """Return the hash of a listing answer read for a country (another country keeps other jobs)."""
    return hashlib.sha256(body + b"\0" + (country or "").encode("ascii", "replace")).hexdigest()


# --- site listing pages ------------------------------------------------------------------------
# Names of attributes and meta tags whose values change on every answer of a page that did not
# (CSRF tokens, nonces), and the same keys in a page's inline scripts ("nonce":"a25144e020").
_VOLATILE_NAME = re.compile(r"nonce|csrf|xsrf|token", re.I)
_SCRIPT_VOLATILE = re.compile(
    r"""(["']?[\w$.-]*(?:nonce|csrf|xsrf|token)[\w$.-]*["']?\s*[:=]\s*)(["'])[^"'\\<>\s]{4,300}\2""", re.I)
_MIN_VOLATILE = 8  # shorter values are not removed from the rest of the page (too likely elsewhere)


def stable_page_text(body: bytes, content_type: str = "") -> bytes:
    """Return an HTML page without what changes from one answer to the next while its jobs stay:
    comments, CSP nonces, CSRF tokens (meta tags, hidden inputs, script values) and every other
    occurrence of those values. A gzip body (a sitemap) is its content (gzip stamps its time);
    anything else is returned as it is."""
    if body[:2] == b"\x1f\x8b":
        from jobos.pages.sitemap import SitemapError, decompressed

        try:
            return decompressed(body)
        except SitemapError:
            return body
    head = body[:512].lstrip().lower()
    if "html" not in content_type.lower() and not head.startswith((b"<!doctype html", b"<html")):
        return body
    import lxml.etree
    import lxml.html

    from jobos.normalize.html import drop_node

    try:
        doc = lxml.html.document_fromstring(body)
    except (lxml.etree.ParserError, ValueError):
        return body
    volatile: set[str] = set()
    for comment in doc.xpath("//comment()"):
        drop_node(comment)
    for element in doc.iter(lxml.etree.Element):
        attrib = element.attrib
        nonce = attrib.pop("nonce", None)
        if nonce:
            volatile.add(nonce)
        tag = element.tag if isinstance(element.tag, str) else ""
        if tag == "input" and (attrib.get("type") or "").lower() == "hidden":
            volatile.add(attrib.pop("value", "") or "")
        elif tag == "meta" and _VOLATILE_NAME.search(" ".join(
                attrib.get(k, "") for k in ("name", "http-equiv", "property", "itemprop"))):
            volatile.add(attrib.pop("content", "") or "")
    text = lxml.html.tostring(doc, encoding="unicode")
    text = _SCRIPT_VOLATILE.sub(lambda m: m.group(1) + m.group(2) * 2, text)
    for value in sorted(volatile, key=len, reverse=True):
        if len(value) >= _MIN_VOLATILE:
            text = text.replace(value, "")
    return text.encode("utf-8")


def page_hash(body: bytes, content_type: str = "", country: str | None = None) -> str:
    """Return the hash of a site listing page's job-relevant content, read for a country."""
    return body_hash(stable_page_text(body, content_type), country)


def mark_site_listing(request: Any, kind: str) -> Any:
    """Return the request, marked as a site listing ("page": HTML, "json": a JSON listing, "feed",
    "sitemap")."""
    if isinstance(request, Request) and request.method == "GET":
        request.meta.setdefault(SITE_PAGE_META, kind)
    return request


def note_listed(owner: Any, page_url: str, job_url: str) -> None:
    """Record that a site listing page lists a job link (requested, skipped or seen before)."""
    middleware = getattr(owner.crawler, _CRAWLER_ATTR, None)
    if middleware is not None:
        middleware.site_listed.setdefault(page_url, set()).add(job_url)


def note_listed_pages(owner: Any, page_url: str, pages: list[tuple[str, str]]) -> None:
    """Record (URL, kind) listings a page leads to besides its requests (a sitemap index's children)."""
    middleware = getattr(owner.crawler, _CRAWLER_ATTR, None)
    page = middleware.site_pending.get(page_url) if middleware is not None else None
    if page is not None:
        page["pages"] += [(url, kind, False) for url, kind in pages]


@dataclass
class UnchangedPage:
    """A site listing page that is as a complete crawl stored it (see unchanged_site_page)."""

    how: str  # "not_modified" or "same_hash"
    jobs: list[str] = field(default_factory=list)  # job URLs it lists, all touched
    pages: list[tuple[str, str, bool]] = field(default_factory=list)  # (URL, kind, by a button)
    reread: Request | None = None  # a 304 whose jobs are not all open: the page asked again


def unchanged_site_page(owner: Any, response: Any) -> UnchangedPage | None:
    """Return what an unchanged site listing page listed (its jobs touched), else None: read it.

    owner is the spider (or, in batch mode, the CompanyRun) reading the page.
    """
    middleware = getattr(owner.crawler, _CRAWLER_ATTR, None)
    if middleware is None or getattr(response, "request", None) is None:
        return None  # a response built without its request (a page read outside a crawl)
    if not response.meta.get(_SITE_UNCHANGED_META):
        return None
    return middleware.unchanged_site_page(owner, response)


class ConditionalRequestMiddleware:
    """Downloader middleware: validators on board listings, unchanged boards end early."""

    def __init__(self, crawler) -> None:
        self.crawler = crawler
        self.stats = crawler.stats
        self.store = None
        self.pending: dict[str, dict] = {}  # url -> entry to save if its crawl is complete
        self.entries: list[tuple[str, str, Any]] = []  # (link URL, entry hash, company or None) read
        self.skipped: dict[str, dict] = {}  # board -> {"owner", "urls"} of jobs not requested
        self.site_pending: dict[str, dict] = {}  # site page URL -> entry to save if read and replayable
        self.site_listed: dict[str, set[str]] = {}  # site page URL -> job link URLs it listed
        setattr(crawler, _CRAWLER_ATTR, self)
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
        if request.meta.get(SITE_PAGE_META):
            return self._site_request(request)
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
        if request.meta.get(SITE_PAGE_META):
            return self._site_response(request, response)
        entry = request.meta.get(DETAIL_META)
        if entry and response.status == 200:
            from jobos.batch import company_of

            self.entries.append((entry[0], entry[1], company_of(request)))
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
        self._count_unchanged(company, how, touched)
        logger.info("board %s unchanged (%s): %d open jobs seen again", board, how, touched)
        raise BoardUnchanged(f"board {board} unchanged ({how})")

    def _count_unchanged(self, company: Any, how: str, touched: int) -> None:
        """Count a board or listing page found unchanged (`how`) and the jobs it touched, per
        company in batch mode (they show as "unchanged" in its progress), else for the crawl."""
        self.stats.inc_value(f"jobos/conditional/{how}")
        self.stats.inc_value("jobos/conditional/touched", touched)
        if company is not None:
            company.inc(f"jobos/conditional/{how}")
            company.inc("jobos/store/unchanged", touched)
        else:
            self.stats.inc_value("jobos/store/unchanged", touched)

    # --- site listing pages ---------------------------------------------------------------------
    def _site_request(self, request: Request) -> None:
        """Add the validators a complete crawl stored for a site listing page (see the module doc)."""
        meta = request.meta
        held = meta.get(_SITE_ENTRY_META)
        if meta.get("playwright") or meta.get(_SITE_WHOLE_META):
            if held and held[1]:  # a copy of a conditional request: the browser reads it whole
                for name in ("If-None-Match", "If-Modified-Since"):
                    request.headers.pop(name, None)
            meta[_SITE_ENTRY_META] = (request.url, None)
            return None
        if held and held[0] == request.url:
            return None
        if held and held[1]:  # redirected: the validators were the first URL's
            for name in ("If-None-Match", "If-Modified-Since"):
                request.headers.pop(name, None)
        entry = None
        store = self._store()
        if store is not None:
            try:
                entry = store.site_page_get(request.url, self._read_since())
            except Exception as exc:  # noqa: BLE001 - the page is read whole: nothing is lost
                self.stats.inc_value("jobos/conditional/store_errors")
                logger.warning("conditional: cache read failed (%s)", exc)
        if entry and not _same_reader(entry, _args_of(self.crawler, request)):
            entry = None  # stored by another company's crawl or for another country
        meta[_SITE_ENTRY_META] = (request.url, entry)
        if entry:
            if entry.get("etag"):
                request.headers["If-None-Match"] = entry["etag"]
            if entry.get("last_modified"):
                request.headers["If-Modified-Since"] = entry["last_modified"]
            meta["handle_httpstatus_list"] = [*meta.get("handle_httpstatus_list", ()), 304]
        return None

    def _site_response(self, request: Request, response: Any):
        """Mark an unchanged site page's answer; remember a read page's validators and hash."""
        url, entry = request.meta.get(_SITE_ENTRY_META) or (None, None)
        if url != request.url or request.meta.get("playwright"):
            return response
        if response.status == 304:
            if entry:
                request.meta[_SITE_UNCHANGED_META] = "not_modified"
            return response
        if response.status != 200:
            return response
        args = _args_of(self.crawler, request)
        content_type = (response.headers.get("Content-Type") or b"").decode("latin-1", "replace")
        digest = page_hash(response.body, content_type, getattr(args, "country", None))
        if entry and entry.get("body_hash") == digest:
            request.meta[_SITE_UNCHANGED_META] = "same_hash"
        from jobos.batch import company_of

        self.site_pending[request.url] = {
            "url": request.url, "kind": request.meta.get(SITE_PAGE_META), "body_hash": digest,
            "etag": _header(response, "ETag"), "last_modified": _header(response, "Last-Modified"),
            "company": company_of(request), "args": args, "jobs": set(), "pages": [],
            "replayable": True, "read": False,
        }
        return response

    def unchanged_site_page(self, owner: Any, response: Any) -> UnchangedPage | None:
        """See unchanged_site_page(): touch the page's stored jobs, or say how to read it."""
        how = response.meta[_SITE_UNCHANGED_META]
        _, entry = response.meta.get(_SITE_ENTRY_META) or (None, None)
        store = self._store()
        if not entry or store is None:
            return None
        try:
            state = json.loads(entry["page_state"])
            jobs = [str(u) for u in state.get("jobs") or []]
            pages = [(str(u), str(k), bool(b)) for u, k, b in state.get("pages") or []]
        except (TypeError, ValueError) as exc:
            logger.warning("conditional: stored state of %s unreadable (%s)", response.url, exc)
            return self._read_whole(response, how)
        company_key = normalize_company(getattr(getattr(owner, "args", None), "company", None))
        crawl_id = self._crawl_id(owner)
        try:
            touched = store.touch_site_jobs(jobs, company_key, crawl_id) if company_key else None
        except Exception as exc:  # noqa: BLE001 - the page is read whole: nothing is lost
            self.stats.inc_value("jobos/conditional/store_errors")
            logger.warning("conditional: jobs of %s not touched (%s)", response.url, exc)
            return self._read_whole(response, how)
        if touched is None:
            logger.info("conditional: %s lists a job that is not open in the store: reading it", response.url)
            return self._read_whole(response, how)
        rows = list(touched.items())
        from jobos.batch import CompanyRun

        company = owner if isinstance(owner, CompanyRun) else None
        for url, row in rows:
            seen = self.skipped.setdefault(row["board"], {"owner": company, "urls": []})
            seen["urls"].append(url)
        self.site_pending.pop(response.url, None)  # the stored entry stays as it is
        count = len(rows)
        self.stats.inc_value("jobos/conditional/pages_touched", count)
        self._count_unchanged(company, f"pages_{how}", count)
        logger.info("listing page %s unchanged (%s): %d jobs seen again, %d next pages",
                    response.url, how, count, len(pages))
        return UnchangedPage(how, jobs, pages)

    def _read_whole(self, response: Any, how: str) -> UnchangedPage | None:
        """Return None for an answer with a body (read it), or the 304's request asked again whole."""
        self.stats.inc_value("jobos/conditional/pages_store_changed")
        if how != "not_modified":
            return None
        request = response.request
        meta = {k: v for k, v in request.meta.items()
                if k not in (_SITE_ENTRY_META, _SITE_UNCHANGED_META)}
        meta[_SITE_WHOLE_META] = True
        again = request.replace(dont_filter=True, meta=meta)
        for name in ("If-None-Match", "If-Modified-Since"):
            again.headers.pop(name, None)
        return UnchangedPage(how, reread=again)

    def site_output(self, response: Any, obj: Any) -> None:
        """Record what reading a site listing page led to (SiteListingRecorder)."""
        page = self.site_pending.get(response.url)
        if page is None:
            return
        from jobos.llm.listing import ListingLlmTask

        if isinstance(obj, Request):
            kind = obj.meta.get(SITE_PAGE_META)
            if kind in _SOURCE_KINDS and page["kind"] in _SOURCE_KINDS:
                pass  # the next feed/sitemap of the site's queue: not this one's to replay
            elif kind in _SOURCE_KINDS:
                page["replayable"] = False  # a page that led to the site's feeds and sitemaps
            elif kind and not obj.meta.get("playwright"):
                page["pages"].append((obj.url, kind, bool(obj.meta.get("jobos_load_more_button"))))
            elif not obj.meta.get(DETAIL_META):
                page["replayable"] = False  # a board, a browser render, a feed: read it again
        elif isinstance(obj, ListingLlmTask) or not hasattr(obj, "get"):
            page["replayable"] = False
        elif obj.get("url"):
            from jobos.pages.common import canonical_url

            page["jobs"].add(canonical_url(str(obj["url"])))

    def site_read(self, response: Any) -> None:
        page = self.site_pending.get(response.url)
        if page is not None:
            page["read"] = True

    def _site_entries(self, complete_owner) -> list[dict]:
        """Return the http_cache entries of site pages read whole by a complete crawl."""
        entries = []
        for url, page in self.site_pending.items():
            jobs = set(page["jobs"]) | self.site_listed.get(url, set())
            if not (page["read"] and page["replayable"] and (jobs or page["pages"])):
                continue
            if not complete_owner(page["company"]):
                continue
            args = page["args"]
            company_key = normalize_company(getattr(args, "company", None))
            state = {"company": company_key, "country": getattr(args, "country", None),
                     "jobs": sorted(jobs), "pages": page["pages"]}
            entries.append({"url": url, "board": _SITE_BOARD_PREFIX + company_key,
                            "etag": page["etag"], "last_modified": page["last_modified"],
                            "body_hash": page["body_hash"], "page_state": json.dumps(state)})
        return entries

    def detail_request(self, owner: Any, link: Any, request: Request) -> Request | None:
        """See detail_request(): touch the link's unchanged job, or mark the request's entry."""
        from jobos.pages.common import canonical_url

        args = getattr(owner, "args", None)
        url = canonical_url(link.url)
        digest = entry_hash(url, getattr(link, "title", None), getattr(link, "location", None),
                            getattr(args, "country", None))
        request.meta[DETAIL_META] = (url, digest)
        store = self._store()
        if store is None:
            return request
        self.stats.inc_value("jobos/conditional/detail_checked")
        try:
            if store.listing_entry_get(url, self._read_since()) != digest:
                return request
            row = None
            company_key = normalize_company(getattr(args, "company", None))
            for candidate in dict.fromkeys((link.url, url)):
                row = store.touch_site_job(candidate, company_key, self._crawl_id(owner)) if company_key else None
                if row is not None:
                    break
        except Exception as exc:  # noqa: BLE001 - the page is read as usual: nothing is lost
            self.stats.inc_value("jobos/conditional/store_errors")
            logger.warning("conditional: listing entry of %s not checked (%s)", url, exc)
            return request
        if row is None:
            return request  # no open job of this company at that URL: read the page
        from jobos.batch import CompanyRun

        company = owner if isinstance(owner, CompanyRun) else None
        seen = self.skipped.setdefault(row["board"], {"owner": company, "urls": []})
        seen["urls"].append(url)
        self.stats.inc_value("jobos/conditional/detail_skipped")
        if company is not None:
            company.inc("jobos/conditional/detail_skipped")
            company.inc("jobos/store/unchanged")
        else:
            self.stats.inc_value("jobos/store/unchanged")
        logger.debug("job page %s not requested: its listing entry is unchanged", url)
        return None

    def _read_since(self) -> datetime:
        """Job pages last read before this are read again even when their listing entry is the same
        (a description can change while the listing's title and place stay)."""
        return utcnow() - timedelta(days=self.crawler.settings.getfloat("JOBOS_DETAIL_REREAD_DAYS", 7))

    def _crawl_id(self, owner: Any) -> int | None:
        from jobos.batch import CompanyRun
        from jobos.store.pipeline import crawl_id_of

        return owner.crawl_id if isinstance(owner, CompanyRun) else crawl_id_of(self.crawler)

    def _close_skipped(self, spider: Any, reason: str, complete_owner) -> None:
        """Close, per board whose jobs were skipped, the open jobs no complete crawl saw: vanished links."""
        from jobos.store.scope import CrawlScope

        if int(self.stats.get_value("jobos/store/errors") or 0):
            return  # records may wait in a spill file: their jobs were not seen by the store yet
        for board, seen in self.skipped.items():
            owner = seen["owner"]
            if not complete_owner(owner):
                continue
            who = owner if owner is not None else spider
            args = getattr(who, "args", None)
            start_url = getattr(args, "careers_url", None) or (getattr(who, "discovery_result", None) or {}).get("careers_url")
            scope = CrawlScope.of(start_url, seen["urls"])
            if scope.closes_nothing:
                continue
            crawl_id = self._crawl_id(who) if owner is not None else self._crawl_id(spider)
            count = self.store.close_missing(board, set(), getattr(args, "country", None), crawl_id,
                                             since=getattr(spider, "crawl_time", None), scope=scope)
            if not count:
                continue
            self.stats.inc_value("jobos/conditional/closed", count)
            self.stats.inc_value("jobos/store/closed", count)
            if owner is not None:
                owner.inc("jobos/store/closed", count)
            if crawl_id:
                run = self.store.get_crawl_run(crawl_id) or {}
                self.store.update_crawl_run(crawl_id, closed=int(run.get("closed") or 0) + count)

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
            complete = (reason == "finished" and not getattr(spider, "partial", False)
                        and not getattr(spider, "failed_reason", None))

            def complete_owner(company: Any) -> bool:
                if getattr(spider, "companies", None):
                    return company is not None and company_complete(company, spider, reason)
                return complete

            if getattr(spider, "companies", None):
                keep = [e for e in self.pending.values()
                        if owners.get(e["board"]) is not None
                        and company_complete(owners[e["board"]], spider, reason)]
            else:
                keep = list(self.pending.values()) if complete else []
            entries = [(url, digest) for url, digest, company in self.entries if complete_owner(company)]
            keep += self._site_entries(complete_owner)
            if (keep or entries or self.skipped) and self._store() is not None:
                for entry in keep:
                    if "page_state" not in entry:
                        entry["jobs_fingerprint"] = self.store.board_fingerprint(entry["board"])
                self.store.http_cache_put(keep)
                self.store.listing_entries_put(entries)
                self._close_skipped(spider, reason, complete_owner)
            self.stats.set_value("jobos/conditional/saved", len(keep))
            if entries:
                self.stats.set_value("jobos/conditional/entries_saved", len(entries))
        except Exception as exc:  # noqa: BLE001 - next crawl reads the boards whole: safe
            self.stats.inc_value("jobos/conditional/store_errors")
            logger.warning("conditional: could not save listing validators (%s)", exc)
        finally:
            close_quietly(self.store)
            self.store = None


class SiteListingRecorder:
    """Spider middleware: what reading each site listing page led to (job records and links, next
    listing pages, or anything that makes it unfit for replay), for ConditionalRequestMiddleware."""

    def __init__(self, crawler) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler):
        if not crawler.settings.getbool("JOBOS_CONDITIONAL", True):
            raise NotConfigured("conditional re-crawls are off (JOBOS_CONDITIONAL=False)")
        return cls(crawler)

    async def process_spider_output(self, response, result, spider=None):
        middleware = getattr(self.crawler, _CRAWLER_ATTR, None)
        if (middleware is None or not response.meta.get(SITE_PAGE_META)
                or response.meta.get(_SITE_UNCHANGED_META) or response.url not in middleware.site_pending):
            async for obj in result:
                yield obj
            return
        async for obj in result:
            middleware.site_output(response, obj)
            yield obj
        middleware.site_read(response)  # only a page read to its end is stored


def _same_reader(entry: dict, args: Any) -> bool:
    """True when a site page's stored state was read for this company and country."""
    try:
        state = json.loads(entry.get("page_state") or "{}")
    except ValueError:
        return False
    return (state.get("company") == normalize_company(getattr(args, "company", None))
            and state.get("country") == getattr(args, "country", None))


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


__all__ = ["BoardUnchanged", "ConditionalRequestMiddleware", "DETAIL_META", "LISTING_META",
           "SITE_PAGE_META", "SiteListingRecorder", "UnchangedPage", "WHOLE_LIST_ATS", "body_hash",
           "detail_request", "entry_hash", "mark_listing", "mark_site_listing", "note_listed",
           "note_listed_pages",
           "page_hash", "stable_page_text", "unchanged_site_page"]
