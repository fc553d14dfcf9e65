"""Teamtailor: the career site's JSON Feed ({sub}.teamtailor.com/jobs.json, JSON Feed 1.1).

Each item carries the job's page URL, `content_html` and an embedded schema.org JobPosting
(`_jobposting`: identifier, datePosted, jobLocation, employmentType, baseSalary...). The feed
is one request per page; further pages are followed through the feed's `next_url`.
"""
from __future__ import annotations

import logging
import re
from typing import Any, Iterable
from urllib.parse import urljoin, urlsplit

import scrapy
from scrapy.http import Response

from jobos.ats import base
from jobos.ats.base import Board, BoardContext, ProbeResult
from jobos.ats.embedded import registrable_domain
from jobos.items import JobItem
from jobos.normalize.countries import country_code

logger = logging.getLogger(__name__)

NAME = "teamtailor"
# Registry data (see jobos.ats): where its URLs live, examples, widget markers, fields filled.
HOSTS = (
    ".teamtailor.com",
)
PATHS: tuple[str, ...] = ()
URL_SHAPES = (
    "https://acme.teamtailor.com/jobs",
    "https://acme.teamtailor.com/jobs/123456-engineer",
    "https://acme.na.teamtailor.com/jobs",
)
EMBED_MARKERS: tuple[tuple[str, str], ...] = ()
FIELDS = (
    "external_id", "title", "url", "location", "city", "country", "employment_type",
    "workplace", "salary_min", "salary_max", "salary_currency", "salary_period", "posted_at",
    "description_html",
)

_HOST = re.compile(r"^(?P<sub>[a-z0-9][a-z0-9-]*)(?P<region>\.na|\.eu)?\.teamtailor\.com$")
_NOT_TENANTS = {"www", "app", "api", "scripts", "assets", "support", "docs", "partner",
                "marketplace", "status", "blog", "help", "cdn"}
_JOB_ID = re.compile(r"/jobs/(\d+)")


def detect(url: str) -> Board | None:
    """Return the Teamtailor Board for a career site, job page, feed or embed URL, or None."""
    try:
        parts = urlsplit(url if "//" in url else f"https://{url}")
    except ValueError:
        return None
    m = _HOST.match((parts.hostname or "").lower())
    if not m or m.group("sub") in _NOT_TENANTS:
        return None
    return board_for(m.group("sub") + (m.group("region") or ""))


def board_for(token: str) -> Board:
    """Return the Board of a career-site subdomain ('acme', or 'acme.na' for North America)."""
    host = f"{token}.teamtailor.com"
    return Board(ats=NAME, token=token, url=f"https://{host}/jobs", host=host)


def _feed_request(url: str, board: Board, ctx: BoardContext, callback: Any, seen: int = 0
                  ) -> scrapy.Request:
    return base.api_request(url, callback, board, ctx, seen=seen)


def start(board: Board, ctx: BoardContext) -> Iterable[scrapy.Request]:
    """Yield the feed's first page."""
    yield _feed_request(f"https://{board.host}/jobs.json", board, ctx, parse_feed)


def parse_feed(response: Response, board: Board, ctx: BoardContext, seen: int = 0
               ) -> Iterable[JobItem | scrapy.Request]:
    """Yield the page's jobs and the request for the feed's next page."""
    data = base.load_json(response)
    if not isinstance(data, dict) or not isinstance(data.get("items"), list):
        raise base.BadResponse(f"unexpected Teamtailor feed from {response.url}")
    jobs = parse_items(data, board, ctx)
    if ctx.max_jobs is not None:
        jobs = jobs[: max(ctx.max_jobs - seen, 0)]
    yield from jobs
    seen += len(jobs)
    next_url = data.get("next_url")
    if jobs and isinstance(next_url, str) and (ctx.max_jobs is None or seen < ctx.max_jobs):
        yield _feed_request(urljoin(response.url, next_url), board, ctx, parse_feed, seen)


def parse_items(data: dict, board: Board, ctx: BoardContext) -> list[JobItem]:
    """Return a JobItem per feed item that has a title and URL."""
    rows = [i for i in base.as_list(data.get("items")) if isinstance(i, dict)]
    return base.parse_each(rows, lambda i: job_from_item(i, board, ctx), board, ctx)


def _address(place: Any) -> dict:
    if isinstance(place, dict):
        address = place.get("address")
        return address if isinstance(address, dict) else {}
    return {}


