"""Eightfold AI career sites: the SmartApply JSON API (apply/v2), and PCSX search where it is closed.

Listing: GET https://{host}/api/apply/v2/jobs?domain={domain}&start={n}&num=50 -> {count,
positions[]} (id, name/posting_name, location(s), department, t_create epoch seconds,
work_location_option, canonicalPositionUrl; job_description empty in the list). Tenants that
close it (403 "Not authorized for PCSX") answer GET /api/pcsx/search?domain=...&start={n} ->
{status, data: {count, positions[]}} (locations[], postedTs, workLocationOption, positionUrl),
10 a page. Paging goes by the rows received, so a tenant capping the page size is read whole.
Detail: GET /api/apply/v2/jobs/{id}?domain={domain} -> the position with job_description; one
per job (~1.02-1.1 requests per job). Built on the recorded Freeport-McMoRan apply/v2 list and
Microsoft PCSX search; the detail shape (a position object with job_description) and the 403
fallback come from open projects that read these APIs, not yet checked against a real detail.
Hosts: {tenant}.eightfold.ai, or a company's own domain serving the same /api paths.
"""
from __future__ import annotations

import logging
from datetime import datetime, timezone
from typing import Any, Iterable
from urllib.parse import parse_qs, quote, urlsplit

import scrapy
from scrapy.http import Response

from jobos.ats import base
from jobos.ats.base import Board, BoardContext
from jobos.items import JobItem

logger = logging.getLogger(__name__)

NAME = "eightfold"
# Registry data (see jobos.ats): where its URLs live, examples, widget markers, fields filled.
HOSTS = (".eightfold.ai",)
PATHS = (r"^/api/apply/v2/jobs", r"^/api/pcsx/search")
URL_SHAPES = (
    "https://acme.eightfold.ai/careers?domain=acme.com",
    "https://acme.eightfold.ai/careers/job/42478672",
    "https://careers.acme.com/api/apply/v2/jobs?domain=acme.com&start=0&num=10",
    "https://careers.acme.com/api/pcsx/search?domain=acme.com&query=&start=0",
)
EMBED_MARKERS: tuple[tuple[str, str], ...] = ()
FIELDS = (
    "external_id", "title", "url", "location", "department", "workplace", "posted_at",
    "description_html",
)

PAGE_SIZE = 50


def detect(url: str) -> Board | None:
    """Return the Board of an Eightfold career page or API URL, or None."""
    try:
        parts = urlsplit(url if "//" in url else f"https://{url}")
        host = (parts.hostname or "").lower()
    except ValueError:
        return None
    path = parts.path or "/"
    own_api = path.startswith(("/api/apply/v2/jobs", "/api/pcsx/search"))
    if not host or not (host.endswith(".eightfold.ai") or own_api):
        return None
    if host in ("eightfold.ai", "www.eightfold.ai", "app.eightfold.ai"):
        return None  # the vendor's own site, not a tenant
    domain = (parse_qs(parts.query).get("domain") or [""])[0].strip().lower()
    if domain and not all(c.isalnum() or c in ".-" for c in domain):
        domain = ""
    token = f"{host}/{domain}" if domain else host
    url_out = f"https://{host}/careers" + (f"?domain={domain}" if domain else "")
    return Board(NAME, token, url_out, host=host, site=domain or None)


def _query(board: Board) -> str:
    return f"domain={quote(board.site)}&" if board.site else ""


def list_url(board: Board, start: int, pcsx: bool = False) -> str:
    """Return one listing page's URL: apply/v2, or the PCSX search."""
    if pcsx:
        return f"https://{board.host}/api/pcsx/search?{_query(board)}query=&location=&start={start}&sort_by=timestamp"
    return f"https://{board.host}/api/apply/v2/jobs?{_query(board)}start={start}&num={PAGE_SIZE}"


def detail_url(board: Board, position_id: str) -> str:
    return f"https://{board.host}/api/apply/v2/jobs/{position_id}" + (
        f"?domain={quote(board.site)}" if board.site else "")


def _listing_request(board: Board, ctx: BoardContext, start: int, pcsx: bool) -> scrapy.Request:
    request = base.api_request(list_url(board, start, pcsx), parse_listing, board, ctx,
                               start=start, pcsx=pcsx)
    if not pcsx:
        request.meta["handle_httpstatus_list"] = [403]
    return request


def start(board: Board, ctx: BoardContext) -> Iterable[scrapy.Request]:
    """Yield the first apply/v2 listing request (PCSX follows if the tenant closed it)."""
    yield _listing_request(board, ctx, 0, pcsx=False)


