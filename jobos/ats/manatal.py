"""Manatal career pages (careers-page.com/{account}): the open career-page jobs API.

Format from open code that reads it (open job collectors, one checked against a live 47-job
page): GET core.api.manatal.com/open/v3/career-page/{account}/jobs/?page=N answers a Django REST
page {count, next, previous, results: [{id, hash, position_name, description (HTML), city,
state, country (a name), location_display, is_remote, contract_details}]}, 10 jobs a page; a
job's page is careers-page.com/{account}/job/{hash}. No dates are published. The pages after
the first are asked at once: ~1/10 + 1/n requests per job. Not yet checked against a recorded
answer.
"""
from __future__ import annotations

import logging
import math
import re
from typing import Any, Iterable
from urllib.parse import quote, urlsplit

import scrapy
from scrapy.http import Response

from jobos.ats import base
from jobos.ats.base import Board, BoardContext
from jobos.items import JobItem
from jobos.normalize.countries import country_code

logger = logging.getLogger(__name__)

NAME = "manatal"
API = "https://core.api.manatal.com/open/v3/career-page"
HOSTS = ("www.careers-page.com", "careers-page.com", "core.api.manatal.com", "api.manatal.com")
URL_SHAPES = (
    "https://www.careers-page.com/acme",
    "https://www.careers-page.com/acme/job/acme",
    "https://core.api.manatal.com/open/v3/career-page/acme/jobs/",
)
PATHS: tuple[str, ...] = ()
EMBED_MARKERS: tuple[tuple[str, str], ...] = ()
FIELDS = ("external_id", "title", "url", "location", "city", "region", "country", "workplace",
          "employment_type", "description_html")

MAX_PAGES = 100
_NOT_ACCOUNTS = {"static", "assets", "api", "favicon.ico", "robots.txt"}


def board_for(account: str) -> Board | None:
    """Return the Board of a Manatal career-page account, or None."""
    account = base.path_name(account, reserved=_NOT_ACCOUNTS)
    return Board(NAME, account, f"https://www.careers-page.com/{account}") if account else None


def detect(url: str) -> Board | None:
    """Return the Board of a Manatal career page, job or API URL, or None."""
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return None
    host = (parts.hostname or "").lower()
    segments = [s for s in parts.path.split("/") if s]
    if host in ("www.careers-page.com", "careers-page.com") and segments:
        return board_for(segments[0])
    if host in ("core.api.manatal.com", "api.manatal.com") and segments[:3] == ["open", "v3", "career-page"] \
            and len(segments) >= 4:
        return board_for(segments[3])
    return None


def _page_request(board: Board, ctx: BoardContext, page: int) -> scrapy.Request:
    return base.api_request(f"{API}/{quote(board.token, safe='')}/jobs/?page={page}", parse_jobs,
                            board, ctx, page=page)


def start(board: Board, ctx: BoardContext) -> Iterable[scrapy.Request]:
    """Yield the first jobs page request."""
    yield _page_request(board, ctx, 1)


def parse_job(job: Any, board: Board, ctx: BoardContext) -> JobItem | None:
    """Return the JobItem of one career-page job, or None without hash or title."""
    if not isinstance(job, dict):
        return None
    job_hash = base.as_str(job.get("hash"), strip=True)
    title = base.as_str(job.get("position_name"), strip=True)
    if not job_hash or not title:
        return None
    city, region = base.as_str(job.get("city"), strip=True), base.as_str(job.get("state"), strip=True)
    country = base.as_str(job.get("country"), strip=True)
    location = (base.as_str(job.get("location_display"), strip=True)
                or ", ".join(p for p in (city, region, country) if p) or None)
    return base.new_job(
        board, ctx,
        external_id=job_hash,
        title=title,
        url=f"https://www.careers-page.com/{board.token}/job/{quote(job_hash, safe='')}",
        location=location,
        locations=[location] if location else None,
        city=city,
        region=region,
        country=country_code(country),
        remote_flag=True if job.get("is_remote") is True else None,
        employment_type=base.as_str(job.get("contract_details"), strip=True),
        description_html=base.as_str(job.get("description")),
    )


def parse_jobs_json(data: Any, board: Board, ctx: BoardContext) -> tuple[list[JobItem], int, int]:
    """Return (the page's JobItems, the job count, the page's row count) of an API page."""
    if not isinstance(data, dict) or not isinstance(data.get("results"), list):
        raise base.BadResponse("Manatal answer has no results list")
    items = base.parse_each(data["results"], lambda row: parse_job(row, board, ctx), board, ctx,
                            id_keys=("hash", "id"))
    return items, int(base.as_number(data.get("count")) or 0), len(data["results"])


def parse_jobs(response: Response, board: Board, ctx: BoardContext, page: int
               ) -> Iterable[JobItem | scrapy.Request]:
    """Yield one page's jobs; the first page also asks every further page at once."""
    items, count, rows = parse_jobs_json(base.load_json(response), board, ctx)
    yield from items
    if page == 1 and rows:
        wanted = count if ctx.max_jobs is None else min(count, ctx.max_jobs)
        pages = min(math.ceil(wanted / rows), MAX_PAGES)
        for n in range(2, pages + 1):
            yield _page_request(board, ctx, n)
