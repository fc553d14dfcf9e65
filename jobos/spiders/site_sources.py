"""SiteSourcesMixin: the places a career site keeps its jobs besides its own job links.

Hooked into `SiteMixin.parse_page` at two points:
- `short_link_requests(response)`: the page's short links (grnh.se, lnkd.in, bit.ly...), each
  requested once without following redirects; where it lands is read by the ATS module of that
  URL (`parse_short_link`), or dropped (counted) when no ATS knows it.
- `no_jobs_fallbacks(response)`: when no rule found a job on a page that looks like a careers
  page (`jobos.llm.listing.looks_like_careers_page`), in this order: PDF job ads linked from the
  page (even beside short links); the site's job feeds (RSS/Atom linked from the page) and
  sitemaps (robots.txt Sitemap lines, else /sitemap.xml; indexes followed), read one after another within
  JOBOS_SITEMAP_MAX_REQUESTS; and when they give nothing, the LLM listing tier
  (`ListingLlmTask`, run by `jobos.llm.listing.ListingLlmMiddleware`).
"""
from __future__ import annotations

import json
import logging
from typing import Any, Iterable
from urllib.parse import urlsplit, urlunsplit

import scrapy
from scrapy.http import TextResponse

from jobos.ats import detect_url
from jobos.llm.listing import ListingLlmTask, candidates, looks_like_careers_page
from jobos.pages import pdf as pdf_pages
from jobos.pages import shortlinks
from jobos.pages import sitemap as sitemaps
from jobos.pages.common import canonical_url, registrable_domain

logger = logging.getLogger(__name__)

DEFAULT_SITEMAP_MAX_REQUESTS = 8  # robots.txt, feeds and sitemaps read per site
MAX_FEEDS = 2  # feeds read per page (job-named first)


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, "", "", ""))


def _page_title(response: TextResponse) -> str | None:
    title = response.xpath("normalize-space(//title)").get()
    return title or None


