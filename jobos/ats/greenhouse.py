"""Greenhouse job boards: the public boards API (one request lists every job with its content)."""
from __future__ import annotations

import html
import logging
import re
from typing import Any, Iterable
from urllib.parse import parse_qs, urlsplit

import scrapy
from scrapy.http import Response

from jobos.ats import base
from jobos.ats.base import Board, BoardContext, ProbeResult
from jobos.ats.embedded import job_domains
from jobos.items import JobItem

logger = logging.getLogger(__name__)

NAME = "greenhouse"
# Registry data (see jobos.ats): where its URLs live, examples, widget markers, fields filled.
HOSTS = (
    "boards.greenhouse.io",
    "job-boards.greenhouse.io",
    "boards.eu.greenhouse.io",
    "job-boards.eu.greenhouse.io",
    "boards-api.greenhouse.io",
    "boards-api.eu.greenhouse.io",
    "api.greenhouse.io",
)
PATHS: tuple[str, ...] = ()
URL_SHAPES = (
    "https://job-boards.greenhouse.io/acme",
    "https://boards.greenhouse.io/acme/jobs/4012345",
    "https://boards.greenhouse.io/embed/job_board?for=acme",
    "https://job-boards.eu.greenhouse.io/acme",
    "https://boards-api.greenhouse.io/v1/boards/acme/jobs",
)
EMBED_MARKERS: tuple[tuple[str, str], ...] = (
    (r"""Grnhse\.Settings[\s\S]{0,200}?boardToken\s*[:=]\s*["']([\w.-]+)["']""",
     "https://boards.greenhouse.io/embed/job_board?for={}"),
)
FIELDS = (
    "external_id", "title", "url", "apply_url", "location", "department", "employment_type",
    "workplace", "salary_min", "salary_max", "salary_currency", "posted_at", "description_html",
)

API_HOST = "boards-api.greenhouse.io"
EU_API_HOST = "boards-api.eu.greenhouse.io"
_BOARD_HOSTS = {"boards.greenhouse.io", "job-boards.greenhouse.io"}
_EU_BOARD_HOSTS = {"boards.eu.greenhouse.io", "job-boards.eu.greenhouse.io"}
_API_HOSTS = {API_HOST, "api.greenhouse.io"}
# Path words on the board hosts that are not board tokens.
_NOT_TOKENS = {"embed", "v1", "assets", "static", "favicon.ico", "robots.txt", "sitemap.xml"}
_TOKEN = re.compile(r"^[A-Za-z0-9_.-]+$")

# Custom-field names (job metadata) that carry contract fields on many boards.
_WORKPLACE_FIELDS = re.compile(r"location type|workplace|remote|work model|work arrangement", re.I)
_EMPLOYMENT_FIELDS = re.compile(r"employment type|contract type|job type|time type|commitment|schedule", re.I)
_SALARY_FIELDS = re.compile(r"salary|compensation|pay range|pay", re.I)


def _board(token: str, eu: bool) -> Board | None:
    if not token or token.lower() in _NOT_TOKENS or not _TOKEN.match(token):
        return None
    token = token.lower()
    if eu:
        return Board(NAME, token, f"https://job-boards.eu.greenhouse.io/{token}", host=EU_API_HOST)
    return Board(NAME, token, f"https://job-boards.greenhouse.io/{token}")


def detect(url: str) -> Board | None:
    """Return the Board of a Greenhouse board, job, API or embed URL, or None."""
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return None
    host = (parts.hostname or "").lower()
    segments = [s for s in parts.path.split("/") if s]
    query = parse_qs(parts.query)
    eu = host in _EU_BOARD_HOSTS or host == EU_API_HOST
    if host in _BOARD_HOSTS or host in _EU_BOARD_HOSTS:
        # Embeds: /embed/job_board?for=acme, /embed/job_board/js?for=acme, /embed/job_app?for=acme
        if segments and segments[0] == "embed":
            return _board((query.get("for") or [""])[0], eu)
        return _board(segments[0], eu) if segments else None
    if host in _API_HOSTS or host == EU_API_HOST:
        # /v1/boards/{token}/jobs..., /v1/boards/{token}/embed/jobs
        if len(segments) >= 3 and segments[0] == "v1" and segments[1] == "boards":
            return _board(segments[2], eu)
    return None


def _api_base(board: Board) -> str:
    return f"https://{board.host or API_HOST}/v1/boards/{board.token}"


def start(board: Board, ctx: BoardContext) -> Iterable[scrapy.Request]:
    """Return the one request that lists every job of the board with its content."""
    yield base.api_request(f"{_api_base(board)}/jobs?content=true", parse_jobs, board, ctx)


