"""Jobylon: the company's embed widget (cdn.jobylon.com/jobs/companies/{id}/embed/v2/).

Format from a real recording of an employer's embed page: the jobs are not in the HTML but in an
inline JavaScript object literal, `JBL.embed_v2['jobs'] = [{id: '355795', url: '/jobs/...',
title: ..., locations: [...], departments: [...], employment_type: 'Deltid', workspace:
'Arbete på plats', published_date: '21 april 2026', ...}]` (unquoted keys, single quotes,
\\u0027 escapes), read with chompjs. One request lists every job (page_size=1000); the widget
carries no description and no country. Labels are in the board's language (Swedish here):
employment types and workplaces are mapped where the word is known, else kept as published.
"""
from __future__ import annotations

import logging
import re
from datetime import date
from typing import Any, Iterable
from urllib.parse import urljoin, urlsplit

import chompjs
import scrapy
from scrapy.http import Response

from jobos.ats import base
from jobos.ats.base import Board, BoardContext
from jobos.items import JobItem

logger = logging.getLogger(__name__)

NAME = "jobylon"
HOSTS = ("cdn.jobylon.com",)
URL_SHAPES = (
    "https://cdn.jobylon.com/jobs/companies/12345/embed/v2/",
    "https://cdn.jobylon.com/jobs/companies/12345/embed/v1/",
)
PATHS: tuple[str, ...] = ()
EMBED_MARKERS: tuple[tuple[str, str], ...] = ()
FIELDS = ("external_id", "title", "url", "location", "workplace", "employment_type",
          "department", "posted_at")

JOB_HOST = "https://emp.jobylon.com"
PAGE_SIZE = 1000
_EMBED = re.compile(r"^/jobs/companies/(\d{1,12})/embed(?:/|$)")
_JOBS = re.compile(r"""JBL\.embed_v2\[\s*['"]jobs['"]\s*\]\s*=""")
_MONTHS = {
    # Swedish, Danish/Norwegian and English month names, as the widget prints its dates.
    "januari": 1, "januar": 1, "january": 1, "jan": 1,
    "februari": 2, "februar": 2, "february": 2, "feb": 2,
    "mars": 3, "marts": 3, "march": 3, "mar": 3,
    "april": 4, "apr": 4,
    "maj": 5, "mai": 5, "may": 5,
    "juni": 6, "june": 6, "jun": 6,
    "juli": 7, "july": 7, "jul": 7,
    "augusti": 8, "august": 8, "aug": 8,
    "september": 9, "sep": 9, "sept": 9,
    "oktober": 10, "october": 10, "oct": 10, "okt": 10,
    "november": 11, "nov": 11,
    "december": 12, "desember": 12, "dec": 12, "des": 12,
}
_DATE = re.compile(r"^(\d{1,2})\.?\s+([^\W\d_]+)\.?\s+(\d{4})$")
_EMPLOYMENT = {
    "heltid": "FULL_TIME", "deltid": "PART_TIME", "säsong": "TEMPORARY", "visstid": "TEMPORARY",
    "sommarjobb": "TEMPORARY", "praktik": "INTERN", "konsult": "CONTRACTOR", "annat": "OTHER",
    "fuldtid": "FULL_TIME", "deltid/fuldtid": "OTHER", "heltid/deltid": "OTHER",
}
_WORKPLACE = (("hybrid", "hybrid"), ("distans", "remote"), ("remote", "remote"), ("fjärr", "remote"),
              ("på plats", "onsite"), ("on-site", "onsite"), ("onsite", "onsite"), ("on site", "onsite"))


def board_for(company_id: str) -> Board:
    """Return the Board of a Jobylon company id."""
    return Board(NAME, company_id, f"https://cdn.jobylon.com/jobs/companies/{company_id}/embed/v2/")


def detect(url: str) -> Board | None:
    """Return the Board of a Jobylon embed URL, or None."""
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return None
    if (parts.hostname or "").lower() != HOSTS[0]:
        return None
    m = _EMBED.match(parts.path)
    return board_for(m.group(1)) if m else None


def start(board: Board, ctx: BoardContext) -> Iterable[scrapy.Request]:
    """Yield the embed request that lists every job."""
    url = f"https://cdn.jobylon.com/jobs/companies/{board.token}/embed/v2/?page_size={PAGE_SIZE}"
    request = base.api_request(url, parse_embed, board, ctx,
                               headers={"Accept": "text/html,application/xhtml+xml"})
    yield request


def embedded_jobs(html: str) -> list[Any]:
    """Return the JBL.embed_v2['jobs'] array of an embed page; raise BadResponse without one."""
    m = _JOBS.search(html or "")
    if m is None:
        raise base.BadResponse("Jobylon embed page has no JBL.embed_v2['jobs'] list")
    try:
        jobs = chompjs.parse_js_object(html[m.end():])
    except ValueError as exc:
        raise base.BadResponse(f"Jobylon jobs list cannot be read: {exc}") from None
    if not isinstance(jobs, list):
        raise base.BadResponse("Jobylon JBL.embed_v2['jobs'] is not a list")
    return jobs


def parse_date(text: Any) -> str | None:
    """Return the ISO date of a widget date ('21 april 2026'), or None."""
    m = _DATE.match(text.strip()) if isinstance(text, str) else None
    month = _MONTHS.get(m.group(2).lower()) if m else None
    if not month:
        return None
    try:
        return date(int(m.group(3)), month, int(m.group(1))).isoformat()
    except ValueError:
        return None


def _workplace(text: str | None) -> str | None:
    low = (text or "").lower()
    return next((value for word, value in _WORKPLACE if word in low), None)


def parse_job(job: Any, board: Board, ctx: BoardContext) -> JobItem | None:
    """Return the JobItem of one widget job, or None without id or title."""
    if not isinstance(job, dict):
        return None
    job_id, title = base.as_str(job.get("id"), strip=True), base.as_str(job.get("title"), strip=True)
    if not job_id or not title:
        return None
    path = base.as_str(job.get("url"), strip=True) or f"/jobs/{job_id}/"
    locations = list(dict.fromkeys(x for x in (base.as_str(v, strip=True)
                                               for v in base.as_list(job.get("locations"))) if x))
    departments = [x for x in (base.as_str(v, strip=True) for v in base.as_list(job.get("departments"))) if x]
    employment = base.as_str(job.get("employment_type"), strip=True)
    published = base.as_str(job.get("published_date"), strip=True)
    posted = parse_date(published)
    return base.new_job(
        board, ctx,
        external_id=job_id,
        title=title,
        url=urljoin(JOB_HOST, path),
        # locations_text is the widget's label ("Stockholm +4 till"); the list is the data.
        location=" / ".join(locations) or base.as_str(job.get("locations_text"), strip=True),
        locations=locations or None,
        remote_flag=_workplace(base.as_str(job.get("workspace"))),
        employment_type=_EMPLOYMENT.get((employment or "").lower(), employment),
        department=departments[0] if departments else None,
        posted_at=posted,
        posted_text=None if posted else published,
    )


def parse_embed_html(html: str, board: Board, ctx: BoardContext) -> list[JobItem]:
    """Return the JobItems of an embed page."""
    return base.parse_each(embedded_jobs(html), lambda job: parse_job(job, board, ctx), board, ctx)


def parse_embed(response: Response, board: Board, ctx: BoardContext) -> Iterable[JobItem]:
    """Yield every job of the embed page."""
    text = getattr(response, "text", None)
    if text is None:
        raise base.BadResponse(f"Jobylon embed {response.url} is not text")
    yield from parse_embed_html(text, board, ctx)
