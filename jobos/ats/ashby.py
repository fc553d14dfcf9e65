"""Ashby job boards: the public posting API (one request lists every job, with compensation)."""
from __future__ import annotations

import json
import logging
import re
from typing import Any, Iterable
from urllib.parse import urlsplit

import scrapy
from scrapy.http import Response

from jobos.ats import base
from jobos.ats.base import Board, BoardContext, ProbeResult
from jobos.ats.embedded import job_domains
from jobos.items import JobItem
from jobos.normalize.countries import country_code

logger = logging.getLogger(__name__)

NAME = "ashby"
# Registry data (see jobos.ats): where its URLs live, examples, widget markers, fields filled.
HOSTS = (
    "jobs.ashbyhq.com",
    "api.ashbyhq.com",
)
PATHS: tuple[str, ...] = ()
URL_SHAPES = (
    "https://jobs.ashbyhq.com/acme",
    "https://jobs.ashbyhq.com/acme/embed",
    "https://api.ashbyhq.com/posting-api/job-board/acme",
)
EMBED_MARKERS: tuple[tuple[str, str], ...] = ()
FIELDS = (
    "external_id", "title", "url", "apply_url", "location", "city", "region", "country",
    "department", "employment_type", "workplace", "salary_min", "salary_max", "salary_currency",
    "salary_period", "posted_at", "description_html",
)

API_HOST = "api.ashbyhq.com"
_NAME_RE = re.compile(r"^[A-Za-z0-9_.%-]+$")
_NOT_NAMES = {"api", "embed", "robots.txt", "favicon.ico", "static", "_next"}
# compensation interval ("1 YEAR") -> contract period.
_PERIODS = {"YEAR": "YEAR", "MONTH": "MONTH", "WEEK": "WEEK", "DAY": "DAY", "HOUR": "HOUR"}


def _board(name: str) -> Board | None:
    if not name or name.lower() in _NOT_NAMES or not _NAME_RE.match(name):
        return None
    # Ashby board names are case-insensitive; lower case keeps one identity per board.
    name = name.lower()
    return Board(NAME, name, f"https://jobs.ashbyhq.com/{name}")


def detect(url: str) -> Board | None:
    """Return the Board of an Ashby board, job, application, embed or API URL, or None."""
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return None
    host = (parts.hostname or "").lower()
    segments = [s for s in parts.path.split("/") if s]
    if host == "jobs.ashbyhq.com":
        # /{name}, /{name}/{job id}, /{name}/{job id}/application, /{name}/embed
        return _board(segments[0]) if segments else None
    if host == API_HOST:
        # /posting-api/job-board/{name}
        if len(segments) >= 3 and segments[0] == "posting-api" and segments[1] == "job-board":
            return _board(segments[2])
    return None


def _api_url(board: Board) -> str:
    return f"https://{board.host or API_HOST}/posting-api/job-board/{board.token}?includeCompensation=true"


def start(board: Board, ctx: BoardContext) -> Iterable[scrapy.Request]:
    """Return the one request that lists every job of the board."""
    yield base.api_request(_api_url(board), parse_board, board, ctx)


def _salary(job: dict[str, Any]) -> dict[str, Any]:
    """Return salary fields from the Salary component of the compensation summary."""
    comp = base.as_dict(job.get("compensation"))
    components = base.as_list(comp.get("summaryComponents"))
    for tier in base.as_list(comp.get("compensationTiers")):
        components = components or base.as_list(base.as_dict(tier).get("components"))
    for part in components:
        if not isinstance(part, dict) or part.get("compensationType") != "Salary":
            continue
        if part.get("minValue") is None and part.get("maxValue") is None:
            continue
        interval = str(part.get("interval") or "").split()
        return {
            "salary_min": base.as_number(part.get("minValue")),
            "salary_max": base.as_number(part.get("maxValue")),
            "salary_currency": base.as_str(part.get("currencyCode")),
            "salary_period": _PERIODS.get(interval[-1].upper()) if interval else None,
            "salary_text": base.as_str(comp.get("scrapeableCompensationSalarySummary")),
        }
    text = (base.as_str(comp.get("scrapeableCompensationSalarySummary"))
            or base.as_str(comp.get("compensationTierSummary")))
    return {"salary_text": text} if text else {}


def _single(value: Any) -> str | None:
    """Return a structured address part unless it lists several places ('SF, Seattle')."""
    if not isinstance(value, str) or not value.strip() or "," in value:
        return None
    return value.strip()


