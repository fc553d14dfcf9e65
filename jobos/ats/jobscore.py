"""JobScore career sites: the published JSON feed (careers.jobscore.com/jobs/{company}/feed.json).

Format from JobScore's developer guide to job feeds as open code reads it: one answer
{company_name, company_code, jobs: [{id, title, location, city, state, country, remote ("Yes",
"No", "Hybrid|..."), department, detail_url, url_slug, opened_date, last_updated_date,
description (HTML), job_type, experience_level, public_salary_minimum/maximum (in cents; yen
whole), currency_code, public_compensation_interval}]}; every job with its text, no paging. An
unknown company answers 404. Not yet checked against a recorded answer.
"""
from __future__ import annotations

import logging
from typing import Any, Iterable
from urllib.parse import quote, urlsplit, urlunsplit

import scrapy
from scrapy.http import Response

from jobos.ats import base
from jobos.ats.base import Board, BoardContext, ProbeResult
from jobos.ats.embedded import job_domains
from jobos.items import JobItem
from jobos.normalize.countries import country_code

logger = logging.getLogger(__name__)

NAME = "jobscore"
HOST = "careers.jobscore.com"
HOSTS = (HOST,)
URL_SHAPES = (
    "https://careers.jobscore.com/careers/acme",
    "https://careers.jobscore.com/careers/acme/jobs/software-engineer",
    "https://careers.jobscore.com/jobs/acme/feed.json",
)
PATHS: tuple[str, ...] = ()
EMBED_MARKERS: tuple[tuple[str, str], ...] = ()
FIELDS = ("external_id", "title", "url", "location", "city", "region", "country", "workplace",
          "employment_type", "department", "salary_min", "salary_max", "salary_currency",
          "salary_period", "posted_at", "description_html")

_WHOLE_CURRENCIES = {"JPY", "KRW", "CLP", "ISK", "VND"}  # no minor unit: amounts are not in cents
_PERIODS = {"year": "YEAR", "yearly": "YEAR", "annual": "YEAR", "month": "MONTH", "monthly": "MONTH",
            "week": "WEEK", "weekly": "WEEK", "day": "DAY", "daily": "DAY", "hour": "HOUR", "hourly": "HOUR"}
_REMOTE = {"yes": "remote", "no": "onsite", "hybrid": "hybrid"}


def board_for(slug: str) -> Board | None:
    """Return the Board of a JobScore company slug, or None."""
    slug = base.path_name(slug, reserved=("static", "assets", "apply_flow"))
    return Board(NAME, slug, f"https://{HOST}/careers/{slug}") if slug else None


def detect(url: str) -> Board | None:
    """Return the Board of a JobScore careers, job or feed URL, or None."""
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return None
    if (parts.hostname or "").lower() != HOST:
        return None
    segments = [s for s in parts.path.split("/") if s]
    if len(segments) >= 2 and segments[0] in ("careers", "jobs"):
        return board_for(segments[1])
    return None


def _feed_url(board: Board) -> str:
    return f"https://{HOST}/jobs/{quote(board.token, safe='')}/feed.json"


def start(board: Board, ctx: BoardContext) -> Iterable[scrapy.Request]:
    """Yield the one request that lists every job."""
    yield base.api_request(_feed_url(board), parse_feed, board, ctx)


def _salary(job: dict[str, Any]) -> dict[str, Any]:
    low = base.as_number(job.get("public_salary_minimum"))
    high = base.as_number(job.get("public_salary_maximum"))
    if not low and not high:
        return {}
    currency = base.as_str(job.get("currency_code"), strip=True)
    divisor = 1 if (currency or "").upper() in _WHOLE_CURRENCIES else 100
    period = str(job.get("public_compensation_interval") or "").strip().lower()
    return {"salary_min": low / divisor if low else None, "salary_max": high / divisor if high else None,
            "salary_currency": currency, "salary_period": _PERIODS.get(period)}


def _public_url(url: str) -> str:
    """Return a posting URL without its query (the feed adds ?ref=rss...)."""
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, parts.path, "", ""))


def parse_job(job: Any, board: Board, ctx: BoardContext) -> JobItem | None:
    """Return the JobItem of one feed job, or None without id or title."""
    if not isinstance(job, dict):
        return None
    job_id, title = base.as_str(job.get("id"), strip=True), base.as_str(job.get("title"), strip=True)
    if not job_id or not title:
        return None
    detail = base.as_str(job.get("detail_url"), strip=True)
    slug = base.as_str(job.get("url_slug"), strip=True) or job_id
    url = (_public_url(detail) if detail
           else f"https://{HOST}/careers/{board.token}/jobs/{quote(slug, safe='-')}")
    location = base.as_str(job.get("location"), strip=True)
    remote = str(job.get("remote") or "").split("|", 1)[0].strip().lower()
    return base.new_job(
        board, ctx,
        external_id=job_id,
        title=title,
        url=url,
        location=location,
        locations=[location] if location else None,
        city=base.as_str(job.get("city"), strip=True),
        region=base.as_str(job.get("state"), strip=True),
        country=country_code(base.as_str(job.get("country"), strip=True)),
        remote_flag=_REMOTE.get(remote),
        employment_type=base.as_str(job.get("job_type"), strip=True),
        department=base.as_str(job.get("department"), strip=True),
        posted_at=base.as_str(job.get("opened_date"), strip=True),
        description_html=base.as_str(job.get("description")),
        **_salary(job),
    )


def parse_feed_json(data: Any, board: Board, ctx: BoardContext) -> list[JobItem]:
    """Return the JobItems of a feed.json answer."""
    if not isinstance(data, dict) or not isinstance(data.get("jobs"), list):
        raise base.BadResponse("JobScore answer has no jobs list")
    return base.parse_each(data["jobs"], lambda job: parse_job(job, board, ctx), board, ctx)


def parse_feed(response: Response, board: Board, ctx: BoardContext) -> Iterable[JobItem]:
    """Yield every job of the feed."""
    yield from parse_feed_json(base.load_json(response), board, ctx)


def probe(slug: str, ctx: BoardContext) -> scrapy.Request | None:
    """Return the feed request of a guessed company slug."""
    return base.probe_request(board_for(base.probe_slug(slug)), _feed_url, parse_probe, ctx)


def parse_probe(response: Response, board: Board, ctx: BoardContext) -> Iterable[ProbeResult]:
    """Yield one ProbeResult: the job count, the company name and the domains the jobs link."""
    if response.status != 200:
        yield ProbeResult(board, 0)
        return
    data = base.load_json(response)
    items = parse_feed_json(data, board, ctx)
    name = base.as_str(base.as_dict(data).get("company_name"), strip=True)
    yield ProbeResult(board, len(items), names=[name] if name else [],
                      domains=job_domains(items, own={"jobscore.com"}), items=items)
