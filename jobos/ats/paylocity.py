"""Paylocity recruiting boards: the board page's `window.pageData` and each job's detail page.

Format from real recordings (ever-jobs' Paylocity fixtures: two employers' boards and two job
pages; a trimmed board from careerkit). The board page
(recruiting.paylocity.com/recruiting/jobs/All/{board guid}) carries every job in a JSON object
assigned to `window.pageData` (`Jobs[]`: JobId, JobTitle, PublishedDate, HiringDepartment,
JobLocation {City, State, Country}, IsRemote); its HTML body needs JavaScript. The board has no
descriptions, so each job's page (/recruiting/jobs/Details/{JobId}) is read for its JSON-LD
JobPosting (description, datePosted, address, baseSalary) and its "Job Type" block: one detail
call per job, ~1 + 1/n requests per job. A job page that cannot be read keeps the board's data.

URLs are written as Paylocity declares them canonical: every recorded page's `og:url` spells the
route `/recruiting/jobs/` (lower case, then `All`/`Details` as is), while its scripts and links
also use `/Recruiting/Jobs/`. The server answers both (its routes ignore case), but a job's URL is
compared and stored as a string, so one spelling, the canonical one, is written everywhere.
"""
from __future__ import annotations

import json
import logging
import re
from typing import Any, Iterable
from urllib.parse import urlsplit

import lxml.html
import scrapy
from scrapy.http import Response

from jobos.ats import base
from jobos.ats.base import Board, BoardContext
from jobos.items import JobItem
from jobos.normalize.countries import country_code
from jobos.pages.jsonld import job_postings

logger = logging.getLogger(__name__)

NAME = "paylocity"
HOST = "recruiting.paylocity.com"
HOSTS = (HOST,)
URL_SHAPES = (
    "https://recruiting.paylocity.com/recruiting/jobs/All/3f2b6c1e-8a4d-4c2e-9b1a-0d5e7f9a1b2c/acme",
    "https://recruiting.paylocity.com/Recruiting/Jobs/Details/12345/3f2b6c1e-8a4d-4c2e-9b1a-0d5e7f9a1b2c",
)
PATHS: tuple[str, ...] = ()
EMBED_MARKERS: tuple[tuple[str, str], ...] = ()
FIELDS = ("external_id", "title", "url", "apply_url", "location", "city", "region", "country",
          "workplace", "employment_type", "department", "salary_min", "salary_max",
          "salary_currency", "salary_period", "posted_at", "description_html")

_GUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$", re.I)
_PAGE_DATA = re.compile(r"window\.pageData\s*=\s*")
_WORKPLACE_NAMES = {"remote": "remote", "hybrid": "hybrid"}
SITE = f"https://{HOST}/recruiting/jobs"  # the canonical spelling of the site's path (og:url)
_PERIODS = {"HOUR": "HOUR", "DAY": "DAY", "WEEK": "WEEK", "MONTH": "MONTH", "YEAR": "YEAR"}


def board_for(guid: str) -> Board | None:
    """Return the Board of a Paylocity board guid, or None when it is not one."""
    if not guid or not _GUID.match(guid):
        return None
    guid = guid.lower()
    return Board(NAME, guid, f"{SITE}/All/{guid}", host=HOST)


def detect(url: str) -> Board | None:
    """Return the Board of a Paylocity board URL (or a job URL that names its board), or None."""
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return None
    if (parts.hostname or "").lower() != HOST:
        return None
    segments = [s for s in parts.path.split("/") if s]
    lower = [s.lower() for s in segments]
    # /Recruiting/Jobs/All/{guid}[/{name}]; /Recruiting/Jobs/Details/{id}/{guid} (the board's link form)
    if lower[:3] == ["recruiting", "jobs", "all"] and len(segments) >= 4:
        return board_for(segments[3])
    if lower[:3] == ["recruiting", "jobs", "details"] and len(segments) >= 5:
        return board_for(segments[4])
    return None


def start(board: Board, ctx: BoardContext) -> Iterable[scrapy.Request]:
    """Yield the board page request."""
    yield base.api_request(board.url, parse_board, board, ctx,
                           headers={"Accept": "text/html,application/xhtml+xml"})


def page_data(html: str) -> dict[str, Any]:
    """Return a Paylocity page's window.pageData object; raise BadResponse without one."""
    m = _PAGE_DATA.search(html or "")
    if m is None:
        raise base.BadResponse("Paylocity page has no window.pageData")
    try:
        data, _ = json.JSONDecoder().raw_decode(html, m.end())
    except ValueError as exc:
        raise base.BadResponse(f"Paylocity pageData cannot be read: {exc}") from None
    if not isinstance(data, dict):
        raise base.BadResponse("Paylocity pageData is not an object")
    return data


def board_jobs(html: str) -> list[dict]:
    """Return the Jobs[] rows of a board page (rows without a JobId are dropped)."""
    jobs = page_data(html).get("Jobs")
    if not isinstance(jobs, list):
        raise base.BadResponse("Paylocity pageData has no Jobs list")
    # Job ids are numbers: anything else would be written into the job page URL as given.
    return [j for j in jobs
            if isinstance(j, dict) and (base.as_str(j.get("JobId"), strip=True) or "").isdigit()]


def _text(response: Response) -> str:
    text = getattr(response, "text", None)
    if text is None:
        raise base.BadResponse(f"Paylocity page {response.url} is not text")
    return text