def parse_job(job: dict[str, Any], board: Board, ctx: BoardContext) -> JobItem | None:
    """Return the JobItem for one job of the posting API, or None without id or title."""
    if not isinstance(job, dict):
        return None
    job_id, title = base.as_str(job.get("id"), strip=True), base.as_str(job.get("title"), strip=True)
    if not job_id or not title:
        return None
    text = lambda key: base.as_str(job.get(key))  # noqa: E731
    address = base.as_dict(base.as_dict(job.get("address")).get("postalAddress"))
    secondary = [base.as_str(s.get("location")) for s in base.as_list(job.get("secondaryLocations"))
                 if isinstance(s, dict)]
    locations = [x for x in [text("location"), *secondary] if x]
    remote = text("workplaceType")
    if remote is None and job.get("isRemote") is not None:
        remote = bool(job["isRemote"])
    url = text("jobUrl") or f"{board.url}/{job_id}"
    return base.new_job(
        board,
        ctx,
        external_id=job_id,
        title=title,
        url=url,
        apply_url=text("applyUrl") or f"{url}/application",
        location=text("location"),
        locations=locations or None,
        country=country_code(_single(address.get("addressCountry"))),
        city=_single(address.get("addressLocality")),
        region=_single(address.get("addressRegion")),
        remote_flag=remote,
        employment_type=text("employmentType"),
        department=text("department") or text("team"),
        posted_at=text("publishedAt"),
        description_html=base.as_str(job.get("descriptionHtml")),
        **_salary(job),
    )


def parse_board_json(data: Any, board: Board, ctx: BoardContext) -> list[JobItem]:
    """Return the JobItems of a posting API response; unlisted jobs are left out, as the board does."""
    if not isinstance(data, dict) or not isinstance(data.get("jobs"), list):
        raise base.BadResponse("Ashby answer has no jobs list")
    listed = [job for job in data["jobs"] if not (isinstance(job, dict) and job.get("isListed") is False)]
    return base.parse_each(listed, lambda job: parse_job(job, board, ctx), board, ctx)


def parse_board(response: Response, board: Board, ctx: BoardContext) -> Iterable[JobItem]:
    """Yield every listed job of the board."""
    yield from parse_board_json(base.load_json(response), board, ctx)


_APP_DATA = re.compile(r"window\.__appData\s*=\s*")
_WORKPLACES = {"remote": "remote", "hybrid": "hybrid", "onsite": "onsite"}


def parse_board_page(html: str, url: str, board: Board, ctx: BoardContext) -> list[JobItem]:
    """Return the jobs a board's own page carries in `window.__appData` (jobBoard.jobPostings).

    Read when the posting API cannot be (a board it does not know): the page at
    jobs.ashbyhq.com/{name} holds every listed posting (id, title, locationName, workplaceType,
    employmentType, departmentName, publishedDate) for its app; a job page holds none.
    """
    match = _APP_DATA.search(html or "")
    if match is None:
        return []
    try:
        data, _ = json.JSONDecoder().raw_decode(html, match.end())
    except ValueError:
        return []
    postings = base.as_list(base.as_dict(base.as_dict(data).get("jobBoard")).get("jobPostings"))

    def parse(job: Any) -> JobItem | None:
        if not isinstance(job, dict) or job.get("isListed") is False:
            return None
        job_id, title = base.as_str(job.get("id"), strip=True), base.as_str(job.get("title"), strip=True)
        if not job_id or not title:
            return None
        job_url = f"{board.url}/{job_id}"
        workplace = (base.as_str(job.get("workplaceType"), strip=True) or "").lower()
        return base.new_job(
            board, ctx, external_id=job_id, title=title, url=job_url, apply_url=f"{job_url}/application",
            location=base.as_str(job.get("locationExternalName")) or base.as_str(job.get("locationName")),
            workplace=_WORKPLACES.get(workplace), employment_type=base.as_str(job.get("employmentType")),
            department=base.as_str(job.get("departmentExternalName")) or base.as_str(job.get("departmentName")),
            posted_at=base.as_str(job.get("publishedDate")),
        )

    listed = [job for job in postings if not (isinstance(job, dict) and job.get("isListed") is False)]
    return base.parse_each(listed, parse, board, ctx)


def probe(slug: str, ctx: BoardContext) -> scrapy.Request | None:
    """Return a request asking the posting API for the board under this slug."""
    return base.probe_request(_board(slug), _api_url, parse_probe, ctx)


def parse_probe(response: Response, board: Board, ctx: BoardContext) -> Iterable[ProbeResult]:
    """Yield one ProbeResult: job count and the domains the job descriptions link to."""
    if response.status != 200:
        yield ProbeResult(board, 0)
        return
    data = base.load_json(response)
    if isinstance(data, dict) and data.get("jobs") is None:
        yield ProbeResult(board, 0)  # unknown boards can answer 200 with no jobs list
        return
    items = parse_board_json(data, board, ctx)
    domains = job_domains(items, own={"ashbyhq.com"})
    yield ProbeResult(board, len(items), names=[], domains=domains, items=items)
