"""SiteMixin: route a URL to its ATS board, or read it as a career site page.

Cheapest first, per page: a board embedded in or linked from the page (its ATS API is exact and
cheap; if it cannot be read, the page's own job links are), JSON-LD JobPostings, then the
listing reader (the best coherent group of job links -> detail pages; roles without a page of
their own; the page itself when it is one posting), then script data (JSON/JS in the page, the
route's own chunk), with pagination and "load more" endpoints (JSON or HTML fragments). A page
that needs JavaScript is re-requested through the browser once, unless the JSON endpoint its
scripts call can be read instead.
"""
from __future__ import annotations

import json
import logging
from typing import Any, Iterable
from urllib.parse import urlsplit

import scrapy
from scrapy.http import TextResponse

from jobos import render
from jobos.ats import candidates, detect_url, module_for
from jobos.ats.base import BadResponse
from jobos.pages.common import canonical_url
from jobos.items import JobItem
from jobos.pages.detail import is_posting, listing_record, parse_detail
from jobos.pages import pdf as pdf_pages
from jobos.pages.jsonld import parse_jsonld
from jobos.pages.listing import html_fragment, next_offset_url, parse_json_jobs, parse_listing
from jobos.pages.scriptdata import find_jobs as find_script_jobs
from jobos.spiders.site_sources import SiteSourcesMixin

logger = logging.getLogger(__name__)

DEFAULT_MAX_PAGES = 50  # listing pages (incl. "load more" calls) per site