def job_from_item(item: dict, board: Board, ctx: BoardContext) -> JobItem | None:
    """Return a JobItem from one JSON Feed item and its embedded JobPosting (None without URL/title)."""
    url = base.as_str(item.get("url"), strip=True)
    title = base.as_str(item.get("title"), strip=True)
    if not url or not title:
        return None
    posting = item.get("_jobposting") if isinstance(item.get("_jobposting"), dict) else {}
    places = posting.get("jobLocation") or []
    addresses = [_address(p) for p in (places if isinstance(places, list) else [places])]
    addresses = [a for a in addresses if a]
    locations = []
    for a in addresses:
        text = ", ".join(str(a[k]) for k in ("addressLocality", "addressCountry") if a.get(k))
        if text and text not in locations:
            locations.append(text)
    codes = {country_code(str(a.get("addressCountry"))) for a in addresses if a.get("addressCountry")}
    codes.discard(None)
    one = addresses[0] if len(addresses) == 1 else {}
    identifier = posting.get("identifier")
    value = identifier.get("value") if isinstance(identifier, dict) else None
    m = _JOB_ID.search(url)
    external_id = (base.as_str(value, strip=True) or (m.group(1) if m else None)
                   or base.as_str(item.get("id"), strip=True))
    salary = _salary(posting.get("baseSalary"))
    employment = posting.get("employmentType")
    if isinstance(employment, list):
        employment = ", ".join(t for t in map(base.as_str, employment) if t)
    return base.new_job(
        board, ctx,
        external_id=external_id,
        title=title,
        url=url,
        location=" / ".join(locations) if locations else None,
        locations=locations or None,
        city=base.as_str(one.get("addressLocality")),
        country=codes.pop() if len(codes) == 1 else None,
        remote_flag=base.as_str(posting.get("jobLocationType")),
        employment_type=base.as_str(employment),
        posted_at=base.as_str(posting.get("datePosted")) or base.as_str(item.get("date_published")),
        description_html=base.as_str(item.get("content_html")) or base.as_str(posting.get("description")),
        **salary,
    )


def _salary(value: Any) -> dict[str, Any]:
    """Return salary fields from a schema.org MonetaryAmount (baseSalary), as given."""
    if not isinstance(value, dict):
        return {}
    amount = value.get("value") if isinstance(value.get("value"), dict) else {}
    low = amount.get("minValue", amount.get("value"))
    high = amount.get("maxValue", amount.get("value"))
    return {
        "salary_min": low if isinstance(low, (int, float)) else None,
        "salary_max": high if isinstance(high, (int, float)) else None,
        "salary_currency": base.as_str(value.get("currency"), strip=True),
        "salary_period": base.as_str(amount.get("unitText"), strip=True),
    }


def probe(slug: str, ctx: BoardContext) -> scrapy.Request | None:
    """Return the feed request for a guessed career-site subdomain."""
    slug = slug.lower()
    if not re.fullmatch(r"[a-z0-9][a-z0-9-]*", slug) or slug in _NOT_TENANTS:
        return None
    board = board_for(slug)
    return base.as_probe(_feed_request(f"https://{board.host}/jobs.json", board, ctx, parse_probe))


def parse_probe(response: Response, board: Board, ctx: BoardContext, seen: int = 0
                ) -> Iterable[ProbeResult]:
    """Yield one ProbeResult: the first page's jobs, the hiring organisation and its site."""
    try:
        data = base.load_json(response) if response.status == 200 else None
    except base.BadResponse:
        data = None
    if not isinstance(data, dict) or not isinstance(data.get("items"), list):
        yield ProbeResult(board, 0)
        return
    items = parse_items(data, board, ctx)
    names, domains = set(), set()
    for entry in data["items"]:
        org = (entry.get("_jobposting") or {}).get("hiringOrganization") if isinstance(entry, dict) else None
        if isinstance(org, dict):
            if isinstance(org.get("name"), str):
                names.add(org["name"])
            for link in (org.get("sameAs"), org.get("url")):
                domain = registrable_domain(link) if isinstance(link, str) else None
                if domain and domain != "teamtailor.com":
                    domains.add(domain)
    follow = []
    if isinstance(data.get("next_url"), str) and items:
        follow.append(_feed_request(urljoin(response.url, data["next_url"]), board, ctx,
                                    parse_feed, len(items)))
    yield ProbeResult(board, len(items), names=sorted(names),
                      domains=domains, items=items, follow=follow)
