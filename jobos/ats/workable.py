"""Workable: the public widget API (apply.workable.com/api/v1/widget/accounts/{sub}?details=true).

One GET returns the account name and every published job with its description, so a board
costs one request. (The v3 `POST /api/v3/accounts/{sub}/jobs` used by the hosted page pages
with a token and carries no description; it is only recognised in detect().)
"""
from __future__ import annotations

import logging
import re
from typing import Any, Iterable
from urllib.parse import urlsplit

import scrapy
from scrapy.http import Response

from jobos.ats import base
from jobos.ats.base import Board, BoardContext, ProbeResult
from jobos.ats.embedded import linked_domains
from jobos.items import JobItem
from jobos.normalize.countries import country_code

logger = logging.getLogger(__name__)

NAME = "workable"
# Registry data (see jobos.ats): where its URLs live, examples, widget markers, fields filled.
HOSTS = (
    "apply.workable.com",
    "www.workable.com",
    ".workable.com",
)
PATHS: tuple[str, ...] = ()
URL_SHAPES = (
    "https://apply.workable.com/acme/",
    "https://apply.workable.com/acme/j/ABC123DEF4/",
    "https://acme.workable.com/",
    "https://www.workable.com/api/accounts/acme",
)
EMBED_MARKERS: tuple[tuple[str, str], ...] = ()
FIELDS = (
    "external_id", "title", "url", "apply_url", "location", "city", "region", "country",
    "department", "employment_type", "workplace", "posted_at", "description_html",
)
API = "https://apply.workable.com/api/v1/widget/accounts"

_SUB = re.compile(r"^[A-Za-z0-9_-]+$")  # real accounts may start with "-"
# apply.workable.com/<first segment> that is not an account subdomain.
_NOT_ACCOUNTS = {"j", "api", "assets", "static", "robots.txt", "favicon.ico", "sitemap.xml"}
# <x>.workable.com hosts that are Workable's own, not an account's legacy careers page.
_NOT_SUBDOMAINS = {"www", "apply", "jobs", "api", "help", "resources", "status", "engineering",
                   "careers-page", "app", "id", "blog", "developers", "workable"}


def detect(url: str) -> Board | None:
    """Return the Workable Board for a hosted board/job page, widget or API URL, or None."""
    try:
        parts = urlsplit(url if "//" in url else f"https://{url}")
    except ValueError:
        return None
    host = (parts.hostname or "").lower()
    segs = [s for s in parts.path.split("/") if s]
    sub = None
    if host == "apply.workable.com":
        if len(segs) >= 5 and segs[:4] == ["api", "v1", "widget", "accounts"]:
            sub = segs[4]
        elif len(segs) >= 4 and segs[0] == "api" and segs[2] == "accounts":
            sub = segs[3]  # /api/v3/accounts/{sub}/jobs, /api/v2/accounts/{sub}
        elif segs and segs[0].lower() not in _NOT_ACCOUNTS:
            sub = segs[0]
    elif host == "www.workable.com" and len(segs) >= 3 and segs[:2] == ["api", "accounts"]:
        sub = segs[2]  # the older widget API
    elif host.endswith(".workable.com") and host.count(".") == 2:
        label = host.split(".", 1)[0]
        if label not in _NOT_SUBDOMAINS:
            sub = label  # legacy {sub}.workable.com careers pages
    if not sub or not _SUB.match(sub):
        return None
    return board_for(sub.lower())


def board_for(sub: str) -> Board:
    """Return the Board of an account subdomain."""
    return Board(ats=NAME, token=sub, url=f"https://apply.workable.com/{sub}/")


def _request(board: Board, ctx: BoardContext, callback: Any) -> scrapy.Request:
    return base.api_request(f"{API}/{board.token}?details=true", callback, board, ctx)


def start(board: Board, ctx: BoardContext) -> Iterable[scrapy.Request]:
    """Yield the one widget-API request that lists the whole board."""
    yield _request(board, ctx, parse_account)


