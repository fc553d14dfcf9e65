"""Avature career portals: the SearchJobs result pages, then each JobDetail page.

Listing: GET https://{tenant}.avature.net/{portal}/SearchJobs/ -> HTML, li.list__item with the
title link (.list__item__text__title a -> /{portal}/JobDetail/{slug}/{id} or FolderDetail) and
subtitle spans (location, "Ref #...", "Posted ..."); paging follows the page's own
paginationNextLink (its offset parameter differs between portals: jobOffset, folderOffset).
Detail: the job's page, whose fields are .article__content__view__field blocks, a label
(.article__content__view__field__label: "Location", "Business Area", "Posted Date", "Employment
Type"...) and a value; unlabeled rich-text blocks are the description. Labels are the tenant's
own words, so they are matched by meaning, not by exact name. ~1.1 requests per job (10 results
a page). Built on recorded pages: Voutique's SearchJobs page, Bloomberg's and UCLA Health's
JobDetail pages. No slug probe (portal names vary per tenant).
"""
from __future__ import annotations

import logging
import re
from typing import Any, Iterable
from urllib.parse import urljoin, urlsplit

import lxml.html
import scrapy
from scrapy.http import Response

from jobos.ats import base
from jobos.ats.base import Board, BoardContext
from jobos.items import JobItem

logger = logging.getLogger(__name__)

NAME = "avature"
# Registry data (see jobos.ats): where its URLs live, examples, widget markers, fields filled.
HOSTS = (".avature.net",)
PATHS: tuple[str, ...] = ()
URL_SHAPES = (
    "https://acme.avature.net/careers/SearchJobs/",
    "https://acme.avature.net/careers/JobDetail/Transplant-Referral-Coordinator/13859",
    "https://acme.avature.net/en_US/careers/FolderDetail/Atlanta-GA-Analyst/3270",
)
EMBED_MARKERS: tuple[tuple[str, str], ...] = ()
FIELDS = (
    "external_id", "title", "url", "apply_url", "location", "workplace", "employment_type",
    "department", "salary_min", "salary_max", "salary_currency", "salary_period", "posted_at",
    "description_html",
)

_PAGES = {"searchjobs", "jobdetail", "folderdetail", "applicationmethods", "login", "register"}
_LOCALE = re.compile(r"^[a-z]{2}(?:_[A-Z]{2})?$")
_DETAIL = re.compile(r"/(?:JobDetail|FolderDetail)/(?:[^/]+/)?(\d+)/?$", re.I)
_FIELD = "//*[contains(concat(' ', normalize-space(@class), ' '), ' article__content__view__field ')]"
# Tenant labels by meaning (lower case, matched as whole label or "label:" prefix).
_LABELS = {
    "location": ("location", "work location", "job location", "locations", "city"),
    "department": ("business area", "department", "business unit", "category", "job category",
                   "function", "team"),
    "employment": ("employment type", "job type", "time type", "schedule type", "contract type"),
    "workplace": ("onsite or remote", "workplace", "workplace type", "remote", "work arrangement"),
    "posted": ("posted date", "date posted", "posting date", "posted"),
    "salary": ("salary range", "salary", "pay range", "compensation"),
}


def detect(url: str) -> Board | None:
    """Return the Board of an Avature portal page (search, job, folder), or None."""
    try:
        parts = urlsplit(url if "//" in url else f"https://{url}")
        host = (parts.hostname or "").lower()
    except ValueError:
        return None
    if not host.endswith(".avature.net") or host.count(".") != 2 or host.startswith("www."):
        return None
    segs = [s for s in parts.path.split("/") if s]
    prefix = []
    while segs and _LOCALE.match(segs[0]) and len(segs) > 1:
        prefix.append(segs.pop(0))
    if not segs or segs[0].lower() in _PAGES or not re.match(r"^[A-Za-z0-9_-]+$", segs[0]):
        return None
    if len(segs) > 1 and segs[1].lower() not in _PAGES:
        # A portal's pages are /{portal}/SearchJobs, /JobDetail/...; a path like /ASSET/... or
        # /portalpacks/... is the site's files and scripts, not a portal.
        return None
    portal = "/".join([*prefix, segs[0]])
    tenant = host.split(".", 1)[0]
    return Board(NAME, f"{tenant}/{portal}", f"https://{host}/{portal}/SearchJobs/", host=host, site=portal)


def start(board: Board, ctx: BoardContext) -> Iterable[scrapy.Request]:
    """Yield the first SearchJobs page's request."""
    # Not filtered as a duplicate: the search page may have been read as a page already.
    yield base.api_request(board.url, parse_search, board, ctx, seen=set()).replace(dont_filter=True)


def _text(el: Any) -> str:
    return " ".join(el.text_content().split()) if el is not None else ""


def _root(html: str, url: str) -> Any:
    try:
        return lxml.html.fromstring(html)
    except (ValueError, lxml.etree.ParserError):
        raise base.BadResponse(f"unreadable Avature page {url}") from None