def _metadata(job: dict[str, Any], pattern: re.Pattern[str]) -> Any:
    for field in base.as_list(job.get("metadata")):
        if isinstance(field, dict) and pattern.search(str(field.get("name") or "")):
            value = field.get("value")
            if value not in (None, "", []):
                return value
    return None


def _salary(job: dict[str, Any]) -> dict[str, Any]:
    """Return salary fields from a currency / currency_range custom field, when a board has one."""
    for field in base.as_list(job.get("metadata")):
        if not isinstance(field, dict) or not _SALARY_FIELDS.search(str(field.get("name") or "")):
            continue
        value, kind = field.get("value"), field.get("value_type")
        if kind == "currency_range" and isinstance(value, dict):
            return {
                "salary_min": _number(value.get("min_value")),
                "salary_max": _number(value.get("max_value")),
                "salary_currency": base.as_str(value.get("unit")),
            }
        if kind == "currency" and isinstance(value, dict):
            amount = _number(value.get("amount"))
            return {"salary_min": amount, "salary_max": amount,
                    "salary_currency": base.as_str(value.get("unit"))}
        if isinstance(value, str) and value.strip():
            return {"salary_text": value.strip()}
    return {}


_number = base.as_number


def _text_value(value: Any) -> str | None:
    """Return a custom field's value as text (a multi-select as 'a, b'), or None."""
    if isinstance(value, list):
        return ", ".join(t for t in map(base.as_str, value) if t) or None
    return base.as_str(value)


def parse_job(job: dict[str, Any], board: Board, ctx: BoardContext) -> JobItem | None:
    """Return the JobItem for one job object of the boards API (list or detail), or None."""
    if not isinstance(job, dict):
        return None
    job_id, title = base.as_str(job.get("id"), strip=True), base.as_str(job.get("title"), strip=True)
    if not job_id or not title:
        return None
    location = base.as_str(base.as_dict(job.get("location")).get("name"))
    offices = [o for o in base.as_list(job.get("offices")) if isinstance(o, dict)]
    office_locations = [base.as_str(o.get("location")) or base.as_str(o.get("name")) for o in offices]
    departments = [base.as_str(d.get("name")) for d in base.as_list(job.get("departments"))
                   if isinstance(d, dict)]
    content = job.get("content")
    url = base.as_str(job.get("absolute_url")) or f"{board.url}/jobs/{job_id}"
    return base.new_job(
        board,
        ctx,
        external_id=job_id,
        title=title,
        url=url,
        apply_url=url,
        location=location,
        locations=[x for x in office_locations if x] or None,
        department=next((d for d in departments if d), None),
        employment_type=_text_value(_metadata(job, _EMPLOYMENT_FIELDS)),
        remote_flag=_text_value(_metadata(job, _WORKPLACE_FIELDS)),
        posted_at=base.as_str(job.get("first_published")) or base.as_str(job.get("updated_at")),
        # The API HTML-escapes `content` ("&lt;p&gt;"): one unescape gives the markup.
        description_html=html.unescape(content) if isinstance(content, str) else None,
        **_salary(job),
    )


def parse_board_json(data: Any, board: Board, ctx: BoardContext) -> list[JobItem]:
    """Return the JobItems of a boards API `jobs` response (a single job detail works too)."""
    if isinstance(data, dict) and isinstance(data.get("jobs"), list):
        jobs = data["jobs"]
    elif isinstance(data, dict) and "id" in data:
        jobs = [data]
    else:
        raise base.BadResponse("Greenhouse answer has no jobs list")
    return base.parse_each(jobs, lambda job: parse_job(job, board, ctx), board, ctx)


def parse_jobs(response: Response, board: Board, ctx: BoardContext) -> Iterable[JobItem]:
    """Yield every job of the board from the jobs?content=true response."""
    yield from parse_board_json(base.load_json(response), board, ctx)


def probe(slug: str, ctx: BoardContext) -> scrapy.Request | None:
    """Return a request asking the boards API whether a board exists under this slug."""
    return base.probe_request(_board(slug, eu=False), lambda board: f"{_api_base(board)}/jobs?content=true",
                              parse_probe, ctx)


def parse_probe(response: Response, board: Board, ctx: BoardContext) -> Iterable[ProbeResult]:
    """Yield one ProbeResult: job count, company names and domains linked from the jobs."""
    if response.status != 200:
        yield ProbeResult(board, 0)
        return
    data = base.load_json(response)
    items = parse_board_json(data, board, ctx)
    names = sorted({name for j in base.as_list(base.as_dict(data).get("jobs")) if isinstance(j, dict)
                    for name in [base.as_str(j.get("company_name"))] if name})
    domains = job_domains(items, own={"greenhouse.io"})
    yield ProbeResult(board, len(items), names=names, domains=domains, items=items)
