"""Pinpoint career sites: the public postings feed ({sub}.pinpointhq.com/postings.json).

Format from real recordings (the `data[]` answer of an employer's `postings.json` and Pinpoint's
own board): one request lists every posting with its full text (description, responsibilities,
skills and benefits, each with its own header), compensation, workplace type, department and
location. No paging: the feed holds every published posting. An unknown tenant answers 404.
"""
from __future__ import annotations

import logging
from html import escape
from typing import Any, Iterable

import scrapy
from scrapy.http import Response

from jobos.ats import base
from jobos.ats.base import Board, BoardContext, ProbeResult
from jobos.ats.embedded import job_domains
from jobos.items import JobItem

logger = logging.getLogger(__name__)

NAME = "pinpoint"
HOSTS = (".pinpointhq.com",)
URL_SHAPES = (
    "https://acme.pinpointhq.com/",
    "https://acme.pinpointhq.com/en/postings/3f2b6c1e-8a4d-4c2e-9b1a-0d5e7f9a1b2c",
    "https://acme.pinpointhq.com/postings.json",
)
PATHS: tuple[str, ...] = ()
EMBED_MARKERS: tuple[tuple[str, str], ...] = ()
FIELDS = ("external_id", "title", "url", "location", "city", "region", "workplace",
          "employment_type", "department", "salary_min", "salary_max", "salary_currency",
          "salary_period", "description_html")

_PERIODS = {"year": "YEAR", "annual": "YEAR", "month": "MONTH", "week": "WEEK", "day": "DAY",
            "hour": "HOUR"}
# The posting's text sections, in the order its page shows them.
_SECTIONS = (("description", None), ("key_responsibilities", "key_responsibilities_header"),
             ("skills_knowledge_expertise", "skills_knowledge_expertise_header"),
             ("benefits", "benefits_header"))


def board_for(sub: str | None) -> Board | None:
    """Return the Board of a Pinpoint tenant subdomain, or None for a service host."""
    return base.tenant_board(NAME, sub, HOSTS[0])


def detect(url: str) -> Board | None:
    """Return the Board of a Pinpoint career site, posting or feed URL, or None."""
    return board_for(base.tenant_of(url, HOSTS[0]))


def _feed_url(board: Board) -> str:
    return f"https://{board.host}/postings.json"


def start(board: Board, ctx: BoardContext) -> Iterable[scrapy.Request]:
    """Yield the one request that lists every posting."""
    yield base.api_request(_feed_url(board), parse_postings, board, ctx)


def _salary(posting: dict[str, Any]) -> dict[str, Any]:
    if posting.get("compensation_visible") is False:
        return {}
    low = base.as_number(posting.get("compensation_minimum"))
    high = base.as_number(posting.get("compensation_maximum"))
    if low is None and high is None:
        return {"salary_text": base.as_str(posting.get("compensation"))}
    period = str(posting.get("compensation_frequency") or "").lower()
    return {"salary_min": low, "salary_max": high,
            "salary_currency": base.as_str(posting.get("compensation_currency"), strip=True),
            "salary_period": _PERIODS.get(period)}


def _description(posting: dict[str, Any]) -> str | None:
    parts = []
    for key, header_key in _SECTIONS:
        body = base.as_str(posting.get(key))
        if not body:
            continue
        header = base.as_str(posting.get(header_key), strip=True) if header_key else None
        if header:
            parts.append(f"<h3>{escape(header, quote=False)}</h3>")
        parts.append(body)
    return "\n".join(parts) or None


def parse_posting(posting: Any, board: Board, ctx: BoardContext) -> JobItem | None:
    """Return the JobItem of one posting of the feed, or None without id or title."""
    if not isinstance(posting, dict):
        return None
    posting_id = base.as_str(posting.get("id"), strip=True)
    title = base.as_str(posting.get("title"), strip=True)
    if not posting_id or not title:
        return None
    url = base.as_str(posting.get("url"), strip=True)
    if not url:
        path = base.as_str(posting.get("path"), strip=True) or f"/en/postings/{posting_id}"
        url = f"https://{board.host}{path if path.startswith('/') else '/' + path}"
    loc = base.as_dict(posting.get("location"))
    city, region = base.as_str(loc.get("city"), strip=True), base.as_str(loc.get("province"), strip=True)
    name = base.as_str(loc.get("name"), strip=True)
    # The location's name is what the board shows ("Remote", "United Kingdom", an office);
    # city and province are kept in their own fields.
    location = name or ", ".join(dict.fromkeys(p for p in (city, region) if p)) or None
    job = base.as_dict(posting.get("job"))
    return base.new_job(
        board, ctx,
        external_id=posting_id,
        title=title,
        url=url,
        location=location,
        locations=[location] if location else None,
        city=city,
        region=region,
        remote_flag=base.as_str(posting.get("workplace_type"), strip=True),
        employment_type=base.as_str(posting.get("employment_type_text"), strip=True)
        or base.as_str(posting.get("employment_type"), strip=True),
        department=base.as_str(base.as_dict(job.get("department")).get("name"), strip=True),
        description_html=_description(posting),
        **_salary(posting),
    )


def parse_postings_json(data: Any, board: Board, ctx: BoardContext) -> list[JobItem]:
    """Return the JobItems of a postings.json answer ({"data": [...]}, or the bare list)."""
    rows = data.get("data") if isinstance(data, dict) else data
    if not isinstance(rows, list):
        raise base.BadResponse("Pinpoint answer has no data list")
    return base.parse_each(rows, lambda row: parse_posting(row, board, ctx), board, ctx,
                           what="posting")


def parse_postings(response: Response, board: Board, ctx: BoardContext) -> Iterable[JobItem]:
    """Yield every posting of the feed."""
    yield from parse_postings_json(base.load_json(response), board, ctx)


def probe(slug: str, ctx: BoardContext) -> scrapy.Request | None:
    """Return the feed request of a guessed tenant subdomain."""
    return base.probe_request(board_for(base.probe_slug(slug)), _feed_url, parse_probe, ctx)


def parse_probe(response: Response, board: Board, ctx: BoardContext) -> Iterable[ProbeResult]:
    """Yield one ProbeResult: the posting count and the domains the postings link."""
    if response.status != 200:
        yield ProbeResult(board, 0)
        return
    items = parse_postings_json(base.load_json(response), board, ctx)
    yield ProbeResult(board, len(items), domains=job_domains(items, own={"pinpointhq.com"}),
                      items=items)
