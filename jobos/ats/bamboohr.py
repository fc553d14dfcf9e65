"""BambooHR: the careers-site JSON ({sub}.bamboohr.com/careers/list and /careers/{id}/detail).

The list holds every opening (title, department, employment status, location) with no paging
and no description; the detail adds the HTML description, datePosted, compensation and the
share URL. One detail call per job: ~1 + 1/n requests per job. A missing tenant redirects to
BambooHR's marketing site instead of answering 404.
"""
from __future__ import annotations

import logging
import re
from typing import Any, Iterable
from urllib.parse import quote, urlsplit

import scrapy
from scrapy.http import Response

from jobos.ats import base
from jobos.ats.base import Board, BoardContext, ProbeResult
from jobos.items import JobItem
from jobos.normalize.countries import country_code

logger = logging.getLogger(__name__)

NAME = "bamboohr"
# Registry data (see jobos.ats): where its URLs live, examples, widget markers, fields filled.
HOSTS = (
    ".bamboohr.com",
)
PATHS: tuple[str, ...] = ()
URL_SHAPES = (
    "https://acme.bamboohr.com/careers",
    "https://acme.bamboohr.com/careers/42",
    "https://acme.bamboohr.com/jobs/embed2.php",
)
EMBED_MARKERS: tuple[tuple[str, str], ...] = (
    (r"""data-bamboohr-domain\s*=\s*["']([\w-]+)["']""",
     "https://{}.bamboohr.com/careers"),
)
FIELDS = (
    "external_id", "title", "url", "location", "city", "region", "country", "department",
    "employment_type", "workplace", "salary_min", "salary_max", "salary_currency",
    "salary_period", "posted_at", "description_html",
)

_SUB = re.compile(r"^[a-z0-9][a-z0-9-]*$")
_NOT_TENANTS = {"www", "api", "app", "help", "marketplace", "partners", "status", "static",
                "resources", "go", "blog", "developers", "documentation"}
# locationType codes of the careers API: on-site, remote, hybrid.
_LOCATION_TYPES = {"0": "onsite", "1": "remote", "2": "hybrid"}
_NOT_FOUND = [301, 302, 303, 307, 308, 404]


def detect(url: str) -> Board | None:
    """Return the BambooHR Board for a careers page, job page, API or embed URL, or None."""
    try:
        parts = urlsplit(url if "//" in url else f"https://{url}")
    except ValueError:
        return None
    host = (parts.hostname or "").lower()
    if not host.endswith(".bamboohr.com") or host.count(".") != 2:
        return None
    sub = host.split(".", 1)[0]
    if sub in _NOT_TENANTS or not _SUB.match(sub):
        return None
    first = ([s for s in parts.path.split("/") if s] or [""])[0].lower()
    # /careers..., /jobs/ (embed2.php, view.php), /js/embed.js; the bare host serves the board too.
    if first not in ("", "careers", "jobs", "js", "hiring"):
        return None
    return board_for(sub)


def board_for(sub: str) -> Board:
    """Return the Board of a BambooHR tenant subdomain."""
    host = f"{sub}.bamboohr.com"
    return Board(ats=NAME, token=sub, url=f"https://{host}/careers", host=host)


def _list_request(board: Board, ctx: BoardContext, callback: Any) -> scrapy.Request:
    request = base.api_request(f"https://{board.host}/careers/list", callback, board, ctx)
    # A missing tenant redirects to marketing pages; see the redirect instead of following it.
    request.meta["dont_redirect"] = True
    request.meta["handle_httpstatus_list"] = _NOT_FOUND
    return request


def start(board: Board, ctx: BoardContext) -> Iterable[scrapy.Request]:
    """Yield the list request."""
    yield _list_request(board, ctx, parse_list)


def parse_list(response: Response, board: Board, ctx: BoardContext) -> Iterable[scrapy.Request]:
    """Yield a detail request per opening (up to ctx.max_jobs)."""
    if response.status != 200:
        logger.info("bamboohr %s: careers list answered %s (no such board)", board.key,
                    response.status)
        return
    yield from detail_requests(openings(base.load_json(response), response.url), board, ctx)


def openings(data: Any, url: str = "") -> list[dict]:
    """Return the list's openings; raise BadResponse when it is not a careers list."""
    if not isinstance(data, dict) or not isinstance(data.get("result"), list):
        raise base.BadResponse(f"unexpected BambooHR careers list from {url}")
    return [o for o in data["result"] if isinstance(o, dict) and base.as_str(o.get("id"), strip=True)]