def parse_board(response: Response, board: Board, ctx: BoardContext) -> Iterable[scrapy.Request]:
    """Yield a job page request per job of the board (up to ctx.max_jobs)."""
    rows = board_jobs(_text(response))
    if ctx.max_jobs is not None:
        rows = rows[: ctx.max_jobs]
    for row in rows:
        url = job_url(row)
        request = base.api_request(url, parse_job_page, board, ctx, row=row,
                                   headers={"Accept": "text/html,application/xhtml+xml"})
        request.meta["handle_httpstatus_list"] = [404, 410]
        yield request.replace(errback=job_page_failed)


def parse_board_page(html: str, url: str, board: Board, ctx: BoardContext) -> list[JobItem]:
    """Return the board's jobs from its page's window.pageData, each from its board row only.

    Read when the board page at its canonical address cannot be (the careers URL names it in
    another form, with the company's name after the guid): no job page is asked for.
    """
    try:
        rows = board_jobs(html)
    except base.BadResponse:
        return []
    if ctx.max_jobs is not None:
        rows = rows[: ctx.max_jobs]
    return base.parse_each(rows, lambda row: job_from_row(row, board, ctx), board, ctx, id_keys=("JobId",))


def job_url(row: dict) -> str:
    """Return the job page URL of a board row."""
    return f"{SITE}/Details/{base.as_str(row.get('JobId'), strip=True)}"


def job_page_fields(html: str) -> dict[str, Any]:
    """Return what a job page adds: the JSON-LD posting's fields and the Job Type block."""
    postings, _bad = job_postings(html)
    posting = postings[0] if postings else {}
    out: dict[str, Any] = {"description_html": base.as_str(posting.get("description")),
                           "posted_at": base.as_str(posting.get("datePosted"), strip=True)}
    place = posting.get("jobLocation")
    place = place[0] if isinstance(place, list) and place else place
    address = base.as_dict(base.as_dict(place).get("address"))
    out["city"] = base.as_str(address.get("addressLocality"), strip=True)
    out["region"] = base.as_str(address.get("addressRegion"), strip=True)
    out["country"] = country_code(base.as_str(address.get("addressCountry"), strip=True))
    salary = base.as_dict(posting.get("baseSalary"))
    value = base.as_dict(salary.get("value"))
    low, high = base.as_number(value.get("minValue")), base.as_number(value.get("maxValue"))
    if low is None and high is None:
        low = high = base.as_number(value.get("value"))
    if low is not None or high is not None:
        out.update(salary_min=low, salary_max=high,
                   salary_currency=base.as_str(salary.get("currency"), strip=True),
                   salary_period=_PERIODS.get(str(value.get("unitText") or "").upper()))
    try:
        root = lxml.html.fromstring(html)
        job_type = root.xpath('string(//div[@class="job-listing-header"][normalize-space()="Job Type"]'
                              '/following-sibling::div[1])')
    except (ValueError, lxml.etree.ParserError):
        job_type = ""
    out["employment_type"] = " ".join(job_type.split()) or None
    return {k: v for k, v in out.items() if v is not None}


def job_from_row(row: dict, board: Board, ctx: BoardContext, page: dict | None = None) -> JobItem:
    """Return a JobItem from a board row and, when read, its job page's fields."""
    page = page or {}
    loc = base.as_dict(row.get("JobLocation"))
    city = base.as_str(loc.get("City"), strip=True)
    region = base.as_str(loc.get("State"), strip=True)
    country = base.as_str(loc.get("Country"), strip=True)
    location = (", ".join(p for p in (city, region, country) if p)
                or base.as_str(row.get("LocationName"), strip=True))
    job_id = base.as_str(row.get("JobId"), strip=True)
    return base.new_job(
        board, ctx,
        external_id=job_id,
        title=base.as_str(row.get("JobTitle"), strip=True),
        url=job_url(row),
        apply_url=f"https://{HOST}/Recruiting/Jobs/Apply/{job_id}",
        location=location,
        locations=[location] if location else None,
        city=page.get("city") or city,
        region=page.get("region") or region,
        country=page.get("country") or country_code(country),
        # A board may name its location "Hybrid" or "Remote" (the address is then the office's).
        remote_flag=True if row.get("IsRemote") is True else _WORKPLACE_NAMES.get(
            (base.as_str(row.get("LocationName"), strip=True) or "").lower()),
        employment_type=page.get("employment_type"),
        department=base.as_str(row.get("HiringDepartment"), strip=True),
        # The board's PublishedDate first: the page's datePosted is the same instant written
        # as UTC clock time with the board's offset (hours late, a day late in the evening).
        posted_at=base.as_str(row.get("PublishedDate"), strip=True) or page.get("posted_at"),
        description_html=page.get("description_html"),
        **{k: page[k] for k in ("salary_min", "salary_max", "salary_currency", "salary_period") if k in page},
    )


def parse_job_page(response: Response, board: Board, ctx: BoardContext, row: dict) -> Iterable[JobItem]:
    """Yield the job with its page's fields; the board's data alone when the page is odd."""
    if not base.as_str(row.get("JobTitle"), strip=True):
        return
    if response.status != 200:
        yield job_from_row(row, board, ctx)
        return
    yield base.job_with_detail(lambda: job_from_row(row, board, ctx, job_page_fields(_text(response))),
                               lambda: job_from_row(row, board, ctx), board, ctx, response.url)


def job_page_failed(failure: Any) -> Iterable[JobItem]:
    """Yield the board-only job when its page failed for good."""
    kw = failure.request.cb_kwargs
    logger.warning("paylocity %s: job page %s failed (%s); keeping the board data",
                   kw["board"].key, failure.request.url, failure.value)
    if base.as_str(kw["row"].get("JobTitle"), strip=True):
        yield job_from_row(kw["row"], kw["board"], kw["ctx"])
