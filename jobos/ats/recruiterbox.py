"""Trakstar Hire (formerly Recruiterbox): the public openings API (jsapi.recruiterbox.com).

Format from Recruiterbox's API documentation (its openings example: objects[] of {id, title,
description, location {city, state, country}, tags, is_private, is_archived, hosted_url, ...}, meta
{total_count or total, limit, offset}) and open code reading the frontend API
(`/v1/openings?client_name={client}&limit=250&offset=N`, which adds allows_remote,
position_type and team; an unknown client answers 400 {"client_name": "Invalid client name"}).
Not yet checked against a recorded answer. Offset paging, 250 openings a page: the pages after
the first are asked at once; ~1/250 + 1/n requests per job.
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

NAME = "recruiterbox"
API = "https://jsapi.recruiterbox.com/v1/openings"
HOSTS = (".recruiterbox.com", ".hire.trakstar.com")
URL_SHAPES = (
    "https://acme.recruiterbox.com/jobs/12345",
    "https://acme.hire.trakstar.com/jobs/12345",
    "https://jsapi.recruiterbox.com/v1/openings?client_name=acme",
)
PATHS: tuple[str, ...] = ()
EMBED_MARKERS: tuple[tuple[str, str], ...] = ()
FIELDS = ("external_id", "title", "url", "location", "city", "region", "country", "workplace",
          "employment_type", "department", "description_html")

LIMIT = 250
MAX_PAGES = 100
_CLIENT = re.compile(r"^[a-z0-9][a-z0-9_-]*$")
_NOT_CLIENTS = {"www", "app", "api", "jsapi", "apiv1", "help", "support", "blog", "status", "static",
                "assets", "cdn", "docs"}


def board_for(client: str) -> Board | None:
    """Return the Board of a Trakstar Hire client name, or None for a service host."""
    client = (client or "").lower()
    if not _CLIENT.match(client) or client in _NOT_CLIENTS:
        return None
    return Board(NAME, client, f"https://{client}.hire.trakstar.com/")


def detect(url: str) -> Board | None:
    """Return the Board of a Trakstar Hire / Recruiterbox careers, opening or API URL, or None."""
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return None
    host = (parts.hostname or "").lower()
    if host == "jsapi.recruiterbox.com":
        m = re.search(r"(?:^|&)client_name=([^&]+)", parts.query)
        return board_for(m.group(1)) if m else None
    if host.endswith(".hire.trakstar.com") and host.count(".") == 3:
        return board_for(host.split(".", 1)[0])
    if host.endswith(".recruiterbox.com") and host.count(".") == 2:
        return board_for(host.split(".", 1)[0])
    return None


def _page_request(board: Board, ctx: BoardContext, offset: int) -> scrapy.Request:
    url = f"{API}?client_name={quote(board.token, safe='')}&limit={LIMIT}&offset={offset}"
    request = base.api_request(url, parse_openings, board, ctx, offset=offset)
    request.meta["handle_httpstatus_list"] = [400]
    return request


def start(board: Board, ctx: BoardContext) -> Iterable[scrapy.Request]:
    """Yield the first openings page request."""
    yield _page_request(board, ctx, 0)


def parse_opening(opening: Any, board: Board, ctx: BoardContext) -> JobItem | None:
    """Return the JobItem of one opening, or None without id or title."""
    if not isinstance(opening, dict):
        return None
    opening_id = base.as_str(opening.get("id"), strip=True)
    title = base.as_str(opening.get("title"), strip=True)
    if not opening_id or not title:
        return None
    loc = base.as_dict(opening.get("location"))
    city, region = base.as_str(loc.get("city"), strip=True), base.as_str(loc.get("state"), strip=True)
    country = base.as_str(loc.get("country"), strip=True)
    location = ", ".join(p for p in (city, region, country) if p) or None
    return base.new_job(
        board, ctx,
        external_id=opening_id,
        title=title,
        url=base.as_str(opening.get("hosted_url"), strip=True)
        or f"https://{board.token}.hire.trakstar.com/jobs/{quote(opening_id, safe='')}/",
        location=location,
        locations=[location] if location else None,
        city=city,
        region=region,
        country=country_code(country),
        remote_flag=True if opening.get("allows_remote") is True else None,
        employment_type=base.as_str(opening.get("position_type"), strip=True),
        department=base.as_str(opening.get("team"), strip=True),
        description_html=base.as_str(opening.get("description")),
    )


def parse_openings_json(data: Any, board: Board, ctx: BoardContext) -> tuple[list[JobItem], int, int]:
    """Return (the page's JobItems, total openings, page limit) of an openings answer."""
    if not isinstance(data, dict) or not isinstance(data.get("objects"), list):
        raise base.BadResponse("Trakstar Hire answer has no objects list")
    meta = base.as_dict(data.get("meta"))
    total = base.as_number(meta.get("total")) or base.as_number(meta.get("total_count")) or 0
    limit = base.as_number(meta.get("limit")) or len(data["objects"]) or LIMIT
    public = [o for o in data["objects"]
              if not (isinstance(o, dict) and (o.get("is_private") is True or o.get("is_archived") is True))]
    items = base.parse_each(public, lambda row: parse_opening(row, board, ctx), board, ctx, what="opening")
    return items, int(total), max(1, int(limit))


def parse_openings(response: Response, board: Board, ctx: BoardContext, offset: int
                   ) -> Iterable[JobItem | scrapy.Request]:
    """Yield one page's openings; the first page also asks every further page at once."""
    if response.status == 400:
        logger.info("trakstar hire %s: no such client (%s)", board.key, response.text[:120])
        return
    items, total, limit = parse_openings_json(base.load_json(response), board, ctx)
    yield from items
    if offset == 0:
        wanted = total if ctx.max_jobs is None else min(total, ctx.max_jobs)
        for n, next_offset in enumerate(range(limit, wanted, limit)):
            if n >= MAX_PAGES:
                logger.warning("trakstar hire %s: more than %d pages; stopping", board.key, MAX_PAGES)
                break
            yield _page_request(board, ctx, next_offset)