class SiteSourcesMixin:
    """Short links, PDF postings, feeds, sitemaps and the LLM tier for a careers page."""

    # --- short links --------------------------------------------------------------------------
    def short_link_requests(self, response: TextResponse) -> list[scrapy.Request]:
        """Return one request per new short link on the page (one hop: redirects not followed)."""
        state = self._site_state()
        seen = state.setdefault("short_links", set())
        requests = []
        for url in shortlinks.short_links(response.text, response.url):
            if url in seen:
                continue
            seen.add(url)
            self.crawler.stats.inc_value("jobos/site/short_links")
            requests.append(scrapy.Request(
                url, callback=self.parse_short_link, errback=self.short_link_failed,
                cb_kwargs={"page_url": response.url},
                meta={"jobos_tier": "page", "jobos_required": False, "dont_redirect": True,
                      "handle_httpstatus_list": list(shortlinks.REDIRECT_STATUSES)},
            ))
        return requests

    def parse_short_link(self, response, page_url: str = "", **kwargs: Any):
        """Read where a short link lands: an ATS board is read by its module, anything else dropped."""
        location = (response.headers.get("Location") or b"").decode("latin-1") or None
        body = response.text if isinstance(response, TextResponse) else None
        target = shortlinks.landing_url(response.status, location, body, response.url)
        board = detect_url(target) if target else None
        if board is None:
            self.crawler.stats.inc_value("jobos/site/short_link_elsewhere")
            logger.info("short link %s on %s leads to %s, not to a known job board", response.url, page_url, target)
            return
        self.crawler.stats.inc_value("jobos/site/short_link_boards")
        yield from self.read_board(board, f"short link {response.url} on {page_url}")

    def short_link_failed(self, failure):
        self.crawler.stats.inc_value("jobos/site/short_link_failed")
        logger.info("short link %s failed: %s", failure.request.url, failure.value)
        return []

    # --- when no rule found a job ------------------------------------------------------------
    def no_jobs_fallbacks(self, response: TextResponse) -> Iterable[Any]:
        """Yield PDF postings, else feed/sitemap reads, else the LLM listing task, for a careers
        page on which no rule found a job (nothing for a page that does not look like one)."""
        if self._site_state()["details"]:
            return  # another page of this site listed jobs: this one is past the end of the list
        page = looks_like_careers_page(response.text, response.url, reached_as_careers=True)
        stats = self.crawler.stats
        if not page.looks_like:
            stats.inc_value("jobos/site/not_careers_page")
            return
        # PDF job ads are on the page itself: read them whatever else the page links to (a
        # short link beside them may lead anywhere, a social profile as well as a board).
        pdf_requests = list(self.pdf_posting_requests(response))
        if pdf_requests:
            yield from pdf_requests
            return
        if shortlinks.short_links(response.text, response.url):
            return  # its jobs are behind its short links (read by their ATS)
        task = self.listing_llm_task(response)
        state = self._site_state()
        done = state.setdefault("sources_sites", set())
        site = registrable_domain(response.url)
        if site in done:
            if task is not None:
                yield task
            return
        done.add(site)
        queue: list[tuple[str, str]] = []
        for url, _title in sitemaps.feed_links(response.text, response.url)[:MAX_FEEDS]:
            queue.append(("feed", url))
        queue.append(("robots", _origin(response.url) + "/robots.txt"))
        request = self._next_source(queue, response.url, task, found=0, used=0)
        if request is not None:
            yield request
        elif task is not None:
            yield task

    # --- PDF postings ---------------------------------------------------------------------------
    def pdf_posting_requests(self, response: TextResponse) -> Iterable[scrapy.Request]:
        state = self._site_state()
        for link in pdf_pages.pdf_links(response.text, response.url):
            if link.url in state["details"]:
                continue
            state["details"].add(link.url)
            self.crawler.stats.inc_value("jobos/site/pdf_postings")
            # A job link the listing stage found, as _detail_requests logs them (benchmarks score on these).
            logger.debug("job link: %s", json.dumps({"url": link.url, "title": pdf_pages.posting_title(link, None),
                                                     "from": response.url}))
            yield scrapy.Request(
                link.url, callback=self.parse_pdf_posting, errback=self.pdf_posting_failed,
                cb_kwargs={"link_text": link.text},
                meta={"jobos_tier": "page", "jobos_required": False,
                      "download_maxsize": pdf_pages.MAX_PDF_BYTES, "jobos_pdf_text": link.text},
            )

    def parse_pdf_posting(self, response, link_text: str | None = None, **kwargs: Any):
        """Yield the record of a PDF posting (its text when the PDF is small and readable)."""
        link = pdf_pages.PdfLink(response.url, link_text)
        try:
            document = pdf_pages.read_pdf(response.body)
        except pdf_pages.PdfError as exc:
            self.crawler.stats.inc_value("jobos/site/pdf_unreadable")
            logger.info("PDF posting %s kept without its text: %s", response.url, exc)
            document = None
        title = pdf_pages.posting_title(link, document)
        if not title:
            self.crawler.stats.inc_value("jobos/site/detail_without_title")
            return
        yield pdf_pages.pdf_posting(response.url, title, document, self.board_context())

    def pdf_posting_failed(self, failure):
        """A PDF that could not be fetched (too big, gone, network): keep the posting the page
        lists, with the title the page shows for it (else its file name) and the PDF's URL.

        The careers page still lists the posting, so a file that answers 404/410 is a broken
        link on a live list, not a closed job (counted apart: jobos/site/pdf_missing).
        """
        request = failure.request
        response = getattr(failure.value, "response", None)
        if response is not None and response.status in (404, 410):
            self.crawler.stats.inc_value("jobos/site/pdf_missing")
        else:
            self.crawler.stats.inc_value("jobos/site/pdf_not_fetched")
        link = pdf_pages.PdfLink(request.url, request.meta.get("jobos_pdf_text"))
        title = pdf_pages.posting_title(link, None)
        if not title:
            return []
        return [pdf_pages.pdf_posting(request.url, title, None, self.board_context())]

    # --- feeds and sitemaps --------------------------------------------------------------------
    def _sitemap_max_requests(self) -> int:
        return self.crawler.settings.getint("JOBOS_SITEMAP_MAX_REQUESTS", DEFAULT_SITEMAP_MAX_REQUESTS)

    def _next_source(self, queue: list[tuple[str, str]], careers_url: str, task: ListingLlmTask | None,
                     *, found: int, used: int) -> scrapy.Request | None:
        """Return the request for the next feed/robots/sitemap in the queue, within the limit."""
        if not queue:
            return None
        if used >= self._sitemap_max_requests():
            self.crawler.stats.inc_value("jobos/site/sitemap_capped")
            return None
        kind, url = queue[0]
        self.crawler.stats.inc_value(f"jobos/site/{kind}_requests")
        request = scrapy.Request(
            url, callback=self.parse_site_source, errback=self.site_source_failed, dont_filter=True,
            cb_kwargs={"queue": queue[1:], "kind": kind, "careers_url": careers_url, "task": task,
                       "found": found, "used": used + 1},
            meta={"jobos_tier": "page", "jobos_required": False, "handle_httpstatus_all": True,
                  "download_maxsize": sitemaps.MAX_BYTES},
        )
        # Feeds and sitemaps are sent conditionally (robots.txt is not: it only names sitemaps).
        return self._conditional_listing(request, kind) if kind in ("feed", "sitemap") else request

    def parse_site_source(self, response, queue, kind: str, careers_url: str, task, found: int, used: int,
                          **kwargs: Any):
        """Read one robots.txt, feed or sitemap, then go on with the queue; at its end, with no
        posting found, hand the page to the LLM tier."""
        stats = self.crawler.stats
        site = registrable_domain(careers_url)
        queue = list(queue)
        unchanged = self._unchanged_source(response)
        if unchanged is not None:
            if unchanged.reread is not None:
                yield unchanged.reread
                return
            # As the last complete crawl read it: its jobs were touched; its child sitemaps next.
            found += len(unchanged.jobs)
            queue = [("sitemap", url) for url, _kind, _ in unchanged.pages] + queue
            request = self._next_source(queue, careers_url, task, found=found, used=used)
            if request is not None:
                yield request
            return
        links = []
        if response.status == 200:
            try:
                if kind == "robots":
                    named = [u for u in sitemaps.robots_sitemaps(response.text if isinstance(response, TextResponse)
                                                                else response.body.decode("utf-8", "replace"),
                                                                response.url)
                             if registrable_domain(u) == site]
                    queue += [("sitemap", u) for u in named] or [("sitemap", _origin(careers_url) + "/sitemap.xml")]
                elif kind == "feed":
                    feed = sitemaps.read_feed(response.body, response.url)
                    links = [(e.url, e.title) for e in sitemaps.job_entries(feed, careers_url)]
                else:
                    result = sitemaps.read_sitemap(response.body, response.url)
                    children = [u for u in result.sitemaps if registrable_domain(u) == site]
                    # Children named for jobs first: the request limit then reaches them.
                    children.sort(key=lambda u: not sitemaps.is_job_feed(u, None))
                    self._listed_sources(response.url, children)
                    queue = [("sitemap", u) for u in children] + queue
                    links = [(u, None) for u in sitemaps.job_urls(result.urls, careers_url)]
                    if result.truncated:
                        stats.inc_value("jobos/site/sitemap_truncated")
            except sitemaps.SitemapError as exc:
                stats.inc_value(f"jobos/site/{kind}_refused")
                logger.warning("%s", exc)
        elif kind == "robots":
            queue.append(("sitemap", _origin(careers_url) + "/sitemap.xml"))
        if links:
            from jobos.pages.listing import JobLink

            stats.inc_value(f"jobos/site/{kind}_job_links", len(links))
            stats.inc_value("jobos/site/job_links", len(links))
            found += len(links)
            yield from self._detail_requests([JobLink(url, title) for url, title in links], response.url)
        request = self._next_source(queue, careers_url, task, found=found, used=used)
        if request is not None:
            yield request
        elif not found and task is not None:
            yield task

    def _unchanged_source(self, response):
        """Return the UnchangedPage of a feed or sitemap as the last complete crawl read it (its
        jobs touched), or None: read it (jobos.conditional)."""
        from jobos.conditional import unchanged_site_page

        page = unchanged_site_page(self, response)
        if page is not None and page.reread is None:
            self._site_state()["details"].update(page.jobs)
        return page

    def _listed_sources(self, page_url: str, sitemap_urls: list[str]) -> None:
        """Record the child sitemaps a sitemap index named (asked again when it is unchanged)."""
        from jobos.conditional import note_listed_pages

        note_listed_pages(self, page_url, [(url, "sitemap") for url in sitemap_urls])

    def site_source_failed(self, failure):
        """A feed/sitemap that could not be fetched: go on with the rest of the queue."""
        kw = failure.request.cb_kwargs
        self.crawler.stats.inc_value(f"jobos/site/{kw['kind']}_failed")
        request = self._next_source(kw["queue"], kw["careers_url"], kw["task"], found=kw["found"], used=kw["used"])
        if request is not None:
            return [request]
        return [kw["task"]] if not kw["found"] and kw["task"] is not None else []

    # --- the LLM listing tier -------------------------------------------------------------------
    def listing_llm_task(self, response: TextResponse) -> ListingLlmTask | None:
        """Return the LLM task for a careers page without a job set, once per page; None when the
        page has no candidate link."""
        state = self._site_state()
        done = state.setdefault("llm_listing_pages", set())
        key = canonical_url(response.url)
        if key in done:
            return None
        cands = candidates(response.text, response.url)
        if not cands:
            return None
        done.add(key)
        return ListingLlmTask(response.url, _page_title(response), cands)

    def listing_llm_requests(self, task: ListingLlmTask, chosen) -> Iterable[scrapy.Request]:
        """Yield the detail requests of the links the model chose (URLs from the page only)."""
        from jobos.pages.listing import JobLink

        self.crawler.stats.inc_value("jobos/site/llm_job_links", len(chosen))
        links = [JobLink(c.url, c.text or None) for c in chosen]
        yield from self._detail_requests(links, task.page_url)
