"""JOIN (join.com) company pages: the company id from the page, then the public jobs API.

Format from open code that reads it (several open job collectors): the company page
join.com/companies/{slug} carries Next.js data (`__NEXT_DATA__` props.pageProps.initialState
.company {id, name, domain}; a gone company answers a page whose pageProps.statusCode is 404 or
410); join.com/api/public/companies/{id}/jobs?page=N&pageSize=5 answers {items: [{id, idParam,
title, city {cityName, regionName, countryName}, category {name}, employmentType {name},
workplaceType, salaryAmountFrom/To {amount in cents, currency}, createdAt}], pagination
{pageCount, rowCount}} with at most 5 jobs a page. Not yet checked against a recorded answer.
Requests per job: 1/5 + 1/n (the pages after the first are asked at once).
"""
from __future__ import annotations

import json
import logging
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

NAME = "join"
HOSTS = ("join.com", "www.join.com")
URL_SHAPES = (
    "https://join.com/companies/acme",
    "https://join.com/companies/acme/12345-software-engineer",
)
PATHS: tuple[str, ...] = ()
EMBED_MARKERS: tuple[tuple[str, str], ...] = ()
FIELDS = ("external_id", "title", "url", "location", "city", "region", "country", "workplace",
          "employment_type", "department", "salary_min", "salary_max", "salary_currency",
          "posted_at")

PAGE_SIZE = 5  # the largest page the public API answers
MAX_PAGES = 200
_NOT_SLUGS = {"embed", "jobs", "search"}


def board_for(slug: str) -> Board | None:
    """Return the Board of a JOIN company slug, or None."""
    slug = base.path_name(slug, reserved=_NOT_SLUGS)
    return Board(NAME, slug, f"https://join.com/companies/{slug}") if slug else None


def detect(url: str) -> Board | None:
    """Return the Board of a JOIN company or job URL, or None."""
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return None
    if (parts.hostname or "").lower() not in HOSTS:
        return None
    segments = [s for s in parts.path.split("/") if s]
    if len(segments) >= 2 and segments[0].lower() == "companies":
        return board_for(segments[1])
    return None


def start(board: Board, ctx: BoardContext) -> Iterable[scrapy.Request]:
    """Yield the company page request (it names the company id the API needs)."""
    yield base.api_request(board.url, parse_company_page, board, ctx,
                           headers={"Accept": "text/html,application/xhtml+xml"})


def company_id(html: str) -> str | None:
    """Return the company id of a company page; None for a gone company; BadResponse if unreadable."""
    try:
        scripts = lxml.html.fromstring(html).xpath('//script[@id="__NEXT_DATA__"]/text()')
    except (ValueError, lxml.etree.ParserError):
        scripts = []
    if not scripts:
        raise base.BadResponse("JOIN company page has no __NEXT_DATA__")
    try:
        props = base.as_dict(base.as_dict(json.loads(scripts[0])).get("props")).get("pageProps")
    except ValueError as exc:
        raise base.BadResponse(f"JOIN page data cannot be read: {exc}") from None
    props = base.as_dict(props)
    if props.get("statusCode") in (404, 410):
        return None
    company = base.as_dict(base.as_dict(props.get("initialState")).get("company"))
    found = base.as_str(company.get("id"), strip=True)
    if not found or not found.isdigit():
        raise base.BadResponse("JOIN company page names no company id")
    return found


def _jobs_request(board: Board, ctx: BoardContext, cid: str, page: int) -> scrapy.Request:
    url = (f"https://join.com/api/public/companies/{cid}/jobs"
           f"?locale=en-us&page={page}&pageSize={PAGE_SIZE}")
    return base.api_request(url, parse_jobs, board, ctx, cid=cid, page=page)


def parse_company_page(response: Response, board: Board, ctx: BoardContext) -> Iterable[scrapy.Request]:
    """Yield the first jobs page request of the company."""
    text = getattr(response, "text", None)
    if text is None:
        raise base.BadResponse(f"JOIN page {response.url} is not text")
    cid = company_id(text)
    if cid is None:
        logger.info("join %s: the company page says the company is gone", board.key)
        return
    yield _jobs_request(board, ctx, cid, 1)


def _salary(item: dict[str, Any]) -> dict[str, Any]:
    low = base.as_dict(item.get("salaryAmountFrom"))
    high = base.as_dict(item.get("salaryAmountTo"))
    low_n, high_n = base.as_number(low.get("amount")), base.as_number(high.get("amount"))
    if low_n is None and high_n is None:
        return {}
    return {"salary_min": low_n / 100 if low_n is not None else None,
            "salary_max": high_n / 100 if high_n is not None else None,
            "salary_currency": base.as_str(low.get("currency") or high.get("currency"), strip=True)}


def parse_job(item: Any, board: Board, ctx: BoardContext) -> JobItem | None:
    """Return the JobItem of one API job, or None without id or title."""
    if not isinstance(item, dict):
        return None
    job_id, title = base.as_str(item.get("id"), strip=True), base.as_str(item.get("title"), strip=True)
    if not job_id or not title:
        return None
    city = base.as_dict(item.get("city"))
    city_name = base.as_str(city.get("cityName"), strip=True)
    region = base.as_str(city.get("regionName"), strip=True)
    country = base.as_str(city.get("countryName"), strip=True)
    location = ", ".join(p for p in (city_name, region, country) if p) or None
    param = base.as_str(item.get("idParam"), strip=True) or job_id
    return base.new_job(
        board, ctx,
        external_id=job_id,
        title=title,
        url=f"https://join.com/companies/{board.token}/{quote(param, safe='-')}",
        location=location,
        locations=[location] if location else None,
        city=city_name,
        region=region,
        country=country_code(base.as_str(city.get("countryCode"), strip=True)) or country_code(country),
        remote_flag=base.as_str(item.get("workplaceType"), strip=True),
        employment_type=base.as_str(base.as_dict(item.get("employmentType")).get("name"), strip=True),
        department=base.as_str(base.as_dict(item.get("category")).get("name"), strip=True),
        posted_at=base.as_str(item.get("createdAt"), strip=True),
        **_salary(item),
    )


def parse_jobs_json(data: Any, board: Board, ctx: BoardContext) -> tuple[list[JobItem], int]:
    """Return (the JobItems of one API page, the page count the answer states)."""
    if not isinstance(data, dict) or not isinstance(data.get("items"), list):
        raise base.BadResponse("JOIN answer has no items list")
    pages = base.as_number(base.as_dict(data.get("pagination")).get("pageCount")) or 1
    items = base.parse_each(data["items"], lambda row: parse_job(row, board, ctx), board, ctx)
    return items, int(min(pages, MAX_PAGES))


def parse_jobs(response: Response, board: Board, ctx: BoardContext, cid: str, page: int
               ) -> Iterable[JobItem | scrapy.Request]:
    """Yield one page's jobs; the first page also asks every further page at once."""
    items, pages = parse_jobs_json(base.load_json(response), board, ctx)
    yield from items
    if page == 1:
        if ctx.max_jobs is not None:
            pages = min(pages, -(-ctx.max_jobs // PAGE_SIZE))
        for n in range(2, pages + 1):
            yield _jobs_request(board, ctx, cid, n)
