"""Zoho Recruit career sites: the postings in the careers page ({company}.zohorecruit.com/jobs/Careers).

Format from open code that reads it (open job collectors, one run against live sites): the page
carries every posting as entity-escaped JSON in a hidden `<input id="jobs" value="...">`, rows
of {id, Posting_Title, City, State, Country, Remote_Job, Job_Type, Department_Name, Industry,
Date_Opened, Job_Description}; a posting's page is /jobs/Careers/<id>. One request per board.
The page serves at most 50 postings (?page= answers the same ones): a board of exactly 50 may
hold more, which is logged. Not yet checked against a recorded page.
"""
from __future__ import annotations

import json
import logging
import re
from typing import Any, Iterable
from urllib.parse import quote, urlsplit

import lxml.html
import scrapy
from scrapy.http import Response

from jobos.ats import base
from jobos.ats.base import Board, BoardContext
from jobos.items import JobItem
from jobos.normalize.countries import country_code

logger = logging.getLogger(__name__)

NAME = "zohorecruit"
HOSTS = (".zohorecruit.com", ".zohorecruit.eu", ".zohorecruit.in", ".zohorecruit.com.au")
URL_SHAPES = (
    "https://acme.zohorecruit.com/jobs/Careers",
    "https://acme.zohorecruit.com/jobs/Careers/12345/software-engineer",
)
PATHS: tuple[str, ...] = ()
EMBED_MARKERS: tuple[tuple[str, str], ...] = ()
FIELDS = ("external_id", "title", "url", "location", "city", "region", "country", "workplace",
          "employment_type", "department", "posted_at", "description_html")

PAGE_CAP = 50
_SUB = re.compile(r"^[a-z0-9][a-z0-9-]*$")
_NOT_TENANTS = {"www", "accounts", "recruit", "static", "help", "css", "creator", "api", "app",
                "eu", "in", "au", "us", "ca"}


def board_for(sub: str, domain: str = "zohorecruit.com") -> Board | None:
    """Return the Board of a Zoho Recruit career site subdomain, or None for a service host."""
    sub = (sub or "").lower()
    if not _SUB.match(sub) or sub in _NOT_TENANTS:
        return None
    host = f"{sub}.{domain}"
    token = sub if domain == "zohorecruit.com" else f"{sub}.{domain.split('.', 1)[1]}"
    return Board(NAME, token, f"https://{host}/jobs/Careers", host=host)


def detect(url: str) -> Board | None:
    """Return the Board of a Zoho Recruit careers or posting URL, or None."""
    try:
        host = (urlsplit(url.strip()).hostname or "").lower()
    except ValueError:
        return None
    for suffix in HOSTS:
        if host.endswith(suffix) and host.count(".") == suffix.count("."):
            return board_for(host[: -len(suffix)], suffix[1:])
    return None


def start(board: Board, ctx: BoardContext) -> Iterable[scrapy.Request]:
    """Yield the careers page request."""
    yield base.api_request(board.url, parse_page, board, ctx,
                           headers={"Accept": "text/html,application/xhtml+xml"})


def page_postings(html: str) -> list[Any]:
    """Return the postings of a careers page's hidden jobs input; BadResponse without one."""
    try:
        root = lxml.html.fromstring(html)
    except (ValueError, lxml.etree.ParserError):
        raise base.BadResponse("Zoho Recruit page cannot be parsed") from None
    values = root.xpath('//input[@id="jobs" or @name="jobs"]/@value')
    if not values:
        raise base.BadResponse("Zoho Recruit page has no jobs input")
    try:
        data = json.loads(values[0])  # lxml has already undone the entity escaping
    except ValueError as exc:
        raise base.BadResponse(f"Zoho Recruit jobs input cannot be read: {exc}") from None
    if not isinstance(data, list):
        raise base.BadResponse("Zoho Recruit jobs input is not a list")
    return data


def _truthy(value: Any) -> bool:
    return value is True or str(value).strip().lower() in ("true", "1", "yes")


def parse_posting(row: Any, board: Board, ctx: BoardContext) -> JobItem | None:
    """Return the JobItem of one posting, or None without id or title."""
    if not isinstance(row, dict):
        return None
    posting_id = base.as_str(row.get("id"), strip=True)
    title = (base.as_str(row.get("Posting_Title"), strip=True)
             or base.as_str(row.get("Job_Opening_Name"), strip=True))
    if not posting_id or not title:
        return None
    city, region = base.as_str(row.get("City"), strip=True), base.as_str(row.get("State"), strip=True)
    country = base.as_str(row.get("Country"), strip=True)
    location = ", ".join(p for p in (city, region, country) if p) or None
    return base.new_job(
        board, ctx,
        external_id=posting_id,
        title=title,
        url=f"https://{board.host}/jobs/Careers/{quote(posting_id, safe='')}",
        location=location,
        locations=[location] if location else None,
        city=city,
        region=region,
        country=country_code(country),
        remote_flag=True if _truthy(row.get("Remote_Job")) else None,
        employment_type=base.as_str(row.get("Job_Type"), strip=True),
        department=base.as_str(row.get("Department_Name"), strip=True)
        or base.as_str(row.get("Industry"), strip=True),
        posted_at=base.as_str(row.get("Date_Opened"), strip=True),
        description_html=base.as_str(row.get("Job_Description")),
    )


def parse_page_html(html: str, board: Board, ctx: BoardContext) -> list[JobItem]:
    """Return the JobItems of a careers page."""
    rows = page_postings(html)
    if len(rows) >= PAGE_CAP:
        logger.warning("zohorecruit %s: the careers page lists %d postings, its cap; the board may hold more",
                       board.key, len(rows))
    return base.parse_each(rows, lambda row: parse_posting(row, board, ctx), board, ctx, what="posting")


def parse_page(response: Response, board: Board, ctx: BoardContext) -> Iterable[JobItem]:
    """Yield every posting of the careers page."""
    text = getattr(response, "text", None)
    if text is None:
        raise base.BadResponse(f"Zoho Recruit page {response.url} is not text")
    yield from parse_page_html(text, board, ctx)
