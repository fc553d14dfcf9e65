"""Rippling ATS boards: the public board API (api.rippling.com/platform/api/ats/v1/board/{slug}/jobs).

Format from a real recording (an employer's board: a bare array of {uuid, name, department
{id, label}, url, workLocation {id, label}}): one request lists every job with its title,
department and work location; the list carries no description, date or employment type, and
no detail call is made (one request per board). No paging. An unknown board answers 404.
No slug probe: the list names neither the company nor its domain, so a probe could never show
that a board is the company's.
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

logger = logging.getLogger(__name__)

NAME = "rippling"
API_HOST = "api.rippling.com"
HOSTS = ("ats.rippling.com", API_HOST)
URL_SHAPES = (
    "https://ats.rippling.com/acme/jobs",
    "https://ats.rippling.com/acme/jobs/3f2b6c1e-8a4d-4c2e-9b1a-0d5e7f9a1b2c",
    "https://api.rippling.com/platform/api/ats/v1/board/acme/jobs",
)
PATHS: tuple[str, ...] = ()
EMBED_MARKERS: tuple[tuple[str, str], ...] = ()
FIELDS = ("external_id", "title", "url", "location", "department")


def board_for(slug: str) -> Board | None:
    """Return the Board of a Rippling board slug, or None when it cannot be one."""
    slug = base.path_name(slug)
    return Board(NAME, slug, f"https://ats.rippling.com/{slug}/jobs") if slug else None


def detect(url: str) -> Board | None:
    """Return the Board of a Rippling board, job or API URL, or None."""
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return None
    host = (parts.hostname or "").lower()
    segments = [s for s in parts.path.split("/") if s]
    if host == "ats.rippling.com" and segments:
        # /{slug}/jobs[/{uuid}], also with a language prefix (/en-GB/{slug}/jobs)
        if len(segments) >= 2 and re.fullmatch(r"[a-z]{2}(-[A-Za-z]{2})?", segments[0]) \
                and segments[1] != "jobs":
            segments = segments[1:]
        return board_for(segments[0])
    if host == API_HOST and segments[:5] == ["platform", "api", "ats", "v1", "board"] \
            and len(segments) >= 6:
        return board_for(segments[5])
    return None


def _api_url(board: Board) -> str:
    return f"https://{API_HOST}/platform/api/ats/v1/board/{quote(board.token, safe='')}/jobs"


def start(board: Board, ctx: BoardContext) -> Iterable[scrapy.Request]:
    """Yield the one request that lists every job."""
    yield base.api_request(_api_url(board), parse_jobs, board, ctx)


def parse_job(row: Any, board: Board, ctx: BoardContext) -> JobItem | None:
    """Return the JobItem of one job of the board list, or None without id or title."""
    if not isinstance(row, dict):
        return None
    job_id, title = base.as_str(row.get("uuid"), strip=True), base.as_str(row.get("name"), strip=True)
    if not job_id or not title:
        return None
    location = base.as_str(base.as_dict(row.get("workLocation")).get("label"), strip=True)
    return base.new_job(
        board, ctx,
        external_id=job_id,
        title=title,
        url=base.as_str(row.get("url"), strip=True)
        or f"https://ats.rippling.com/{board.token}/jobs/{quote(job_id, safe='')}",
        location=location,
        locations=[location] if location else None,
        department=base.as_str(base.as_dict(row.get("department")).get("label"), strip=True),
    )


def parse_jobs_json(data: Any, board: Board, ctx: BoardContext) -> list[JobItem]:
    """Return the JobItems of a board's jobs answer (a JSON array)."""
    if not isinstance(data, list):
        raise base.BadResponse("Rippling answer is not a list of jobs")
    return base.parse_each(data, lambda row: parse_job(row, board, ctx), board, ctx,
                           id_keys=("uuid",))


def parse_jobs(response: Response, board: Board, ctx: BoardContext) -> Iterable[JobItem]:
    """Yield every job of the board."""
    yield from parse_jobs_json(base.load_json(response), board, ctx)

