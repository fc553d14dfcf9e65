"""Phenom People career sites: the site's own /widgets search (refineSearch), its page as fallback.

POST https://{host}/widgets with the body the site's search page sends ({ddoKey:
"refineSearch", from, size: 100, jobs: true, lang, country, pageName: "search-results",
siteType: "external", ...}) -> {refineSearch: {status, hits, totalHits, data: {jobs: [{jobSeqNo,
jobId, title, category, city, state, country, cityStateCountry, postedDate, type,
descriptionTeaser, applyUrl}]}}}. Paging by `from` until totalHits (~0.01 requests per job).
Sites that close the widget API without a session (it answers {"tokenAvailable": false} or
no refineSearch) are read from their search-results page instead: its `phApp.ddo` JSON carries
eagerLoadRefineSearch (the same job records, 10 a page), paged with ?from=N&s=1.
When the page carries no job records either, the sitemap is read: GET /sitemap.xml (or the
sitemaps its index names, at most 20) lists the job pages /{country}/{lang}/job/{jobSeqNo}/...,
and each job page's phApp.ddo carries jobDetail.data.job (the same record with its
description): one call per job.
Format source: open projects that read Phenom sites (request body, answer fields, paging and the
closed-API answer as they describe them); not yet checked against a recorded answer.
Sites run on companies' own domains: recognised by their /{country}/{lang}/search-results and
/job/ paths, and by the widgetApiEndpoint a page's phApp configuration names.
"""
from __future__ import annotations

import json
import logging
import re
from typing import Any, Iterable
from urllib.parse import urlsplit

import lxml.etree
import scrapy
from scrapy.http import Response

from jobos.ats import base
from jobos.ats.base import Board, BoardContext
from jobos.items import JobItem

logger = logging.getLogger(__name__)

NAME = "phenom"
# Registry data (see jobos.ats): where its URLs live, examples, widget markers, fields filled.
HOSTS: tuple[str, ...] = ()
PATHS = (r"^/[a-z]{2,8}/[a-z]{2}(?:[_-][a-z]{2})?/(?:search-results|job/[^/?#]+)",)
URL_SHAPES = (
    "https://careers.acme.com/us/en/search-results",
    "https://careers.acme.com/global/en/job/R12345/Data-Engineer",
)
EMBED_MARKERS = (
    (r'"widgetApiEndpoint"\s*:\s*"(https://[A-Za-z0-9.-]+)/widgets"', "{}/global/en/search-results"),
)
FIELDS = (
    "external_id", "title", "url", "apply_url", "location", "city", "region", "employment_type",
    "department", "posted_at", "description_html",
)

PAGE_SIZE = 100
_PAGE_ROWS = 10  # rows a search-results page shows
_DDO = re.compile(r"phApp\.ddo\s*=\s*(\{.*?\});\s*(?:phApp\.|</script>)", re.S)


def detect(url: str) -> Board | None:
    """Return the Board of a Phenom search-results or job page URL, or None."""
    try:
        parts = urlsplit(url if "//" in url else f"https://{url}")
        host = (parts.hostname or "").lower()
    except ValueError:
        return None
    if not host or not re.match(PATHS[0], parts.path, re.I):
        return None
    country, lang = [s.lower() for s in parts.path.split("/")[1:3]]
    lang = re.split(r"[_-]", lang)[0]
    return Board(NAME, host, f"https://{host}/{country}/{lang}/search-results", host=host,
                 site=f"{lang}_{country}")


def _locale(board: Board) -> tuple[str, str]:
    lang, _, country = (board.site or "en_us").partition("_")
    return lang, country or "us"


def search_body(board: Board, start: int) -> dict:
    """Return the refineSearch body a site's search page sends, for one page."""
    lang, country = _locale(board)
    return {"lang": f"{lang}_{country}", "deviceType": "desktop", "country": country,
            "pageName": "search-results", "ddoKey": "refineSearch", "sortBy": "", "subsearch": "",
            "from": start, "jobs": True, "counts": False,
            "all_fields": ["category", "country", "state", "city", "type"], "size": PAGE_SIZE,
            "clearAll": False, "jdsource": "facets", "isSliderEnable": False, "pageId": "page20",
            "siteType": "external", "keywords": "", "global": True, "selected_fields": {},
            "locationData": {}}


def _widgets(board: Board, ctx: BoardContext, start: int) -> scrapy.Request:
    request = base.api_request(f"https://{board.host}/widgets", parse_widgets, board, ctx, method="POST",
                               json_body=search_body(board, start), start=start)
    request.meta["handle_httpstatus_list"] = [401, 403, 404]
    return request


def _page(board: Board, ctx: BoardContext, start: int) -> scrapy.Request:
    url = board.url + (f"?from={start}&s=1" if start else "")
    # Not filtered as a duplicate: the search page may have been read as a page already.
    return base.api_request(url, parse_page, board, ctx, start=start).replace(dont_filter=True)


def start(board: Board, ctx: BoardContext) -> Iterable[scrapy.Request]:
    """Yield the first widget search (the search page follows when the API is closed)."""
    yield _widgets(board, ctx, 0)


def parse_record(job: dict, board: Board, ctx: BoardContext) -> JobItem | None:
    """Return the JobItem of one refineSearch job record, or None without id or title."""
    text = lambda key: base.as_str(job.get(key), strip=True)  # noqa: E731
    seq, title = text("jobSeqNo") or text("jobId"), text("title")
    if not seq or not title:
        return None
    lang, country = _locale(board)
    many = job.get("isMultiLocation") is True or len(base.as_list(job.get("multi_location"))) > 1
    return base.new_job(
        board, ctx,
        external_id=seq,
        title=title,
        url=f"https://{board.host}/{country}/{lang}/job/{seq}",
        apply_url=text("applyUrl"),
        location=text("cityStateCountry") or text("location"),
        city=None if many else text("city"),
        region=None if many else text("state"),
        employment_type=text("type"),
        department=text("category"),
        posted_at=text("postedDate"),
        description_html=text("descriptionTeaser"),
    )


