"""Breezy HR career portals: the public positions feed ({company}.breezy.hr/json).

Format from open code that reads it (safe-global/safe-homepage's hook types the answer: a bare
array of positions {id, friendly_id, name, url, published_date, type {id, name}, location
{country {name, id}, city, is_remote, name}, department, company {name, logo_url,
friendly_id}}); not yet checked against a recorded answer. One request lists every published position, without
descriptions; no paging. The company name on each position is probe evidence.
"""
from __future__ import annotations

import logging
from typing import Any, Iterable
from urllib.parse import quote

import scrapy
from scrapy.http import Response

from jobos.ats import base
from jobos.ats.base import Board, BoardContext, ProbeResult
from jobos.items import JobItem
from jobos.normalize.countries import country_code

logger = logging.getLogger(__name__)

NAME = "breezy"
HOSTS = (".breezy.hr",)
URL_SHAPES = (
    "https://acme.breezy.hr/",
    "https://acme.breezy.hr/p/12345-software-engineer",
    "https://acme.breezy.hr/json",
)
PATHS: tuple[str, ...] = ()
EMBED_MARKERS: tuple[tuple[str, str], ...] = ()
FIELDS = ("external_id", "title", "url", "location", "city", "region", "country", "workplace",
          "employment_type", "department", "posted_at")



def board_for(sub: str | None) -> Board | None:
    """Return the Board of a Breezy portal subdomain, or None for a service host."""
    return base.tenant_board(NAME, sub, HOSTS[0])


def detect(url: str) -> Board | None:
    """Return the Board of a Breezy portal, position or feed URL, or None."""
    return board_for(base.tenant_of(url, HOSTS[0]))


def _feed_url(board: Board) -> str:
    return f"https://{board.host}/json"


def start(board: Board, ctx: BoardContext) -> Iterable[scrapy.Request]:
    """Yield the one request that lists every position."""
    yield base.api_request(_feed_url(board), parse_positions, board, ctx)


def parse_position(position: Any, board: Board, ctx: BoardContext) -> JobItem | None:
    """Return the JobItem of one position, or None without id or title."""
    if not isinstance(position, dict):
        return None
    pos_id = base.as_str(position.get("id"), strip=True)
    title = base.as_str(position.get("name"), strip=True)
    if not pos_id or not title:
        return None
    loc = base.as_dict(position.get("location"))
    country = base.as_dict(loc.get("country"))
    state = loc.get("state")
    region = base.as_str(base.as_dict(state).get("name"), strip=True) if isinstance(state, dict) \
        else base.as_str(state, strip=True)
    location = base.as_str(loc.get("name"), strip=True)
    friendly = base.as_str(position.get("friendly_id"), strip=True) or pos_id
    return base.new_job(
        board, ctx,
        external_id=pos_id,
        title=title,
        url=base.as_str(position.get("url"), strip=True)
        or f"https://{board.host}/p/{quote(friendly, safe='-')}",
        location=location,
        locations=[location] if location else None,
        city=base.as_str(loc.get("city"), strip=True),
        region=region,
        country=country_code(base.as_str(country.get("id"), strip=True))
        or country_code(base.as_str(country.get("name"), strip=True)),
        remote_flag=True if loc.get("is_remote") is True else None,
        employment_type=base.as_str(base.as_dict(position.get("type")).get("name"), strip=True),
        department=base.as_str(position.get("department"), strip=True),
        posted_at=base.as_str(position.get("published_date"), strip=True),
    )


def parse_positions_json(data: Any, board: Board, ctx: BoardContext) -> list[JobItem]:
    """Return the JobItems of a /json answer (a JSON array of positions)."""
    if not isinstance(data, list):
        raise base.BadResponse("Breezy answer is not a list of positions")
    return base.parse_each(data, lambda row: parse_position(row, board, ctx), board, ctx,
                           what="position")


def parse_positions(response: Response, board: Board, ctx: BoardContext) -> Iterable[JobItem]:
    """Yield every position of the portal."""
    yield from parse_positions_json(base.load_json(response), board, ctx)


def probe(slug: str, ctx: BoardContext) -> scrapy.Request | None:
    """Return the feed request of a guessed portal subdomain."""
    # Whatever an unknown portal answers (404, or a redirect to marketing pages) is no board.
    return base.probe_request(board_for(base.probe_slug(slug)), _feed_url, parse_probe, ctx, redirects=False)


def parse_probe(response: Response, board: Board, ctx: BoardContext) -> Iterable[ProbeResult]:
    """Yield one ProbeResult: position count and the company names the positions carry."""
    if response.status != 200:
        yield ProbeResult(board, 0)
        return
    data = base.load_json(response)
    items = parse_positions_json(data, board, ctx)
    names = sorted({name for p in data if isinstance(p, dict)
                    for name in [base.as_str(base.as_dict(p.get("company")).get("name"), strip=True)] if name})
    yield ProbeResult(board, len(items), names=names, items=items)
