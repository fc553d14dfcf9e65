"""Polymer job boards (jobs.polymer.co/{organization}): the public hire API, list then detail.

Format from Polymer's public API as open code reads it (a documented, unauthenticated API for
job board integrations): GET api.polymer.co/v1/hire/organizations/{slug}/jobs?page=N&per_page=50
answers {items: [{id, title, job_category_name, job_post_url, display_location, kind_pretty,
...}], meta: {total, count, page, is_first, is_last, next_page, organization_name}}; the list
has no text, so /jobs/{id} is read per job (the item plus `description` HTML and `department`).
An unknown organization answers 404 or an empty list. ~1 + 1/n requests per job. Not yet
checked against a recorded answer.
"""
from __future__ import annotations

import logging
import math
import re
from typing import Any, Iterable
from urllib.parse import quote, urlsplit

import scrapy
from scrapy.http import Response

from jobos.ats import base
from jobos.ats.base import Board, BoardContext, ProbeResult
from jobos.items import JobItem

logger = logging.getLogger(__name__)

NAME = "polymer"
API = "https://api.polymer.co/v1/hire/organizations"
HOSTS = ("jobs.polymer.co", "api.polymer.co")
URL_SHAPES = (
    "https://jobs.polymer.co/acme",
    "https://jobs.polymer.co/acme/12345",
    "https://api.polymer.co/v1/hire/organizations/acme/jobs",
)
PATHS: tuple[str, ...] = ()
EMBED_MARKERS: tuple[tuple[str, str], ...] = ()
FIELDS = ("external_id", "title", "url", "location", "workplace", "employment_type", "department",
          "description_html")

PER_PAGE = 50
MAX_PAGES = 40
_NOT_SLUGS = {"static", "assets", "api", "favicon.ico", "robots.txt", "_next"}


def board_for(slug: str) -> Board | None:
    """Return the Board of a Polymer organization slug, or None."""
    slug = base.path_name(slug, reserved=_NOT_SLUGS)
    return Board(NAME, slug, f"https://jobs.polymer.co/{slug}") if slug else None


def detect(url: str) -> Board | None:
    """Return the Board of a Polymer board, job or API URL, or None."""
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return None
    host = (parts.hostname or "").lower()
    segments = [s for s in parts.path.split("/") if s]
    if host == "jobs.polymer.co" and segments:
        return board_for(segments[0])
    if host == "api.polymer.co" and segments[:3] == ["v1", "hire", "organizations"] and len(segments) >= 4:
        return board_for(segments[3])
    return None


def _list_request(board: Board, ctx: BoardContext, page: int, callback: Any = None) -> scrapy.Request:
    url = f"{API}/{quote(board.token, safe='')}/jobs?page={page}&per_page={PER_PAGE}"
    request = base.api_request(url, callback or parse_list, board, ctx, page=page)
    request.meta["handle_httpstatus_list"] = [404]
    return request


def start(board: Board, ctx: BoardContext) -> Iterable[scrapy.Request]:
    """Yield the first list page request."""
    yield _list_request(board, ctx, 1)


def list_items(data: Any) -> tuple[list[dict], int, str | None]:
    """Return (the page's items, the organization's job total, its name) of a list answer."""
    if not isinstance(data, dict) or not isinstance(data.get("items"), list):
        raise base.BadResponse("Polymer answer has no items list")
    meta = base.as_dict(data.get("meta"))
    rows = [i for i in data["items"] if isinstance(i, dict) and base.as_str(i.get("id"), strip=True)]
    total = int(base.as_number(meta.get("total")) or len(rows))
    return rows, total, base.as_str(meta.get("organization_name"), strip=True)


def detail_requests(rows: list[dict], board: Board, ctx: BoardContext) -> list[scrapy.Request]:
    """Return the detail request of each listed job."""
    requests = []
    for row in rows:
        job_id = quote(base.as_str(row.get("id"), strip=True) or "", safe="")
        request = base.api_request(f"{API}/{quote(board.token, safe='')}/jobs/{job_id}", parse_detail,
                                   board, ctx, row=row)
        request.meta["handle_httpstatus_list"] = [404, 410]
        requests.append(request.replace(errback=detail_failed))
    return requests