def _jobs(refine: dict) -> tuple[list[dict], int]:
    rows = [j for j in base.as_list(base.as_dict(refine.get("data")).get("jobs")) if isinstance(j, dict)]
    return rows, int(base.as_number(refine.get("totalHits")) or 0)


def parse_widgets(response: Response, board: Board, ctx: BoardContext, start: int = 0) -> Iterable[Any]:
    """Yield one widget page's jobs and the next page; the search page when the API is closed."""
    data = base.load_json(response) if response.status == 200 else {}
    refine = base.as_dict(base.as_dict(data).get("refineSearch"))
    if "data" not in refine:
        if start == 0:
            logger.info("phenom %s: widget search closed (%s); reading the search page", board.key,
                        response.status)
            yield _page(board, ctx, 0)
            return
        raise base.BadResponse(f"Phenom widget answer without jobs from {response.url}")
    rows, total = _jobs(refine)
    yield from _emit(rows, total, start, board, ctx, lambda following: _widgets(board, ctx, following))


def _emit(rows: list[dict], total: int, start: int, board: Board, ctx: BoardContext, follow) -> Iterable[Any]:
    if ctx.max_jobs is not None:
        rows = rows[: max(ctx.max_jobs - start, 0)]
    yield from base.parse_each(rows, lambda j: parse_record(j, board, ctx), board, ctx,
                               id_keys=("jobSeqNo", "jobId"))
    following = start + len(rows)
    if rows and following < total and (ctx.max_jobs is None or following < ctx.max_jobs):
        yield follow(following)


def page_ddo(html: str) -> dict:
    """Return a search page's phApp.ddo object; BadResponse when the page has none."""
    match = _DDO.search(html)
    if not match:
        raise base.BadResponse("Phenom page without phApp.ddo")
    try:
        return base.as_dict(json.loads(match.group(1)))
    except ValueError as exc:
        raise base.BadResponse(f"unreadable phApp.ddo: {exc}") from None


def parse_page(response: Response, board: Board, ctx: BoardContext, start: int = 0) -> Iterable[Any]:
    """Yield one search page's jobs (from its phApp.ddo) and the next page; the sitemap when the
    first page carries no records."""
    try:
        refine = base.as_dict(page_ddo(response.text).get("eagerLoadRefineSearch"))
    except base.BadResponse:
        if start:
            raise
        refine = {}
    if start == 0 and "data" not in refine:
        logger.info("phenom %s: no job records in the search page; reading the sitemap", board.key)
        yield base.api_request(f"https://{board.host}/sitemap.xml", parse_sitemap, board, ctx, depth=0)
        return
    rows, total = _jobs(refine)
    yield from _emit(rows, total, start, board, ctx, lambda following: _page(board, ctx, following))


_MAX_SITEMAPS = 20
_JOB_PAGE = re.compile(r"^/[a-z]{2,8}/[a-z]{2}(?:[_-][a-z]{2})?/job/([^/?#]+)", re.I)


def sitemap_locs(xml: bytes) -> tuple[list[str], list[str]]:
    """Return (child sitemap URLs, page URLs) of a sitemap or sitemap index."""
    try:
        root = lxml.etree.fromstring(xml, parser=lxml.etree.XMLParser(resolve_entities=False, no_network=True))
    except lxml.etree.XMLSyntaxError as exc:
        raise base.BadResponse(f"malformed sitemap: {exc}") from None
    locs = [(el.getparent().tag.rsplit("}", 1)[-1], (el.text or "").strip())
            for el in root.iter() if isinstance(el.tag, str) and el.tag.rsplit("}", 1)[-1] == "loc"]
    return [u for tag, u in locs if tag == "sitemap"], [u for tag, u in locs if tag == "url"]


def parse_sitemap(response: Response, board: Board, ctx: BoardContext, depth: int = 0) -> Iterable[Any]:
    """Yield a request per job page the sitemap lists (and per child sitemap of an index)."""
    children, pages = sitemap_locs(response.body)
    own = lambda url: urlsplit(url).hostname == board.host  # noqa: E731 - only the site's own pages
    if depth == 0:
        for child in [c for c in children if own(c)][:_MAX_SITEMAPS]:
            yield base.api_request(child, parse_sitemap, board, ctx, depth=1)
    jobs = [u for u in pages if own(u) and _JOB_PAGE.match(urlsplit(u).path)]
    if ctx.max_jobs is not None:
        jobs = jobs[: ctx.max_jobs]
    for url in jobs:
        request = base.api_request(url, parse_job_page, board, ctx)
        request.meta["handle_httpstatus_list"] = [404]
        yield request


def parse_job_page(response: Response, board: Board, ctx: BoardContext) -> Iterable[JobItem]:
    """Yield the job a job page's phApp.ddo carries (jobDetail), with its description."""
    if response.status == 404:
        return
    job = base.as_dict(base.as_dict(base.as_dict(page_ddo(response.text).get("jobDetail")).get("data")).get("job"))
    if job.get("description"):  # the page's whole text, where the search has a teaser
        job = {**job, "descriptionTeaser": job["description"]}
    yield from base.parse_each([job], lambda j: parse_record(j, board, ctx), board, ctx, id_keys=("jobSeqNo",))
