"""Lever job sites: the public postings API (JSON, paged with skip/limit, whole postings)."""
from __future__ import annotations

import logging
import re
from typing import Any, Iterable
from urllib.parse import urlsplit

import scrapy
from scrapy.http import Response

from jobos.ats import base
from jobos.ats.base import Board, BoardContext, ProbeResult
from jobos.ats.embedded import job_domains
from jobos.items import JobItem
from jobos.normalize.countries import country_code

logger = logging.getLogger(__name__)

NAME = "lever"
# Registry data (see jobos.ats): where its URLs live, examples, widget markers, fields filled.
HOSTS = (
    "jobs.lever.co",
    "jobs.eu.lever.co",
    "api.lever.co",
    "api.eu.lever.co",
)
PATHS: tuple[str, ...] = ()
URL_SHAPES = (
    "https://jobs.lever.co/acme",
    "https://jobs.lever.co/acme/5f1d2c3b-0000-4000-8000-000000000001",
    "https://jobs.eu.lever.co/acme",
    "https://api.lever.co/v0/postings/acme?mode=json",
)
EMBED_MARKERS: tuple[tuple[str, str], ...] = (
    (r"""leverJobsOptions\s*=\s*\{[^}]*?accountName\s*:\s*["']([\w.-]+)["']""",
     "https://jobs.lever.co/{}"),
)
FIELDS = (
    "external_id", "title", "url", "apply_url", "location", "country", "department",
    "employment_type", "workplace", "salary_min", "salary_max", "salary_currency",
    "salary_period", "posted_at", "description_html",
)

API_HOST = "api.lever.co"
EU_API_HOST = "api.eu.lever.co"
PAGE_SIZE = 100
_SITE = re.compile(r"^[A-Za-z0-9_.-]+$")
_NOT_SITES = {"v0", "v1", "postings", "robots.txt", "favicon.ico", "_next", "static"}
# Lever's salaryRange.interval values -> contract periods.
_PERIODS = {
    "per-year-salary": "YEAR",
    "per-month-salary": "MONTH",
    "per-week-salary": "WEEK",
    "per-day-wage": "DAY",
    "per-hour-wage": "HOUR",
}


def _board(site: str, eu: bool) -> Board | None:
    if not site or site.lower() in _NOT_SITES or not _SITE.match(site):
        return None
    site = site.lower()
    if eu:
        return Board(NAME, site, f"https://jobs.eu.lever.co/{site}", host=EU_API_HOST)
    return Board(NAME, site, f"https://jobs.lever.co/{site}")


def detect(url: str) -> Board | None:
    """Return the Board of a Lever job site, posting, apply or API URL, or None."""
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return None
    host = (parts.hostname or "").lower()
    segments = [s for s in parts.path.split("/") if s]
    if host in ("jobs.lever.co", "jobs.eu.lever.co"):
        return _board(segments[0], host == "jobs.eu.lever.co") if segments else None
    if host in (API_HOST, EU_API_HOST):
        # /v0/postings/{site}[/{id}]
        if len(segments) >= 3 and segments[0] == "v0" and segments[1] == "postings":
            return _board(segments[2], host == EU_API_HOST)
    return None


def _page_url(board: Board, skip: int) -> str:
    return (f"https://{board.host or API_HOST}/v0/postings/{board.token}"
            f"?mode=json&skip={skip}&limit={PAGE_SIZE}")


def start(board: Board, ctx: BoardContext) -> Iterable[scrapy.Request]:
    """Return the request for the first page of postings."""
    yield base.api_request(_page_url(board, 0), parse_postings, board, ctx, skip=0)


def _description(posting: dict[str, Any]) -> str | None:
    """Return the posting's HTML: description, then each list as a heading and list, then closing."""
    text = lambda key: base.as_str(posting.get(key))  # noqa: E731
    parts = []
    if text("description"):
        parts.append(text("description"))
    elif text("opening") or text("descriptionBody"):
        parts.extend(p for p in (text("opening"), text("descriptionBody")) if p)
    for block in base.as_list(posting.get("lists")):
        content = base.as_str(block.get("content")) if isinstance(block, dict) else None
        if content:
            parts.append(f"<h3>{base.as_str(block.get('text')) or ''}</h3><ul>{content}</ul>")
    if text("additional"):
        parts.append(text("additional"))
    if parts:
        return "\n".join(parts)
    plain = text("descriptionPlain")
    return f"<p>{plain}</p>" if plain else None


