"""Freshteam career sites: the public careers widget feed ({sub}.freshteam.com/hire/widgets/jobs.json).

Format from open code that reads it (several open job collectors): one answer {jobs: [{id,
title, description, url, branch_id, job_role_id, remote, deleted, status, created_at, ...}],
branches: [{id, city, state, country_code, location}], job_roles: [{id, name}]}; a job's place
is its branch, its team its job role. Every job with its description in one request; no
paging. An unknown subdomain answers 200 with an HTML page, read as no board. Not yet checked
against a recorded answer.
"""
from __future__ import annotations

import logging
from typing import Any, Iterable
from urllib.parse import quote

import scrapy
from scrapy.http import Response

from jobos.ats import base
from jobos.ats.base import Board, BoardContext, ProbeResult
from jobos.ats.embedded import job_domains
from jobos.items import JobItem
from jobos.normalize.countries import country_code

logger = logging.getLogger(__name__)

NAME = "freshteam"
HOSTS = (".freshteam.com",)
URL_SHAPES = (
    "https://acme.freshteam.com/jobs",
    "https://acme.freshteam.com/jobs/12345/software-engineer",
    "https://acme.freshteam.com/hire/widgets/jobs.json",
)
PATHS: tuple[str, ...] = ()
EMBED_MARKERS: tuple[tuple[str, str], ...] = ()
FIELDS = ("external_id", "title", "url", "location", "city", "region", "country", "workplace",
          "department", "posted_at", "description_html")

_CLOSED = {"closed", "on_hold", "draft", "deleted"}


def board_for(sub: str | None) -> Board | None:
    """Return the Board of a Freshteam subdomain, or None for a service host."""
    return base.tenant_board(NAME, sub, HOSTS[0], "/jobs")


def detect(url: str) -> Board | None:
    """Return the Board of a Freshteam careers, job or widget URL, or None."""
    return board_for(base.tenant_of(url, HOSTS[0]))


def _feed_url(board: Board) -> str:
    return f"https://{board.host}/hire/widgets/jobs.json"


def start(board: Board, ctx: BoardContext) -> Iterable[scrapy.Request]:
    """Yield the one request that lists every job."""
    yield base.api_request(_feed_url(board), parse_feed, board, ctx)


def _is_html(response: Response) -> bool:
    ctype = response.headers.get("Content-Type", b"").decode("latin-1").lower()
    return "html" in ctype and "json" not in ctype


def parse_job(job: Any, branches: dict, roles: dict, board: Board, ctx: BoardContext) -> JobItem | None:
    """Return the JobItem of one feed job (its branch and role looked up), or None."""
    if not isinstance(job, dict):
        return None
    job_id, title = base.as_str(job.get("id"), strip=True), base.as_str(job.get("title"), strip=True)
    if not job_id or not title:
        return None
    branch = base.as_dict(branches.get(base.as_str(job.get("branch_id"), strip=True)))
    city, region = base.as_str(branch.get("city"), strip=True), base.as_str(branch.get("state"), strip=True)
    location = (base.as_str(branch.get("location"), strip=True)
                or ", ".join(p for p in (city, region) if p) or None)
    remote = job.get("remote")
    return base.new_job(
        board, ctx,
        external_id=job_id,
        title=title,
        url=base.as_str(job.get("url"), strip=True) or f"https://{board.host}/jobs/{quote(job_id, safe='')}",
        location=location,
        locations=[location] if location else None,
        city=city,
        region=region,
        country=country_code(base.as_str(branch.get("country_code"), strip=True)),
        remote_flag=True if remote is True or str(remote).lower() == "true" else None,
        department=roles.get(base.as_str(job.get("job_role_id"), strip=True)),
        posted_at=base.as_str(job.get("created_at"), strip=True),
        description_html=base.as_str(job.get("description")),
    )


def parse_feed_json(data: Any, board: Board, ctx: BoardContext) -> list[JobItem]:
    """Return the JobItems of a jobs.json answer (deleted and closed jobs left out)."""
    if not isinstance(data, dict) or not isinstance(data.get("jobs"), list):
        raise base.BadResponse("Freshteam answer has no jobs list")
    branches = {base.as_str(b.get("id"), strip=True): b for b in base.as_list(data.get("branches"))
                if isinstance(b, dict)}
    roles = {base.as_str(r.get("id"), strip=True): base.as_str(r.get("name"), strip=True)
             for r in base.as_list(data.get("job_roles")) if isinstance(r, dict)}
    open_jobs = [j for j in data["jobs"] if not (isinstance(j, dict) and (
        j.get("deleted") is True or str(j.get("status") or "").lower() in _CLOSED))]
    return base.parse_each(open_jobs, lambda job: parse_job(job, branches, roles, board, ctx), board, ctx)


def parse_feed(response: Response, board: Board, ctx: BoardContext) -> Iterable[JobItem]:
    """Yield every open job of the feed."""
    if _is_html(response):
        logger.info("freshteam %s: the feed answered a page, not JSON (no such board)", board.key)
        return
    yield from parse_feed_json(base.load_json(response), board, ctx)


def probe(slug: str, ctx: BoardContext) -> scrapy.Request | None:
    """Return the feed request of a guessed subdomain."""
    return base.probe_request(board_for(base.probe_slug(slug)), _feed_url, parse_probe, ctx)


def parse_probe(response: Response, board: Board, ctx: BoardContext) -> Iterable[ProbeResult]:
    """Yield one ProbeResult: the open job count and the domains the jobs link."""
    if response.status != 200 or _is_html(response):
        yield ProbeResult(board, 0)
        return
    items = parse_feed_json(base.load_json(response), board, ctx)
    yield ProbeResult(board, len(items), domains=job_domains(items, own={"freshteam.com"}), items=items)