def listing(data: Any) -> tuple[list[dict], int | None]:
    """Return (positions, count) of an apply/v2 list or a PCSX search answer."""
    if not isinstance(data, dict):
        raise base.BadResponse("Eightfold answer is not an object")
    body = base.as_dict(data.get("data")) if "data" in data else data
    if "positions" not in body:
        raise base.BadResponse("Eightfold answer has no positions")
    rows = [p for p in base.as_list(body.get("positions")) if isinstance(p, dict)]
    count = base.as_number(body.get("count"))
    return rows, int(count) if count is not None else None


def parse_listing(response: Response, board: Board, ctx: BoardContext, start: int = 0,
                  pcsx: bool = False) -> Iterable[scrapy.Request]:
    """Yield a detail request per position and the next page (or the PCSX restart on 403)."""
    if response.status == 403:
        logger.info("eightfold %s: apply/v2 closed (403); reading the PCSX search", board.key)
        yield _listing_request(board, ctx, 0, pcsx=True)
        return
    rows, count = listing(base.load_json(response))
    for index, row in enumerate(rows):
        if ctx.max_jobs is not None and start + index >= ctx.max_jobs:
            return
        position_id = base.as_str(row.get("id"), strip=True)
        if not position_id or not position_id.isdigit():
            logger.warning("%s: skipped a position without a numeric id", board.key)
            base.count_problem(ctx, "bad_job")
            continue
        request = base.api_request(detail_url(board, position_id), parse_detail, board, ctx, row=row)
        request.meta["handle_httpstatus_list"] = [403, 404]
        yield request.replace(errback=detail_failed)
    following = start + len(rows)
    if rows and following < (count or 0) and (ctx.max_jobs is None or following < ctx.max_jobs):
        yield _listing_request(board, ctx, following, pcsx)


def parse_detail(response: Response, board: Board, ctx: BoardContext, row: dict) -> Iterable[JobItem]:
    """Yield one job from its detail (the listing row fills what is missing)."""
    if response.status in (403, 404):
        yield parse_job(row, board, ctx)
        return
    try:
        data = base.load_json(response)
    except base.BadResponse:
        yield parse_job(row, board, ctx)
        raise
    detail = base.as_dict(data)
    if "positions" in detail:  # some tenants wrap the one position as a list
        detail = next((p for p in base.as_list(detail["positions"]) if isinstance(p, dict)), {})
    yield base.job_with_detail(lambda: parse_job(row, board, ctx, detail),
                               lambda: parse_job(row, board, ctx), board, ctx, response.url)


def detail_failed(failure: Any) -> Iterable[JobItem]:
    """Yield the listing-only job when a detail call failed for good (network, 5xx)."""
    kw = failure.request.cb_kwargs
    logger.warning("eightfold %s: detail %s failed (%s); keeping the listing data",
                   kw["board"].key, failure.request.url, failure.value)
    yield parse_job(kw["row"], kw["board"], kw["ctx"])


def _epoch(value: Any) -> str | None:
    seconds = base.as_number(value)
    if seconds is None or seconds <= 0:
        return None
    if seconds > 1e11:  # milliseconds
        seconds /= 1000
    return datetime.fromtimestamp(seconds, timezone.utc).isoformat(timespec="seconds").replace(
        "+00:00", "Z")


def parse_job(row: dict, board: Board, ctx: BoardContext, detail: dict | None = None) -> JobItem:
    """Return the JobItem of a position (apply/v2 or PCSX shape), completed by its detail."""
    merged = {**row, **{k: v for k, v in base.as_dict(detail).items() if v not in (None, "", [])}}
    text = lambda key: base.as_str(merged.get(key), strip=True)  # noqa: E731
    position_id = text("id")
    locations = [x.strip() for x in base.as_list(merged.get("locations")) if isinstance(x, str) and x.strip()]
    location = text("location") or (locations[0] if locations else None)
    relative = text("positionUrl")
    url = (text("canonicalPositionUrl")
           or (f"https://{board.host}{relative}" if relative and relative.startswith("/") else None)
           or f"https://{board.host}/careers/job/{position_id}")
    return base.new_job(
        board, ctx,
        external_id=position_id,
        title=text("posting_name") or text("name"),
        url=url,
        location=location,
        locations=locations or ([location] if location else None),
        department=text("department"),
        remote_flag=text("work_location_option") or text("workLocationOption"),
        posted_at=_epoch(merged.get("postedTs") or merged.get("t_create") or merged.get("creationTs")),
        description_html=base.as_str(merged.get("job_description")),
    )