def detail_requests(rows: list[dict], board: Board, ctx: BoardContext) -> list[scrapy.Request]:
    """Return the detail GETs for the openings; a failed detail keeps the list's fields."""
    if ctx.max_jobs is not None:
        rows = rows[: ctx.max_jobs]
    requests = []
    for row in rows:
        opening_id = quote(base.as_str(row.get("id"), strip=True) or "", safe="")
        request = base.api_request(f"https://{board.host}/careers/{opening_id}/detail",
                                   parse_detail, board, ctx, opening=row)
        request.meta["handle_httpstatus_list"] = [404, 410]
        requests.append(request.replace(errback=detail_failed))
    return requests


def parse_detail(response: Response, board: Board, ctx: BoardContext, opening: dict
                 ) -> Iterable[JobItem]:
    """Yield one job from the detail's result.jobOpening, the list row filling gaps."""
    if response.status != 200:
        yield job_from_opening(opening, board, ctx)
        return
    try:
        data = base.load_json(response)
    except base.BadResponse:
        yield job_from_opening(opening, board, ctx)
        raise
    detail = base.as_dict(base.as_dict(base.as_dict(data).get("result")).get("jobOpening")) or None
    yield base.job_with_detail(lambda: job_from_opening(opening, board, ctx, detail),
                               lambda: job_from_opening(opening, board, ctx), board, ctx, response.url)


def detail_failed(failure: Any) -> Iterable[JobItem]:
    """Yield the list-only job when the detail call failed for good."""
    kw = failure.request.cb_kwargs
    logger.warning("bamboohr %s: detail %s failed (%s); keeping the list data",
                   kw["board"].key, failure.request.url, failure.value)
    yield job_from_opening(kw["opening"], kw["board"], kw["ctx"])


def job_from_opening(row: dict, board: Board, ctx: BoardContext, detail: dict | None = None
                     ) -> JobItem:
    """Return a JobItem from a careers-list row and, when present, its detail jobOpening."""
    merged = {**row, **{k: v for k, v in base.as_dict(detail).items() if v not in (None, "", {})}}
    text = lambda key: base.as_str(merged.get(key))  # noqa: E731
    loc = merged.get("location") if isinstance(merged.get("location"), dict) else {}
    ats = merged.get("atsLocation") if isinstance(merged.get("atsLocation"), dict) else {}
    city = base.as_str(ats.get("city")) or base.as_str(loc.get("city"))
    region = (base.as_str(ats.get("state")) or base.as_str(ats.get("province"))
              or base.as_str(loc.get("state")))
    country_text = ats.get("country") or loc.get("addressCountry") or loc.get("country")
    parts = [p for p in (city, region, country_text) if isinstance(p, str) and p.strip()]
    location = ", ".join(dict.fromkeys(p.strip() for p in parts)) or None
    if merged.get("isRemote") is not None:
        remote: Any = merged["isRemote"]
    else:
        remote = _LOCATION_TYPES.get(str(merged.get("locationType")))
    compensation = merged.get("compensation")
    opening_id = base.as_str(row.get("id"), strip=True)
    url = text("jobOpeningShareUrl") or f"https://{board.host}/careers/{opening_id}"
    return base.new_job(
        board, ctx,
        external_id=opening_id,
        title=base.as_str(merged.get("jobOpeningName"), strip=True),
        url=url,
        location=location,
        locations=[location] if location else None,
        city=city,
        region=region,
        country=country_code(country_text) if isinstance(country_text, str) else None,
        remote_flag=remote,
        employment_type=text("employmentStatusLabel") or text("employmentType"),
        department=base.as_str(merged.get("departmentLabel"), strip=True),
        salary_text=compensation if isinstance(compensation, str) else None,
        posted_at=text("datePosted"),
        description_html=text("description"),
    )


def probe(slug: str, ctx: BoardContext) -> scrapy.Request | None:
    """Return the careers-list request for a guessed tenant subdomain."""
    slug = slug.lower()
    if not _SUB.match(slug) or slug in _NOT_TENANTS:
        return None
    return _list_request(board_for(slug), ctx, parse_probe)


def parse_probe(response: Response, board: Board, ctx: BoardContext) -> Iterable[ProbeResult]:
    """Yield one ProbeResult: the opening count and the detail requests to read them."""
    content_type = response.headers.get("Content-Type", b"").decode("latin-1").lower()
    if response.status != 200 or "json" not in content_type:
        yield ProbeResult(board, 0)
        return
    try:
        rows = openings(base.load_json(response), response.url)
    except base.BadResponse:
        yield ProbeResult(board, 0)
        return
    yield ProbeResult(board, len(rows), follow=detail_requests(rows, board, ctx))