def _salary(posting: dict[str, Any]) -> dict[str, Any]:
    rng = posting.get("salaryRange")
    fields: dict[str, Any] = {}
    if isinstance(rng, dict) and (rng.get("min") is not None or rng.get("max") is not None):
        fields.update(
            salary_min=base.as_number(rng.get("min")),
            salary_max=base.as_number(rng.get("max")),
            salary_currency=base.as_str(rng.get("currency")),
            salary_period=_PERIODS.get(str(rng.get("interval") or "")),
        )
    elif base.as_str(posting.get("salaryDescriptionPlain")):
        fields["salary_text"] = " ".join(posting["salaryDescriptionPlain"].split())
    return fields


def parse_posting(posting: dict[str, Any], board: Board, ctx: BoardContext) -> JobItem | None:
    """Return the JobItem for one Lever posting, or None when it has no id or title."""
    if not isinstance(posting, dict):
        return None
    posting_id, title = base.as_str(posting.get("id"), strip=True), base.as_str(posting.get("text"), strip=True)
    if not posting_id or not title:
        return None
    categories = base.as_dict(posting.get("categories"))
    category = lambda key: base.as_str(categories.get(key))  # noqa: E731
    all_locations = [x for x in map(base.as_str, base.as_list(categories.get("allLocations"))) if x]
    url = base.as_str(posting.get("hostedUrl")) or f"{board.url}/{posting_id}"
    workplace = base.as_str(posting.get("workplaceType"))
    return base.new_job(
        board,
        ctx,
        external_id=posting_id,
        title=title,
        url=url,
        apply_url=base.as_str(posting.get("applyUrl")) or f"{url}/apply",
        location=category("location") or (", ".join(all_locations) or None),
        locations=all_locations or None,
        country=country_code(base.as_str(posting.get("country"))),
        remote_flag=workplace if workplace != "unspecified" else None,
        employment_type=category("commitment"),
        department=category("department") or category("team"),
        posted_at=posting.get("createdAt") if isinstance(posting.get("createdAt"), (int, str)) else None,
        description_html=_description(posting),
        **_salary(posting),
    )


def parse_postings_json(data: Any, board: Board, ctx: BoardContext) -> list[JobItem]:
    """Return the JobItems of one postings API page (a JSON array; a single posting works too)."""
    if isinstance(data, dict) and data.get("id"):
        data = [data]
    if not isinstance(data, list):
        raise base.BadResponse(f"Lever answer is not a postings array: {str(data)[:120]}")
    return base.parse_each(data, lambda posting: parse_posting(posting, board, ctx), board, ctx,
                           what="posting")


def _next_page(data: Any, board: Board, ctx: BoardContext, skip: int, seen: int,
               callback) -> scrapy.Request | None:
    """Return the request for the next page when this one was full and max_jobs allows it."""
    if not isinstance(data, list) or len(data) < PAGE_SIZE:
        return None
    if ctx.max_jobs is not None and seen >= ctx.max_jobs:
        return None
    nxt = skip + PAGE_SIZE
    return base.api_request(_page_url(board, nxt), callback, board, ctx, skip=nxt)


def parse_postings(response: Response, board: Board, ctx: BoardContext,
                   skip: int = 0) -> Iterable[JobItem | scrapy.Request]:
    """Yield the page's postings and the request for the next page."""
    data = base.load_json(response)
    items = parse_postings_json(data, board, ctx)
    yield from items
    nxt = _next_page(data, board, ctx, skip, skip + len(items), parse_postings)
    if nxt is not None:
        yield nxt


def probe(slug: str, ctx: BoardContext) -> scrapy.Request | None:
    """Return a request asking the postings API for the first page under this slug."""
    return base.probe_request(_board(slug, eu=False), lambda board: _page_url(board, 0), parse_probe, ctx)


def parse_probe(response: Response, board: Board, ctx: BoardContext) -> Iterable[ProbeResult]:
    """Yield one ProbeResult for the first page: count, linked domains, the next page to follow."""
    if response.status != 200:
        yield ProbeResult(board, 0)
        return
    data = base.load_json(response)
    items = parse_postings_json(data, board, ctx)
    domains = job_domains(items, own={"lever.co"})
    follow = _next_page(data, board, ctx, 0, len(items), parse_postings)
    # Lever's API shows no company name; the board's slug is all it tells.
    yield ProbeResult(board, len(items), names=[], domains=domains, items=items,
                      follow=[follow] if follow is not None else [])
