"""Comeet career pages: the positions embedded in the hosted page (comeet.com/jobs/{slug}/{uid}).

Format from open code that reads it (several open job collectors parse the hosted page's
`COMPANY_POSITIONS_DATA = [...]` JSON, whose positions have the shape of Comeet's careers API
2.0: uid, name, department, workplace_type, employment_type, experience_level, time_updated,
url_comeet_hosted_page, url_active_page, location {name, city, state, country, is_remote},
details or custom_fields.details [{name, value}]); not yet checked against a recorded page.
One request lists every position with its text; no paging. The API itself needs a per-company
token, so the hosted page is read instead.
"""
from __future__ import annotations

import json
import logging
import re
from html import escape
from typing import Any, Iterable
from urllib.parse import quote, urlsplit

import scrapy
from scrapy.http import Response

from jobos.ats import base
from jobos.ats.base import Board, BoardContext
from jobos.items import JobItem
from jobos.normalize.countries import country_code

logger = logging.getLogger(__name__)

NAME = "comeet"
HOSTS = ("www.comeet.com", "comeet.com", "www.comeet.co", "comeet.co")
URL_SHAPES = (
    "https://www.comeet.com/jobs/acme/A1.B2C",
    "https://www.comeet.com/jobs/acme/A1.B2C/software-engineer/12.345",
)
PATHS: tuple[str, ...] = ()
EMBED_MARKERS: tuple[tuple[str, str], ...] = ()
FIELDS = ("external_id", "title", "url", "location", "city", "region", "country", "workplace",
          "employment_type", "department", "posted_at", "description_html")

_SLUG = re.compile(r"^[a-z0-9][a-z0-9_-]*$", re.I)
_UID = re.compile(r"^[0-9A-F]{2}\.[0-9A-F]{3}$", re.I)
_POSITIONS = re.compile(r"\bCOMPANY_POSITIONS_DATA\s*=\s*")


def board_for(slug: str, uid: str) -> Board | None:
    """Return the Board of a Comeet company (slug and company uid), or None."""
    if not slug or not uid or not _SLUG.match(slug) or not _UID.match(uid):
        return None
    slug, uid = slug.lower(), uid.upper()
    return Board(NAME, f"{slug}/{uid}", f"https://www.comeet.com/jobs/{slug}/{uid}")


def detect(url: str) -> Board | None:
    """Return the Board of a Comeet hosted careers or position URL, or None."""
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return None
    if (parts.hostname or "").lower() not in HOSTS:
        return None
    segments = [s for s in parts.path.split("/") if s]
    if len(segments) >= 3 and segments[0].lower() == "jobs":
        return board_for(segments[1], segments[2])
    return None


def start(board: Board, ctx: BoardContext) -> Iterable[scrapy.Request]:
    """Yield the hosted careers page request."""
    yield base.api_request(board.url, parse_page, board, ctx,
                           headers={"Accept": "text/html,application/xhtml+xml"})


def embedded_positions(html: str) -> list[Any]:
    """Return the page's COMPANY_POSITIONS_DATA list; raise BadResponse without one."""
    m = _POSITIONS.search(html or "")
    if m is None:
        raise base.BadResponse("Comeet page has no COMPANY_POSITIONS_DATA")
    try:
        data, _ = json.JSONDecoder().raw_decode(html, m.end())
    except ValueError as exc:
        raise base.BadResponse(f"Comeet positions cannot be read: {exc}") from None
    if not isinstance(data, list):
        raise base.BadResponse("Comeet COMPANY_POSITIONS_DATA is not a list")
    return data


def _description(position: dict[str, Any]) -> str | None:
    details = base.as_list(position.get("details")) or base.as_list(
        base.as_dict(position.get("custom_fields")).get("details"))
    parts = []
    for detail in details:
        detail = base.as_dict(detail)
        value = base.as_str(detail.get("value"))
        if not value:
            continue
        name = base.as_str(detail.get("name"), strip=True)
        if name:
            parts.append(f"<h3>{escape(name, quote=False)}</h3>")
        parts.append(value)
    return "\n".join(parts) or None


def parse_position(position: Any, board: Board, ctx: BoardContext) -> JobItem | None:
    """Return the JobItem of one position, or None without uid or name."""
    if not isinstance(position, dict):
        return None
    uid, title = base.as_str(position.get("uid"), strip=True), base.as_str(position.get("name"), strip=True)
    if not uid or not title:
        return None
    loc = base.as_dict(position.get("location"))
    location = base.as_str(loc.get("name"), strip=True)
    workplace = base.as_str(position.get("workplace_type"), strip=True)
    if not workplace and loc.get("is_remote") is True:
        workplace = "remote"
    url = (base.as_str(position.get("url_comeet_hosted_page"), strip=True)
           or base.as_str(position.get("url_active_page"), strip=True)
           or f"{board.url}/{quote(uid, safe='.')}")
    return base.new_job(
        board, ctx,
        external_id=uid,
        title=title,
        url=url,
        location=location,
        locations=[location] if location else None,
        city=base.as_str(loc.get("city"), strip=True),
        region=base.as_str(loc.get("state"), strip=True),
        country=country_code(base.as_str(loc.get("country"), strip=True)),
        remote_flag=workplace,
        employment_type=base.as_str(position.get("employment_type"), strip=True),
        department=base.as_str(position.get("department"), strip=True),
        posted_at=base.as_str(position.get("time_updated"), strip=True),
        description_html=_description(position),
    )


def parse_page_html(html: str, board: Board, ctx: BoardContext) -> list[JobItem]:
    """Return the JobItems of a hosted careers page (internal positions left out)."""
    rows = [p for p in embedded_positions(html) if not (isinstance(p, dict) and p.get("is_internal") is True)]
    return base.parse_each(rows, lambda row: parse_position(row, board, ctx), board, ctx,
                           what="position", id_keys=("uid",))


def parse_page(response: Response, board: Board, ctx: BoardContext) -> Iterable[JobItem]:
    """Yield every public position of the careers page."""
    text = getattr(response, "text", None)
    if text is None:
        raise base.BadResponse(f"Comeet page {response.url} is not text")
    yield from parse_page_html(text, board, ctx)