class SiteMixin(SiteSourcesMixin):
    """Routing from a URL to the cheapest way of reading its jobs."""

    def route_url(self, url: str, reason: str) -> Iterable[scrapy.Request]:
        """Yield the requests that read the jobs behind a URL: an ATS API, else the page."""
        board = detect_url(url)
        if board is not None:
            if board.key not in self.boards_seen:
                # If the board's API cannot be read at all (404, unknown board), the URL is read
                # as a page (board_fallback): an ATS job or board page shows its jobs itself.
                self._site_state().setdefault("fallback_pages", {})[board.key] = url
            yield from self.read_board(board, reason)
            return
        self.set_step("site")
        yield self._conditional_listing(self._page_request(url, self.parse_page, required=True), "page")

    def read_board(self, board, reason: str) -> Iterable[scrapy.Request]:
        """Yield the first API requests of a board, once per board per crawl."""
        if board.key in self.boards_seen:
            return
        self.boards_seen.add(board.key)
        self.set_step("board")
        logger.info("reading board %s (%s)", board.key, reason)
        self.crawler.stats.set_value("jobos/board", board.key)
        self.crawler.stats.inc_value(f"jobos/boards/{board.ats}")
        if self.discovery_result is None:
            self.discovery_result = {"careers_url": board.url, "board": board.key, "reason": reason}
        elif not self.discovery_result.get("board"):
            # Discovery chose a careers page; the board was found on it: record both.
            self.discovery_result["board"] = board.key
        state = self._site_state()
        state.setdefault("boards", {})[board.key] = board
        starts = state.setdefault("board_starts", {})
        for request in module_for(board).start(board, self.board_context()):
            if isinstance(request, scrapy.Request):
                # Counted so that board_fallback knows when every first request of it failed.
                request.meta["jobos_board_start"] = True
                starts[board.key] = starts.get(board.key, 0) + 1
            yield request

    # --- requests -----------------------------------------------------------------------------
    def _site_state(self) -> dict[str, Any]:
        state = getattr(self, "_jobos_site", None)
        if state is None:
            state = self._jobos_site = {"pages": set(), "details": set(), "rendered": set(), "listing_count": 0}
        return state

    def _page_request(self, url: str, callback, *, required: bool, **cb_kwargs: Any) -> scrapy.Request:
        request = scrapy.Request(
            url, callback=callback, cb_kwargs=cb_kwargs,
            meta={"jobos_tier": "page", "jobos_required": required},
        )
        if self.args.render == "always":
            return self._browser(request, "render_always")
        return request

    def _browser(self, request: scrapy.Request, reason: str, **options: Any) -> scrapy.Request | None:
        """Return the browser version of a request, at most once per page URL; None if done."""
        state = self._site_state()
        key = canonical_url(request.url)
        if key in state["rendered"]:
            self.crawler.stats.inc_value("jobos/render/refused_second")
            return None
        state["rendered"].add(key)
        stats = self.crawler.stats
        stats.inc_value("jobos/render/pages")
        stats.inc_value(f"jobos/render/reason/{reason}")
        logger.info("rendering %s in the browser (%s)", request.url, reason)
        return render.browser_request(request, self.crawler.settings, reason, **options)

    def _max_pages(self) -> int:
        return self.crawler.settings.getint("JOBOS_SITE_MAX_PAGES", DEFAULT_MAX_PAGES)

    def _listing_request(self, url: str, callback, *, json_api: bool = False) -> scrapy.Request | None:
        state = self._site_state()
        key = canonical_url(url)
        if key in state["pages"]:
            return None
        if state["listing_count"] >= self._max_pages():
            self.crawler.stats.inc_value("jobos/site/pages_capped")
            self.mark_partial(f"more than {self._max_pages()} listing pages on {url}")
            return None
        state["pages"].add(key)
        state["listing_count"] += 1
        if json_api:
            # A JSON endpoint ("load more", an app's API) is the site's API, read like a board's:
            # tier "api", so an unreadable answer (BadResponse: truncated JSON) marks the crawl
            # partial in the crawl guard, as any failure of it does. Data, never rendered.
            return self._conditional_listing(scrapy.Request(
                url, callback=callback, meta={"jobos_tier": "api", "jobos_required": True}), "json")
        return self._conditional_listing(self._page_request(url, callback, required=True), "page")

    def _detail_requests(self, links, source_url: str) -> Iterable[scrapy.Request]:
        state = self._site_state()
        for link in links:
            # One line per job link the listing stage found (benchmarks score on these).
            logger.debug("job link: %s", json.dumps({"url": link.url, "title": link.title, "from": source_url}))
            board = detect_url(link.url)
            if board is not None and not self._board_failed(board):
                # A posting on an ATS: its board's API reads all of them (if it cannot be read,
                # the posting's page is read below).
                yield from self.read_board(board, f"job link on {source_url}")
                continue
            key = canonical_url(link.url)
            self._listed_on(source_url, key)
            if key in state["details"]:
                continue
            state["details"].add(key)
            if urlsplit(link.url).path.lower().endswith(".pdf"):
                # A posting published as a file: the listing's title (else the file's name) and
                # the file's URL.
                title = link.title or pdf_pages.title_from_filename(link.url)
                if not title:
                    self.crawler.stats.inc_value("jobos/site/detail_without_title")
                    continue
                self.crawler.stats.inc_value("jobos/site/file_jobs")
                yield listing_record(title, link.url, source_url, self.board_context(),
                                     location=link.location)
                continue
            request = self._unless_unchanged(link, self._page_request(
                link.url, self.parse_detail_page, required=False,
                hint_title=link.title, hint_location=link.location))
            if request is None:
                continue
            self.crawler.stats.inc_value("jobos/site/detail_pages")
            yield request

    def _conditional_listing(self, request: scrapy.Request, kind: str) -> scrapy.Request:
        """Return a listing page's request, sent with the validators a complete crawl stored for it."""
        from jobos.conditional import mark_site_listing

        return mark_site_listing(request, kind)

    def _listed_on(self, page_url: str, job_url: str) -> None:
        """Record a job link of a listing page: an unchanged page's jobs are touched next time."""
        from jobos.conditional import note_listed

        note_listed(self, page_url, job_url)

    def _unchanged_listing(self, response) -> list[scrapy.Request] | None:
        """Return the next listing pages of a page that is as the last complete crawl read it (its
        jobs touched), or the page asked again whole; None when the page must be read."""
        from jobos.conditional import unchanged_site_page

        page = unchanged_site_page(self, response)
        if page is None:
            return None
        if page.reread is not None:
            return [page.reread]
        state = self._site_state()
        state["pages"].add(canonical_url(response.url))
        state["details"].update(page.jobs)
        requests = []
        for url, kind, by_button in page.pages:
            json_api = kind == "json"
            request = self._listing_request(url, self.parse_json_listing if json_api else self.parse_page,
                                            json_api=json_api)
            if request is not None:
                if by_button:
                    request.meta["jobos_load_more_button"] = True
                requests.append(request)
        return requests

    def _unless_unchanged(self, link, request: scrapy.Request) -> scrapy.Request | None:
        """Return a job link's detail request, or None when its listing entry and job are unchanged."""
        from jobos.conditional import detail_request

        return detail_request(self, link, request)

    # --- callbacks ----------------------------------------------------------------------------
    def parse_page(self, response, **kwargs: Any):
        """Read a company page: an embedded/linked ATS board first, else the page's own jobs."""
        unchanged = self._unchanged_listing(response)
        if unchanged is not None:
            yield from unchanged
            return
        if not isinstance(response, TextResponse):
            self.crawler.stats.inc_value("jobos/site/not_text")
            return
        state = self._site_state()
        state["pages"].add(canonical_url(response.url))
        from jobos.ats.embedded import detect_html

        boards = [board for board in detect_html(response.text, response.url) if not self._board_failed(board)]
        if boards:
            self._keep_fallback(boards[0], response)
            yield from self._ats_posting(boards[0], response)
            yield from self.read_board(boards[0], f"board embedded in {response.url}")
            return
        yield from self.short_link_requests(response)
        stats = self.crawler.stats
        ctx = self.board_context()
        found = parse_jsonld(response.text, response.url, ctx)
        self._count_jsonld(found)
        yield from found.items
        listing = parse_listing(response.text, response.url)
        self._count_listing(listing.why)
        jsonld_urls = {canonical_url(item["url"]) for item in found.items}
        links = [link for link in listing.jobs
                 if not link.inline and canonical_url(link.url) not in jsonld_urls]
        own = [] if found.items else list(self._own_jobs(response, listing))
        yield from own
        if links:
            stats.inc_value("jobos/site/job_links", len(links))
        yield from self._detail_requests(links, response.url)
        for url in listing.pages:
            request = self._listing_request(url, self.parse_page)
            if request is not None:
                yield request
        rendered = render.is_rendered(response)
        if listing.load_more is not None and not rendered:
            if listing.load_more.endpoint:
                stats.inc_value("jobos/site/load_more_endpoint")
                request = self._listing_request(listing.load_more.endpoint, self.parse_json_listing,
                                                json_api=True)
                if request is not None:
                    request.meta["jobos_load_more_button"] = True
                    yield request
            elif self.args.render != "never":
                request = self._browser(response.request, "load_more", load_more=listing.load_more.selector)
                if request is not None:
                    yield request
                return
        if listing.infinite_scroll and not rendered and self.args.render != "never":
            request = self._browser(response.request, "infinite_scroll", infinite_scroll=True)
            if request is not None:
                yield request
            return
        if found.items or links or own:
            return
        script_out = list(self._script_data(response, response.url))
        if script_out:
            yield from script_out
            return
        reason = None if rendered else render.needs_browser(response)
        if reason is None:
            stats.inc_value("jobos/site/no_jobs")
            logger.warning("no jobs found on %s", response.url)
            yield from self.no_jobs_fallbacks(response)
            return
        stats.inc_value(f"jobos/render/needed/{reason}")
        if listing.endpoints:
            # The page's own scripts call a JSON endpoint: read it, no browser needed.
            stats.inc_value("jobos/site/json_endpoint")
            for url in listing.endpoints:
                request = self._listing_request(url, self.parse_json_listing, json_api=True)
                if request is not None:
                    yield request
            return
        if self.args.render == "never":
            stats.inc_value("jobos/render/skipped_never")
            logger.warning("%s needs JavaScript (%s) but render=never", response.url, reason)
            return
        request = self._browser(response.request, reason)
        if request is not None:
            yield request

    def _own_jobs(self, response, listing) -> Iterable[JobItem]:
        """Yield the jobs a page holds itself: the page as one posting, its inline roles.

        A careers URL that is itself a posting (a role-like title and a posting's sections)
        gives its own record; roles without a page of their own (accordions, cards) give
        records of the listing with an anchor.
        """
        stats = self.crawler.stats
        ctx = self.board_context()
        inline = [link for link in listing.jobs if link.inline]
        # A page listing two or more postings (links or inline roles) is a listing, however
        # its heading reads.
        if len(listing.jobs) < 2 and is_posting(response.text, response.url, ctx.company):
            item = parse_detail(response.text, response.url, ctx)
            if item is not None:
                stats.inc_value("jobos/listing/page_is_posting")
                stats.inc_value("jobos/site/html_jobs")
                yield item
                return
        for link in inline:
            stats.inc_value("jobos/site/inline_jobs")
            yield listing_record(link.title, link.url, response.url, ctx, html=link.html,
                                 location=link.location)

    def _ats_posting(self, board, response) -> Iterable[JobItem]:
        """Yield the posting a page on the board's own ATS shows (a job URL given to the crawl).

        The board read next asks for this very page, a request dropped as a duplicate of the one
        just answered: the module reads the page in hand instead (`parse_posting_page`), with the
        board's identity, so a copy the board yields too is the same job (DedupPipeline).
        """
        module = module_for(board)
        reader = getattr(module, "parse_posting_page", None)
        if reader is None or module not in candidates(response.url):
            return
        item = reader(response.text, response.url, board, self.board_context())
        if item is not None:
            self.crawler.stats.inc_value("jobos/listing/ats_page_posting")
            yield item

    def _board_failed(self, board) -> bool:
        """True when a board, or another portal of its ATS tenant, could not be read in this crawl."""
        failed = self._site_state().get("failed_boards", {})
        return board.key in failed or (board.host is not None and (board.ats, board.host) in failed.values())

    def _keep_fallback(self, board, response) -> None:
        """Remember the page, read for its own jobs if its embedded/linked board cannot be."""
        if board.key in self.boards_seen:
            return
        self._site_state().setdefault("fallback", {})[board.key] = response

    def board_fallback(self, request, status: int | None = None) -> Iterable[Any]:
        """Yield the page's own jobs when the board found on it, or at its URL, could not be read.

        Called for every failed board request; acts once every first request of the board has
        failed (404, unknown board, refused, down): the page that embeds or links the board is
        read again without it (JSON-LD, job links, the page as one posting, script data); a
        careers URL on the ATS itself is fetched and read as a page when the ATS said the board
        is not there (`status` 404/410), not when it is down (5xx, network: its pages would be too).
        """
        key = request.meta.get("jobos_board")
        if not key or not request.meta.get("jobos_board_start"):
            return
        state = self._site_state()
        starts = state.setdefault("board_starts", {})
        starts[key] = starts.get(key, 1) - 1
        if starts[key] > 0:
            return  # another first request of the board may still answer
        page = state.get("fallback_pages", {}).get(key)
        if (page and status in (404, 410) and request.url != page and _same_page(request.url, page)
                and not request.meta.get("jobos_as_given")):
            # The module reads the board's page itself, at its canonical spelling; the careers
            # URL names the same page spelled otherwise (case, trailing slash): ask for it as given.
            starts[key] = 1
            meta = {k: v for k, v in request.meta.items()
                    if k.startswith("jobos_") or k in ("handle_httpstatus_list", "dont_redirect")}
            yield request.replace(url=page, dont_filter=True, meta={**meta, "jobos_as_given": True})
            return
        board = state.get("boards", {}).get(key)
        state.setdefault("failed_boards", {})[key] = (key.split(":", 1)[0], getattr(board, "host", None))
        stats = self.crawler.stats
        response = state.get("fallback", {}).pop(key, None)
        if response is not None:
            stats.inc_value("jobos/listing/ats_fallback")
            logger.warning("board %s could not be read; reading the jobs of %s instead", key, response.url)
            yield from self.parse_page(response)
            return
        page = state.get("fallback_pages", {}).pop(key, None)
        if page is not None and status in (404, 410):
            stats.inc_value("jobos/listing/ats_page_fallback")
            logger.warning("board %s could not be read; reading %s as a page instead", key, page)
            self.set_step("site")
            yield self._page_request(page, self.parse_board_page, required=True, board_key=key)

    def parse_board_page(self, response, board_key: str | None = None, **kwargs: Any):
        """Read the page of a board whose API failed: the ATS module's reader of its own page
        data when it has one (`parse_board_page`), else the page like any other."""
        board = self._site_state().get("boards", {}).get(board_key)
        reader = getattr(module_for(board), "parse_board_page", None) if board is not None else None
        if reader is not None and isinstance(response, TextResponse):
            items = reader(response.text, response.url, board, self.board_context())
            if items:
                self.crawler.stats.inc_value("jobos/listing/ats_page_data", len(items))
                yield from items
                return
        yield from self.parse_page(response)

    def _script_data(self, response, listing_url: str, *, script: bool = False):
        """Yield the jobs in the page's script data, or requests for its route's chunks."""
        stats = self.crawler.stats
        is_script = script or "javascript" in (response.headers.get("Content-Type") or b"").decode("latin-1").lower() \
            or urlsplit(response.url).path.lower().endswith(".js")
        result = find_script_jobs(response.text, listing_url, script=is_script)
        if result.jobs:
            stats.inc_value("jobos/listing/script_data", len(result.jobs))
            ctx = self.board_context()
            links = [link for link in result.jobs if not link.inline]
            for link in result.jobs:
                if link.inline:
                    stats.inc_value("jobos/site/inline_jobs")
                    yield listing_record(link.title, link.url, listing_url, ctx, location=link.location)
            if links:
                stats.inc_value("jobos/site/job_links", len(links))
                yield from self._detail_requests(links, listing_url)
            return
        state = self._site_state()
        for url in result.chunks:
            if canonical_url(url) in state["pages"]:
                continue
            state["pages"].add(canonical_url(url))
            stats.inc_value("jobos/listing/script_chunks")
            # A script file is data, never rendered; its loss does not make the crawl partial.
            yield scrapy.Request(url, callback=self.parse_script_chunk, cb_kwargs={"listing_url": listing_url},
                                 meta={"jobos_tier": "page", "jobos_required": False})

    def parse_script_chunk(self, response, listing_url: str | None = None, **kwargs: Any):
        """Read a script file of a careers page (a route's chunk) for postings kept as data."""
        if not isinstance(response, TextResponse):
            self.crawler.stats.inc_value("jobos/site/not_text")
            return
        yield from self._script_data(response, listing_url or response.url, script=True)

    def _count_listing(self, why: dict) -> None:
        """Record how the listing reader chose its job set (jobos/listing/...)."""
        stats = self.crawler.stats
        for key, value in why.items():
            if isinstance(value, str):
                stats.inc_value(f"jobos/listing/{key}/{value.replace(' ', '_')}")
            elif isinstance(value, (int, float)):
                stats.max_value(f"jobos/listing/{key}", value)

    def parse_json_listing(self, response, **kwargs: Any):
        """Read a JSON listing endpoint ("load more", an app's API): job links and the next page.

        An unreadable body raises BadResponse (counted, logged, crawl partial): it is not the
        end of the list, whose remaining jobs would otherwise be lost without a trace.
        """
        unchanged = self._unchanged_listing(response)
        if unchanged is not None:
            yield from unchanged
            return
        if not isinstance(response, TextResponse):
            raise BadResponse(f"JSON listing {response.url} answered a non-text body")
        fragment = html_fragment(response.text)
        if fragment is not None:
            # "Load more" endpoints often answer HTML (the next cards) or JSON holding it.
            yield from self._parse_fragment(response, fragment)
            return
        result = parse_json_jobs(response.text, response.url)
        if not result.jobs:
            self.crawler.stats.inc_value("jobos/site/json_no_jobs")
            return
        self.crawler.stats.inc_value("jobos/site/job_links", len(result.jobs))
        yield from self._detail_requests(result.jobs, response.url)
        next_url = result.next_url
        if next_url is None and result.more is not False:
            next_url = next_offset_url(response.url, len(result.jobs))
        if next_url:
            request = self._listing_request(next_url, self.parse_json_listing, json_api=True)
            if request is not None:
                yield request

    def _parse_fragment(self, response, fragment: str):
        """Read an HTML fragment a "load more" endpoint answered: its job links and next page."""
        stats = self.crawler.stats
        stats.inc_value("jobos/listing/fragment")
        listing = parse_listing(fragment, response.url)
        self._count_listing(listing.why)
        links = [link for link in listing.jobs if not link.inline]
        ctx = self.board_context()
        for link in listing.jobs:
            if link.inline:
                stats.inc_value("jobos/site/inline_jobs")
                yield listing_record(link.title, link.url, response.url, ctx, html=link.html,
                                     location=link.location)
        state = self._site_state()
        new = [link for link in links if canonical_url(link.url) not in state["details"]]
        if not listing.jobs or (links and not new):
            # No jobs, or only jobs already seen: the end of the list (an endpoint that ignores
            # its paging parameter would otherwise answer the same cards again and again).
            stats.inc_value("jobos/site/json_no_jobs")
            return
        stats.inc_value("jobos/site/job_links", len(links))
        yield from self._detail_requests(links, response.url)
        next_urls = list(listing.pages)
        by_button = listing.load_more is not None and bool(listing.load_more.endpoint)
        if by_button:
            next_urls.append(listing.load_more.endpoint)
        if not next_urls and not response.meta.get("jobos_load_more_button"):
            # No next link: guess the next offset, unless the pages so far came with a "load more"
            # button; then a fragment without one is the last (asking past it only gets errors).
            following = next_offset_url(response.url, len(listing.jobs))
            next_urls = [following] if following else []
        for url in next_urls:
            request = self._listing_request(url, self.parse_json_listing, json_api=True)
            if request is not None:
                if by_button:
                    request.meta["jobos_load_more_button"] = True
                yield request

    def parse_detail_page(self, response, hint_title: str | None = None,
                          hint_location: str | None = None, **kwargs: Any):
        """Read one job page: JSON-LD first, else what the page shows (method 'html')."""
        stats = self.crawler.stats
        if not isinstance(response, TextResponse):
            stats.inc_value("jobos/errors/page/not_text")
            return
        ctx = self.board_context()
        found = parse_jsonld(response.text, response.url, ctx)
        self._count_jsonld(found)
        if found.items:
            yield from found.items
            return
        if found.expired:
            return
        if not render.is_rendered(response) and self.args.render != "never":
            reason = render.needs_browser(response)
            if reason:
                request = self._browser(response.request, reason)
                if request is not None:
                    yield request
                    return
        item = parse_detail(response.text, response.url, ctx,
                            hint_title=hint_title, hint_location=hint_location)
        if item is None:
            stats.inc_value("jobos/site/detail_without_title")
            return
        stats.inc_value("jobos/site/html_jobs")
        yield item

    def _count_jsonld(self, found) -> None:
        stats = self.crawler.stats
        if found.items:
            stats.inc_value("jobos/site/jsonld_jobs", len(found.items))
        if found.expired:
            stats.inc_value("jobos/site/jsonld_expired", found.expired)
        if found.bad_blocks:
            stats.inc_value("jobos/errors/jsonld_block", found.bad_blocks)


def _same_page(url: str, other: str) -> bool:
    """True when two URLs differ only in case, a trailing slash or a query (one page on an ATS)."""
    def key(u: str) -> str:
        parts = urlsplit(u)
        return f"{parts.netloc.lower()}{parts.path.rstrip('/').lower()}"

    return key(url) == key(other)
