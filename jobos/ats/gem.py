"""Gem job boards: the public job board API (api.gem.com/job_board/v0/{board}/job_posts).

Format from a real recording of Gem's own board (a bare `job_posts` array): one request lists
every post with its HTML content, departments, offices, location, location type, employment
type and first-published date. Post ids are numeric (boards moved from Greenhouse) or opaque
strings. No paging. An unknown board answers 404.
"""
from __future__ import annotations

import logging
import re
from typing import Any, Iterable
from urllib.parse import quote, urlsplit

import scrapy
from scrapy.http import Response

from jobos.ats import base
from jobos.ats.base import Board, BoardContext, ProbeResult
from jobos.ats.embedded import job_domains
from jobos.items import JobItem

logger = logging.getLogger(__name__)

NAME = "gem"
API_HOST = "api.gem.com"
HOSTS = ("jobs.gem.com", API_HOST)
URL_SHAPES = (
    "https://jobs.gem.com/acme",
    "https://jobs.gem.com/acme/12345",
    "https://api.gem.com/job_board/v0/acme/job_posts",
)
PATHS: tuple[str, ...] = ()
EMBED_MARKERS: tuple[tuple[str, str], ...] = ()
FIELDS = ("external_id", "title", "url", "location", "workplace", "employment_type",
          "department", "posted_at", "description_html")

_BOARD = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")  # base.PATH_NAME and '.'


def board_for(name: str) -> Board | None:
    """Return the Board of a Gem board name, or None when it cannot be one."""
    name = base.path_name(name, pattern=_BOARD)
    return Board(NAME, name, f"https://jobs.gem.com/{name}") if name else None


def detect(url: str) -> Board | None:
    """Return the Board of a Gem board, post or API URL, or None."""
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return None
    host = (parts.hostname or "").lower()
    segments = [s for s in parts.path.split("/") if s]
    if host == "jobs.gem.com" and segments:
        return board_for(segments[0])
    if host == API_HOST and len(segments) >= 3 and segments[:2] == ["job_board", "v0"]:
        return board_for(segments[2])
    return None


def _api_url(board: Board) -> str:
    return f"https://{API_HOST}/job_board/v0/{quote(board.token, safe='')}/job_posts"


def start(board: Board, ctx: BoardContext) -> Iterable[scrapy.Request]:
    """Yield the one request that lists every post."""
    yield base.api_request(_api_url(board), parse_posts, board, ctx)


def parse_post(post: Any, board: Board, ctx: BoardContext) -> JobItem | None:
    """Return the JobItem of one job post, or None without id or title."""
    if not isinstance(post, dict):
        return None
    post_id, title = base.as_str(post.get("id"), strip=True), base.as_str(post.get("title"), strip=True)
    if not post_id or not title:
        return None
    location = base.as_str(base.as_dict(post.get("location")).get("name"), strip=True)
    offices = [base.as_str(base.as_dict(base.as_dict(o).get("location")).get("name"), strip=True)
               for o in base.as_list(post.get("offices"))]
    locations = list(dict.fromkeys(x for x in [location, *offices] if x))
    departments = [base.as_str(base.as_dict(d).get("name"), strip=True)
                   for d in base.as_list(post.get("departments"))]
    url = (base.as_str(post.get("absolute_url"), strip=True)
           or f"https://jobs.gem.com/{board.token}/{quote(post_id, safe='')}")
    return base.new_job(
        board, ctx,
        external_id=post_id,
        title=title,
        url=url,
        location=location or (locations[0] if locations else None),
        locations=locations or None,
        remote_flag=base.as_str(post.get("location_type"), strip=True),
        employment_type=base.as_str(post.get("employment_type"), strip=True),
        department=next((d for d in departments if d), None),
        posted_at=base.as_str(post.get("first_published_at"), strip=True)
        or base.as_str(post.get("created_at"), strip=True),
        description_html=base.as_str(post.get("content")),
    )


def parse_posts_json(data: Any, board: Board, ctx: BoardContext) -> list[JobItem]:
    """Return the JobItems of a job_posts answer (a JSON array)."""
    if not isinstance(data, list):
        raise base.BadResponse("Gem answer is not a list of job posts")
    return base.parse_each(data, lambda post: parse_post(post, board, ctx), board, ctx, what="post")


def parse_posts(response: Response, board: Board, ctx: BoardContext) -> Iterable[JobItem]:
    """Yield every post of the board."""
    yield from parse_posts_json(base.load_json(response), board, ctx)


def probe(slug: str, ctx: BoardContext) -> scrapy.Request | None:
    """Return the job_posts request of a guessed board name."""
    return base.probe_request(board_for(base.probe_slug(slug)), _api_url, parse_probe, ctx)


def parse_probe(response: Response, board: Board, ctx: BoardContext) -> Iterable[ProbeResult]:
    """Yield one ProbeResult: the post count and the domains the posts link."""
    if response.status != 200:
        yield ProbeResult(board, 0)
        return
    items = parse_posts_json(base.load_json(response), board, ctx)
    yield ProbeResult(board, len(items), domains=job_domains(items, own={"gem.com"}), items=items)