def search_results(html: str, page_url: str) -> tuple[list[dict], str | None]:
    """Return the result rows of a SearchJobs page ({id, title, url, location, ref, posted}) and
    the next page's URL."""
    root = _root(html, page_url)
    rows, seen = [], set()
    for link in root.xpath("//*[contains(concat(' ', normalize-space(@class), ' '), ' list__item__text__title ')]//a[@href]"):
        url = urljoin(page_url, link.get("href"))
        match = _DETAIL.search(urlsplit(url).path)
        if not match or match.group(1) in seen:
            continue
        seen.add(match.group(1))
        item = link.xpath("ancestor::*[contains(concat(' ', normalize-space(@class), ' '), ' list__item ')][1]")
        spans = [_text(s) for s in (item[0].xpath(".//*[contains(@class, 'list__item__text__subtitle')]/span")
                                    if item else [])]
        row = {"id": match.group(1), "title": _text(link), "url": url, "location": None, "ref": None,
               "posted": None}
        for span in filter(None, spans):
            span = span.rstrip(". ").strip()
            if span.lower().startswith("ref #"):
                row["ref"] = span[5:].strip()
            elif span.lower().startswith("posted"):
                row["posted"] = span[6:].strip()
            elif row["location"] is None:
                row["location"] = span
        rows.append(row)
    following = root.xpath("//a[contains(concat(' ', normalize-space(@class), ' '), ' paginationNextLink ')]/@href")
    return rows, (urljoin(page_url, following[0]) if following else None)


def parse_search(response: Response, board: Board, ctx: BoardContext, seen: set[str] | None = None
                 ) -> Iterable[scrapy.Request]:
    """Yield a detail request per new result and the next page's request."""
    seen = set() if seen is None else seen
    rows, following = search_results(response.text, response.url)
    fresh = [r for r in rows if r["id"] not in seen]
    for row in fresh:
        if ctx.max_jobs is not None and len(seen) >= ctx.max_jobs:
            return
        seen.add(row["id"])
        request = base.api_request(row["url"], parse_detail, board, ctx, row=row)
        request.meta["handle_httpstatus_list"] = [404]
        yield request.replace(errback=detail_failed)
    if fresh and following and (ctx.max_jobs is None or len(seen) < ctx.max_jobs):
        yield base.api_request(following, parse_search, board, ctx, seen=seen)


def detail_fields(html: str, url: str) -> dict[str, Any]:
    """Return a JobDetail page's {title, fields: {label: text}, description_html}."""
    root = _root(html, url)
    title = (root.xpath("//meta[@property='og:title']/@content") or [""])[0].strip()
    fields: dict[str, str] = {}
    description = []
    for field in root.xpath(_FIELD):
        label = field.xpath("./*[contains(@class, 'article__content__view__field__label')]")
        value = field.xpath("./*[contains(@class, 'article__content__view__field__value')]")
        if not value:
            continue
        text = _text(value[0])
        if label:
            fields[_text(label[0]).lower().rstrip(":")] = text
        elif text == title or not text:
            continue
        elif len(text) < 120 and ":" in text and not value[0].xpath(".//p|.//ul|.//li"):
            name, _, rest = text.partition(":")  # "Work Location: Los Angeles, CA, USA"
            fields[name.strip().lower()] = rest.strip()
        else:
            description.append(("".join(lxml.html.tostring(child, encoding="unicode") for child in value[0])
                                or lxml.html.tostring(value[0], encoding="unicode")).strip())
    return {"title": title, "fields": fields, "description_html": "\n".join(description) or None}


def _field(fields: dict[str, str], meaning: str) -> str | None:
    for name in _LABELS[meaning]:
        if fields.get(name):
            return fields[name]
    return None


def parse_job(row: dict, board: Board, ctx: BoardContext, detail: dict | None = None) -> JobItem:
    """Return the JobItem of a search row, completed by its JobDetail page's fields."""
    detail = base.as_dict(detail)
    fields = base.as_dict(detail.get("fields"))
    host = urlsplit(row["url"]).hostname
    return base.new_job(
        board, ctx,
        external_id=row["id"],
        title=row.get("title") or detail.get("title"),
        url=row["url"],
        # The portal's apply link: ?jobId= for a JobDetail page, ?folderId= for a FolderDetail one.
        apply_url=(f"https://{host}/{board.site}/ApplicationMethods?"
                   f"{'folderId' if '/FolderDetail/' in row['url'] else 'jobId'}={row['id']}"),
        location=_field(fields, "location") or row.get("location"),
        department=_field(fields, "department"),
        employment_type=_field(fields, "employment"),
        remote_flag=_field(fields, "workplace"),
        salary_text=_field(fields, "salary"),
        posted_text=_field(fields, "posted") or row.get("posted"),
        description_html=detail.get("description_html"),
    )


def parse_detail(response: Response, board: Board, ctx: BoardContext, row: dict) -> Iterable[JobItem]:
    """Yield one job from its page (the search row's data when the page cannot be read)."""
    if response.status == 404:
        yield parse_job(row, board, ctx)
        return
    yield base.job_with_detail(lambda: parse_job(row, board, ctx, detail_fields(response.text, response.url)),
                               lambda: parse_job(row, board, ctx), board, ctx, response.url)


def parse_board_page(html: str, url: str, board: Board, ctx: BoardContext) -> list[JobItem]:
    """Return the job of a JobDetail page read as the careers URL when its portal's search could
    not be read (no other page of the portal is needed for it); [] for any other page."""
    match = _DETAIL.search(urlsplit(url).path)
    if match is None:
        return []
    detail = detail_fields(html, url)
    if not detail.get("title"):
        return []
    row = {"id": match.group(1), "title": None, "url": url.split("?", 1)[0].split("#", 1)[0],
           "location": None, "ref": None, "posted": None}
    return [parse_job(row, board, ctx, detail)]


def detail_failed(failure: Any) -> Iterable[JobItem]:
    """Yield the row-only job when a job page failed for good (network, 5xx)."""
    kw = failure.request.cb_kwargs
    logger.warning("avature %s: job page %s failed (%s); keeping the search row's data",
                   kw["board"].key, failure.request.url, failure.value)
    yield parse_job(kw["row"], kw["board"], kw["ctx"])
