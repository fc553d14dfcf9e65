"""JazzHR career pages ({company}.applytojob.com/apply/jobs) and their job pages' JSON-LD.

Format from open code that reads JazzHR boards (job collectors' tests): the public listing is
server-rendered HTML whose postings are links to /apply/jobs/details/<job code> (class
`job_title_link`); each job page carries a schema.org JobPosting in JSON-LD (title, description,
employmentType, datePosted, jobLocation address, jobLocationType TELECOMMUTE for remote jobs).
JazzHR's own API needs a key, so the pages are read: one job page per posting, ~1 + 1/n
requests per job; a job page without a readable posting keeps the listing's title. Not yet
checked against a recorded page.
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
from jobos.normalize.countries import country_code
from jobos.pages.jsonld import job_postings

logger = logging.getLogger(__name__)

NAME = "jazzhr"
HOSTS = (".applytojob.com",)
URL_SHAPES = (
    "https://acme.applytojob.com/apply/jobs",
    "https://acme.applytojob.com/apply/jobs/details/12345",
)
PATHS: tuple[str, ...] = ()
EMBED_MARKERS: tuple[tuple[str, str], ...] = ()
FIELDS = ("external_id", "title", "url", "apply_url", "location", "city", "region", "country",
          "workplace", "employment_type", "salary_min", "salary_max", "salary_currency",
          "salary_period", "posted_at", "description_html")

_SUB = re.compile(r"^[a-z0-9][a-z0-9-]*$")
_NOT_TENANTS = {"www", "app", "api", "help", "support", "static", "assets", "cdn"}
_DETAIL = re.compile(r"^/apply/jobs/details/([A-Za-z0-9]{4,40})/?$")
_PERIODS = {"HOUR": "HOUR", "DAY": "DAY", "WEEK": "WEEK", "MONTH": "MONTH", "YEAR": "YEAR"}


def board_for(sub: str) -> Board | None:
    """Return the Board of a JazzHR subdomain, or None for a service host."""
    sub = (sub or "").lower()
    if not _SUB.match(sub) or sub in _NOT_TENANTS:
        return None
    host = f"{sub}.applytojob.com"
    return Board(NAME, sub, f"https://{host}/apply/jobs", host=host)


def detect(url: str) -> Board | None:
    """Return the Board of a JazzHR listing or job URL, or None."""
    try:
        host = (urlsplit(url.strip()).hostname or "").lower()
    except ValueError:
        return None
    if host.endswith(HOSTS[0]) and host.count(".") == 2:
        return board_for(host.split(".", 1)[0])
    return None


def start(board: Board, ctx: BoardContext) -> Iterable[scrapy.Request]:
    """Yield the listing page request."""
    yield base.api_request(board.url, parse_listing, board, ctx,
                           headers={"Accept": "text/html,application/xhtml+xml"})


def listing_rows(html: str, board: Board) -> list[dict[str, str]]:
    """Return the postings a listing page links: code, job page URL and title, in page order."""
    try:
        root = lxml.html.fromstring(html)
    except (ValueError, lxml.etree.ParserError):
        raise base.BadResponse("JazzHR listing page cannot be parsed") from None
    rows, seen = [], set()
    for a in root.xpath("//a[@href]"):
        href = urljoin(board.url, a.get("href"))
        parts = urlsplit(href)
        m = _DETAIL.match(parts.path)
        if not m or (parts.hostname or "").lower() != board.host or m.group(1) in seen:
            continue
        seen.add(m.group(1))
        rows.append({"code": m.group(1), "url": f"https://{board.host}/apply/jobs/details/{m.group(1)}",
                     "title": " ".join(a.text_content().split())})
    return rows


def parse_listing(response: Response, board: Board, ctx: BoardContext) -> Iterable[scrapy.Request]:
    """Yield a job page request per posting of the listing (up to ctx.max_jobs)."""
    text = getattr(response, "text", None)
    if text is None:
        raise base.BadResponse(f"JazzHR listing {response.url} is not text")
    rows = listing_rows(text, board)
    if ctx.max_jobs is not None:
        rows = rows[: ctx.max_jobs]
    for row in rows:
        yield base.job_page_request(row["url"], board, ctx, row, job_from, posting_fields,
                                    statuses=(404, 410), headers={"Accept": "text/html,application/xhtml+xml"})


def posting_fields(html: str) -> dict[str, Any]:
    """Return the fields of a job page's JSON-LD JobPosting ({} without one)."""
    postings, _bad = job_postings(html)
    if not postings:
        return {}
    p = postings[0]
    place = p.get("jobLocation")
    place = place[0] if isinstance(place, list) and place else place
    address = base.as_dict(base.as_dict(place).get("address"))
    country = address.get("addressCountry")
    country = base.as_dict(country).get("name") if isinstance(country, dict) else country
    out: dict[str, Any] = {
        "title": base.as_str(p.get("title"), strip=True),
        "description_html": base.as_str(p.get("description")),
        "posted_at": base.as_str(p.get("datePosted"), strip=True),
        "employment_type": (p.get("employmentType")
                            if isinstance(p.get("employmentType"), (str, list)) else None),
        "city": base.as_str(address.get("addressLocality"), strip=True),
        "region": base.as_str(address.get("addressRegion"), strip=True),
        "country": country_code(base.as_str(country, strip=True)),
        "country_text": base.as_str(country, strip=True),
    }
    if str(p.get("jobLocationType") or "").upper() == "TELECOMMUTE":
        out["remote_flag"] = "remote"
    salary = base.as_dict(p.get("baseSalary"))
    value = base.as_dict(salary.get("value"))
    low, high = base.as_number(value.get("minValue")), base.as_number(value.get("maxValue"))
    if low is not None or high is not None:
        out.update(salary_min=low, salary_max=high,
                   salary_currency=base.as_str(salary.get("currency"), strip=True),
                   salary_period=_PERIODS.get(str(value.get("unitText") or "").upper()))
    return {k: v for k, v in out.items() if v not in (None, "", [])}


def job_from(row: dict, board: Board, ctx: BoardContext, page: dict | None = None) -> JobItem | None:
    """Return a JobItem from a listing row and, when read, its job page's posting."""
    page = page or {}
    title = page.get("title") or row.get("title")
    if not title:
        return None
    parts = [page.get("city"), page.get("region"), page.get("country_text")]
    location = ", ".join(p for p in parts if p) or None
    return base.new_job(
        board, ctx,
        external_id=row["code"],
        title=title,
        url=row["url"],
        apply_url=row["url"],
        location=location,
        locations=[location] if location else None,
        city=page.get("city"),
        region=page.get("region"),
        country=page.get("country"),
        remote_flag=page.get("remote_flag"),
        employment_type=page.get("employment_type"),
        posted_at=page.get("posted_at"),
        description_html=page.get("description_html"),
        **{k: page[k] for k in ("salary_min", "salary_max", "salary_currency", "salary_period") if k in page},
    )