def _pages(total: int, size: int, ctx: BoardContext) -> int:
    """Return how many list pages hold the jobs to read, at the page size the API answered."""
    wanted = total if ctx.max_jobs is None else min(total, ctx.max_jobs)
    return min(math.ceil(wanted / max(size, 1)), MAX_PAGES)


def parse_list(response: Response, board: Board, ctx: BoardContext, page: int) -> Iterable[scrapy.Request]:
    """Yield a detail request per job of the page; the first page also asks the further pages."""
    if response.status == 404:
        logger.info("polymer %s: no such organization (404)", board.key)
        return
    rows, total, _name = list_items(base.load_json(response))
    if ctx.max_jobs is not None and page == 1:
        rows = rows[: ctx.max_jobs]
    yield from detail_requests(rows, board, ctx)
    if page == 1 and rows:
        # The API may answer fewer rows than asked (per_page): page by what it answered.
        for n in range(2, _pages(total, len(rows), ctx) + 1):
            yield _list_request(board, ctx, n)


def job_from(row: dict, board: Board, ctx: BoardContext, detail: dict | None = None) -> JobItem:
    """Return a JobItem from a list item and, when read, its detail."""
    merged = {**row, **{k: v for k, v in base.as_dict(detail).items() if v not in (None, "")}}
    job_id = base.as_str(row.get("id"), strip=True)
    location = base.as_str(merged.get("display_location"), strip=True)
    remote = merged.get("remote")
    return base.new_job(
        board, ctx,
        external_id=job_id,
        title=base.as_str(merged.get("title"), strip=True),
        url=base.as_str(merged.get("job_post_url"), strip=True)
        or f"https://jobs.polymer.co/{board.token}/{job_id}",
        location=location,
        locations=[location] if location else None,
        remote_flag=True if remote is True else None,
        employment_type=base.as_str(merged.get("kind_pretty"), strip=True),
        department=base.as_str(merged.get("department"), strip=True)
        or base.as_str(merged.get("job_category_name"), strip=True),
        description_html=base.as_str(merged.get("description")),
    )


def parse_detail(response: Response, board: Board, ctx: BoardContext, row: dict) -> Iterable[JobItem]:
    """Yield the job with its detail's text; the list data alone when the detail is odd."""
    if not base.as_str(row.get("title"), strip=True):
        return
    if response.status != 200:
        yield job_from(row, board, ctx)
        return
    try:
        data = base.load_json(response)
    except base.BadResponse:
        yield job_from(row, board, ctx)
        raise
    yield base.job_with_detail(lambda: job_from(row, board, ctx, base.as_dict(data) or None),
                               lambda: job_from(row, board, ctx), board, ctx, response.url)


def detail_failed(failure: Any) -> Iterable[JobItem]:
    """Yield the list-only job when its detail failed for good."""
    kw = failure.request.cb_kwargs
    logger.warning("polymer %s: detail %s failed (%s); keeping the list data",
                   kw["board"].key, failure.request.url, failure.value)
    if base.as_str(kw["row"].get("title"), strip=True):
        yield job_from(kw["row"], kw["board"], kw["ctx"])


def probe(slug: str, ctx: BoardContext) -> scrapy.Request | None:
    """Return the first list page request of a guessed organization slug."""
    board = board_for(base.probe_slug(slug))
    return None if board is None else _list_request(board, ctx, 1, parse_probe)


def parse_probe(response: Response, board: Board, ctx: BoardContext, page: int) -> Iterable[ProbeResult]:
    """Yield one ProbeResult: the job total, the organization's name and the detail requests."""
    if response.status != 200:
        yield ProbeResult(board, 0)
        return
    rows, total, name = list_items(base.load_json(response))
    follow = detail_requests(rows, board, ctx)
    if rows:
        follow += [_list_request(board, ctx, n) for n in range(2, _pages(total, len(rows), ctx) + 1)]
    yield ProbeResult(board, total if rows else 0, names=[name] if name else [], follow=follow)
