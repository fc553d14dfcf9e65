"""Keka career portals ({company}.keka.com/careers): the embed jobs API of the company's portal.

Format from open code that reads it (open job collectors, checked against live portals): GET
{company}.keka.com/careers/api/embedjobs/default/active/{portal id} answers a bare array of
jobs {id, title, description (HTML), departmentName, jobLocations [{name, city, state,
countryCode, countryName}], experience, publishedOn}; the portal id (a GUID) is in the careers
page (`ats/documents/<id>/`, or the embed script `careers/api/embedjobs/js/<id>` and
`khConfig.identifier` on a company page that embeds it). A job's page is
/careers/jobdetails/<id>. One request per board, two when only the careers page is known. Not
yet checked against a recorded answer.
"""
from __future__ import annotations

import logging
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

NAME = "keka"
HOSTS = (".keka.com",)
URL_SHAPES = (
    "https://acme.keka.com/careers",
    "https://acme.keka.com/careers/jobdetails/12345",
    "https://acme.keka.com/careers/api/embedjobs/js/12345",
    "https://acme.keka.com/careers/api/embedjobs/default/active/12345",
)
PATHS: tuple[str, ...] = ()
EMBED_MARKERS: tuple[tuple[str, str], ...] = ()
FIELDS = ("external_id", "title", "url", "location", "city", "region", "country", "department",
          "posted_at", "description_html")

_SUB = re.compile(r"^[a-z0-9][a-z0-9-]*$")
_NOT_TENANTS = {"www", "app", "api", "help", "support", "static", "assets", "cdn", "blog", "status", "login"}
_GUID = r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"
_EMBED_PATH = re.compile(rf"^/careers/api/embedjobs/(?:js/|default/active/|[a-z0-9-]+/active/)?({_GUID})", re.I)
# Where a careers page names its portal id.
_PAGE_ID = re.compile(rf"(?:ats/documents|careers/api/embedjobs/js|embedjobs/default/active)/({_GUID})", re.I)


def board_for(sub: str, portal: str | None = None) -> Board | None:
    """Return the Board of a Keka subdomain (with its portal id when known), or None."""
    sub = (sub or "").lower()
    if not _SUB.match(sub) or sub in _NOT_TENANTS:
        return None
    host = f"{sub}.keka.com"
    return Board(NAME, sub, f"https://{host}/careers", host=host, site=portal.lower() if portal else None)


def detect(url: str) -> Board | None:
    """Return the Board of a Keka careers, job, embed or API URL, or None."""
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return None
    host = (parts.hostname or "").lower()
    if not host.endswith(HOSTS[0]) or host.count(".") != 2:
        return None
    if not parts.path.lower().startswith("/careers"):
        return None
    m = _EMBED_PATH.match(parts.path)
    return board_for(host.split(".", 1)[0], m.group(1) if m else None)


def _jobs_url(board: Board, portal: str) -> str:
    return f"https://{board.host}/careers/api/embedjobs/default/active/{portal}"


def start(board: Board, ctx: BoardContext) -> Iterable[scrapy.Request]:
    """Yield the jobs request, or first the careers page that names the portal id."""
    if board.site:
        yield base.api_request(_jobs_url(board, board.site), parse_jobs, board, ctx)
    else:
        yield base.api_request(board.url, parse_careers_page, board, ctx,
                               headers={"Accept": "text/html,application/xhtml+xml"})


def portal_id(html: str) -> str | None:
    """Return the portal id a careers page names, or None."""
    m = _PAGE_ID.search(html or "")
    return m.group(1).lower() if m else None


def parse_careers_page(response: Response, board: Board, ctx: BoardContext) -> Iterable[scrapy.Request]:
    """Yield the jobs request of the portal the careers page names."""
    portal = portal_id(getattr(response, "text", "") or "")
    if portal is None:
        raise base.BadResponse(f"Keka careers page {response.url} names no portal id")
    yield base.api_request(_jobs_url(board, portal), parse_jobs, board, ctx)


def parse_job(job: Any, board: Board, ctx: BoardContext) -> JobItem | None:
    """Return the JobItem of one portal job, or None without id or title."""
    if not isinstance(job, dict):
        return None
    job_id, title = base.as_str(job.get("id"), strip=True), base.as_str(job.get("title"), strip=True)
    if not job_id or not title:
        return None
    places = []
    for loc in base.as_list(job.get("jobLocations")):
        loc = base.as_dict(loc)
        parts = [base.as_str(loc.get(k), strip=True) for k in ("city", "state", "countryName")]
        text = ", ".join(p for p in parts if p) or base.as_str(loc.get("name"), strip=True)
        if text:
            places.append((text, loc))
    first = places[0][1] if places else {}
    return base.new_job(
        board, ctx,
        external_id=job_id,
        title=title,
        url=f"https://{board.host}/careers/jobdetails/{quote(job_id, safe='')}",
        location=places[0][0] if places else None,
        locations=list(dict.fromkeys(t for t, _ in places)) or None,
        city=base.as_str(first.get("city"), strip=True),
        region=base.as_str(first.get("state"), strip=True),
        country=country_code(base.as_str(first.get("countryCode"), strip=True))
        or country_code(base.as_str(first.get("countryName"), strip=True)),
        department=base.as_str(job.get("departmentName"), strip=True),
        posted_at=base.as_str(job.get("publishedOn"), strip=True),
        description_html=base.as_str(job.get("description")),
    )


def parse_jobs_json(data: Any, board: Board, ctx: BoardContext) -> list[JobItem]:
    """Return the JobItems of an embed jobs answer (a JSON array)."""
    if not isinstance(data, list):
        raise base.BadResponse("Keka answer is not a list of jobs")
    return base.parse_each(data, lambda job: parse_job(job, board, ctx), board, ctx)


def parse_jobs(response: Response, board: Board, ctx: BoardContext) -> Iterable[JobItem]:
    """Yield every active job of the portal."""
    yield from parse_jobs_json(base.load_json(response), board, ctx)