def parse_account(response: Response, board: Board, ctx: BoardContext) -> Iterable[JobItem]:
    """Yield every job of the account (up to ctx.max_jobs)."""
    data = base.load_json(response)
    if not isinstance(data, dict):
        raise base.BadResponse(f"unexpected Workable answer from {response.url}")
    jobs = parse_jobs(data, board, ctx)
    yield from jobs[: ctx.max_jobs] if ctx.max_jobs is not None else jobs


def parse_jobs(data: dict, board: Board, ctx: BoardContext) -> list[JobItem]:
    """Return the account's jobs; rows repeated per location (same shortcode) become one job."""
    grouped: dict[str, list[dict]] = {}
    for row in base.as_list(data.get("jobs")):
        code = base.as_str(row.get("shortcode"), strip=True) if isinstance(row, dict) else None
        if code:
            grouped.setdefault(code, []).append(row)
    return base.parse_each(grouped.values(), lambda rows: job_from_rows(rows, board, ctx), board,
                           ctx, id_keys=("shortcode",))


def _place(loc: dict) -> str | None:
    parts = [loc.get("city"), loc.get("region") or loc.get("state"), loc.get("country")]
    return ", ".join(p for p in parts if isinstance(p, str) and p.strip()) or None


def job_from_rows(rows: list[dict], board: Board, ctx: BoardContext) -> JobItem:
    """Return one JobItem from the widget rows of one shortcode."""
    first = rows[0]
    text = lambda key: base.as_str(first.get(key))  # noqa: E731
    code = base.as_str(first.get("shortcode"), strip=True)
    places: list[dict] = []
    for row in rows:
        listed = base.as_list(row.get("locations")) or [
            {"city": row.get("city"), "region": row.get("state"), "country": row.get("country")}]
        for loc in listed:
            if isinstance(loc, dict) and not loc.get("hidden") and loc not in places:
                places.append(loc)
    locations = [p for p in dict.fromkeys(_place(loc) for loc in places) if p]
    codes = {base.as_str(loc.get("countryCode"), strip=True) or country_code(base.as_str(loc.get("country")))
             for loc in places}
    codes.discard(None)
    one = places[0] if len(places) == 1 else {}
    remote = first.get("telecommuting")
    return base.new_job(
        board, ctx,
        external_id=code,
        title=base.as_str(first.get("title"), strip=True),
        url=text("url") or f"https://apply.workable.com/{board.token}/j/{code}/",
        apply_url=text("application_url"),
        location=" / ".join(locations) if locations else None,
        locations=locations or None,
        city=base.as_str(one.get("city")),
        region=base.as_str(one.get("region")) or base.as_str(one.get("state")),
        country=codes.pop() if len(codes) == 1 else None,
        remote_flag=remote if isinstance(remote, (bool, str)) else None,
        employment_type=text("employment_type"),
        department=text("department"),
        posted_at=text("published_on") or text("created_at"),
        description_html=text("description"),
    )


def probe(slug: str, ctx: BoardContext) -> scrapy.Request | None:
    """Return the widget-API request for a guessed account subdomain."""
    return base.as_probe(_request(board_for(slug.lower()), ctx, parse_probe))


def parse_probe(response: Response, board: Board, ctx: BoardContext) -> Iterable[ProbeResult]:
    """Yield one ProbeResult with the account name, linked domains and all its jobs."""
    if response.status != 200:
        yield ProbeResult(board, 0)
        return
    data = base.load_json(response)
    if not isinstance(data, dict):
        yield ProbeResult(board, 0)
        return
    items = parse_jobs(data, board, ctx)
    text = " ".join([str(data.get("description") or "")]
                    + [str(r.get("description") or "") for r in base.as_list(data.get("jobs"))
                       if isinstance(r, dict)])
    domains = linked_domains(text) - {"workable.com"}
    names = [data["name"]] if isinstance(data.get("name"), str) else []
    yield ProbeResult(board, len(items), names=names, domains=domains, items=items)

