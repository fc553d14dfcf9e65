"""Recruitee career sites: the public offers API (one request lists every offer)."""
from __future__ import annotations

import logging
import re
from typing import Any, Iterable
from urllib.parse import quote, urlsplit

import scrapy
from scrapy.http import Response

from jobos.ats import base
from jobos.ats.base import Board, BoardContext, ProbeResult
from jobos.ats.embedded import job_domains
from jobos.items import JobItem
from jobos.normalize.countries import country_code

logger = logging.getLogger(__name__)

NAME = "recruitee"
# Registry data (see jobos.ats): where its URLs live, examples, widget markers, fields filled.
HOSTS = (
    ".recruitee.com",
)
PATHS: tuple[str, ...] = ()
URL_SHAPES = (
    "https://acme.recruitee.com/",
    "https://acme.recruitee.com/o/backend-engineer",
    "https://acme.recruitee.com/api/offers/",
)
EMBED_MARKERS: tuple[tuple[str, str], ...] = ()
FIELDS = (
    "external_id", "title", "url", "apply_url", "location", "city", "region", "country",
    "department", "employment_type", "workplace", "salary_min", "salary_max", "salary_currency",
    "salary_period", "posted_at", "description_html",
)

_SUB = re.compile(r"^[a-z0-9][a-z0-9-]*$")
# recruitee.com host names that are Recruitee's own services, not a company's career site.
_NOT_TENANTS = {
    "www", "app", "api", "docs", "help", "support", "blog", "status", "careers-analytics",
    "careers", "cdn", "assets", "static", "partners", "marketplace", "mail", "go", "info",
}
_PERIODS = {"year": "YEAR", "month": "MONTH", "week": "WEEK", "day": "DAY", "hour": "HOUR"}
_UTC_STAMP = re.compile(r"^(\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}:\d{2}) UTC$")


def _board(sub: str) -> Board | None:
    sub = (sub or "").lower()
    if not _SUB.match(sub) or sub in _NOT_TENANTS:
        return None
    host = f"{sub}.recruitee.com"
    return Board(NAME, sub, f"https://{host}/", host=host)


def detect(url: str) -> Board | None:
    """Return the Board of a Recruitee career site, offer, API or widget URL, or None."""
    try:
        host = (urlsplit(url.strip()).hostname or "").lower()
    except ValueError:
        return None
    if host.endswith(".recruitee.com") and host.count(".") == 2:
        return _board(host.split(".", 1)[0])
    return None


def _api_url(board: Board) -> str:
    return f"https://{board.host or board.token + '.recruitee.com'}/api/offers/"


def start(board: Board, ctx: BoardContext) -> Iterable[scrapy.Request]:
    """Return the one request that lists every published offer."""
    yield base.api_request(_api_url(board), parse_offers, board, ctx)


def _iso(stamp: Any) -> str | None:
    """Return Recruitee's '2026-08-05 10:10:39 UTC' as ISO 8601; other strings as given."""
    if not isinstance(stamp, str):
        return None
    match = _UTC_STAMP.match(stamp.strip())
    return f"{match.group(1)}T{match.group(2)}Z" if match else stamp


def _number(value: Any) -> float | None:
    try:
        return float(value) if value not in (None, "") else None
    except (TypeError, ValueError):
        return None


def _salary(offer: dict[str, Any]) -> dict[str, Any]:
    salary = offer.get("salary")
    if not isinstance(salary, dict):
        return {}
    low, high = _number(salary.get("min")), _number(salary.get("max"))
    if low is None and high is None:
        return {}
    return {
        "salary_min": low,
        "salary_max": high,
        "salary_currency": base.as_str(salary.get("currency"), strip=True),
        "salary_period": _PERIODS.get(str(salary.get("period") or "").lower()),
    }


def _workplace(offer: dict[str, Any]) -> str | None:
    if offer.get("remote"):
        return "remote"
    if offer.get("hybrid"):
        return "hybrid"
    if offer.get("on_site"):
        return "onsite"
    return None


def _location_text(loc: dict[str, Any]) -> str | None:
    name = base.as_str(loc.get("name"))
    # A name such as "Germany/Remote" says what the address does not: keep it as published.
    if name and "remote" in name.lower():
        return name
    parts = [base.as_str(loc.get(key)) for key in ("city", "state", "country")]
    return ", ".join(p for p in parts if p) or name


def parse_offer(offer: dict[str, Any], board: Board, ctx: BoardContext) -> JobItem | None:
    """Return the JobItem for one Recruitee offer, or None without id or title."""
    if not isinstance(offer, dict):
        return None
    offer_id, title = base.as_str(offer.get("id"), strip=True), base.as_str(offer.get("title"), strip=True)
    if not offer_id or not title:
        return None
    text = lambda key: base.as_str(offer.get(key))  # noqa: E731
    locations = [_location_text(loc) for loc in base.as_list(offer.get("locations")) if isinstance(loc, dict)]
    slug = quote(base.as_str(offer.get("slug"), strip=True) or offer_id, safe="")
    url = text("careers_url") or f"{board.url.rstrip('/')}/o/{slug}"
    description = "\n".join(p for p in (text("description"), text("requirements")) if p)
    return base.new_job(
        board,
        ctx,
        external_id=offer_id,
        title=title,
        url=url,
        apply_url=text("careers_apply_url"),
        location=text("location"),
        locations=[x for x in locations if x] or None,
        country=country_code(text("country_code")),
        city=text("city"),
        region=text("state_name"),
        remote_flag=_workplace(offer),
        employment_type=text("employment_type_code"),
        department=text("department"),
        posted_at=_iso(offer.get("published_at") or offer.get("created_at")),
        description_html=description or None,
        **_salary(offer),
    )


def parse_offers_json(data: Any, board: Board, ctx: BoardContext) -> list[JobItem]:
    """Return the JobItems of an /api/offers/ response."""
    if not isinstance(data, dict) or not isinstance(data.get("offers"), list):
        raise base.BadResponse("Recruitee answer has no offers list")
    return base.parse_each(data["offers"], lambda offer: parse_offer(offer, board, ctx), board, ctx,
                           what="offer")


def parse_offers(response: Response, board: Board, ctx: BoardContext) -> Iterable[JobItem]:
    """Yield every published offer."""
    yield from parse_offers_json(base.load_json(response), board, ctx)


def probe(slug: str, ctx: BoardContext) -> scrapy.Request | None:
    """Return a request asking <slug>.recruitee.com for its offers."""
    return base.probe_request(_board(base.probe_slug(slug)), _api_url, parse_probe, ctx)


def parse_probe(response: Response, board: Board, ctx: BoardContext) -> Iterable[ProbeResult]:
    """Yield one ProbeResult: offer count, company names and domains of the career site."""
    if response.status != 200:
        yield ProbeResult(board, 0)
        return
    data = base.load_json(response)
    items = parse_offers_json(data, board, ctx)
    names = sorted({name for o in base.as_list(base.as_dict(data).get("offers")) if isinstance(o, dict)
                    for name in [base.as_str(o.get("company_name"))] if name})
    domains = job_domains(items, own={"recruitee.com"})
    yield ProbeResult(board, len(items), names=names, domains=domains, items=items)
