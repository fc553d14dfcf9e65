"""HireHive careers sites: the public jobs feed ({company}.hirehive.com/api/v1/jobs).

Format from open code that reads it (open job collectors, one run against live boards): the
feed answers {jobs: [{id, title, hostedUrl, location (the city as typed), stateCode, country
{code, name}, category, type, description {html, text}, publishedDate (epoch seconds)}],
nextPage, publishedJobsCount}; a board longer than one answer links the rest in `nextPage`
(".../api/v1/jobs?take=N&skip=M"), followed one page at a time and only on the same feed.
Descriptions inline: one request per page. Not yet checked against a recorded answer.
"""
from __future__ import annotations

import logging
import re
from typing import Any, Iterable
from urllib.parse import urljoin

import scrapy
from scrapy.http import Response

from jobos.ats import base
from jobos.ats.base import Board, BoardContext, ProbeResult
from jobos.ats.embedded import job_domains
from jobos.items import JobItem
from jobos.normalize.countries import country_code

logger = logging.getLogger(__name__)

NAME = "hirehive"
HOSTS = (".hirehive.com",)
URL_SHAPES = (
    "https://acme.hirehive.com/",
    "https://acme.hirehive.com/software-engineer-12345",
    "https://acme.hirehive.com/api/v1/jobs",
)
PATHS: tuple[str, ...] = ()
EMBED_MARKERS: tuple[tuple[str, str], ...] = ()
FIELDS = ("external_id", "title", "url", "location", "city", "region", "country",
          "employment_type", "department", "posted_at", "description_html")

MAX_PAGES = 100


def board_for(sub: str | None) -> Board | None:
    """Return the Board of a HireHive subdomain, or None for a service host."""
    return base.tenant_board(NAME, sub, HOSTS[0])


def detect(url: str) -> Board | None:
    """Return the Board of a HireHive careers, job or feed URL, or None."""
    return board_for(base.tenant_of(url, HOSTS[0]))


def _feed_url(board: Board) -> str:
    return f"https://{board.host}/api/v1/jobs"


def start(board: Board, ctx: BoardContext) -> Iterable[scrapy.Request]:
    """Yield the first feed page request."""
    yield base.api_request(_feed_url(board), parse_feed, board, ctx, page=1)


def parse_job(job: Any, board: Board, ctx: BoardContext) -> JobItem | None:
    """Return the JobItem of one feed job, or None without id or title."""
    if not isinstance(job, dict):
        return None
    job_id, title = base.as_str(job.get("id"), strip=True), base.as_str(job.get("title"), strip=True)
    if not job_id or not title:
        return None
    country = base.as_dict(job.get("country"))
    code = base.as_str(country.get("code"), strip=True)
    name = base.as_str(country.get("name"), strip=True)
    # The city is typed by hand: "Galway; Remote" names two places.
    city_text = re.sub(r"\s*[;|]\s*", ", ", base.as_str(job.get("location"), strip=True) or "") or None
    region = base.as_str(job.get("stateCode"), strip=True)
    location = ", ".join(p for p in (city_text, region, name or code) if p) or None
    desc = job.get("description")
    html = base.as_str(base.as_dict(desc).get("html")) if isinstance(desc, dict) else base.as_str(desc)
    published = base.as_number(job.get("publishedDate") or job.get("createdDate"))
    category = job.get("category")
    return base.new_job(
        board, ctx,
        external_id=job_id,
        title=title,
        url=base.as_str(job.get("hostedUrl"), strip=True) or f"https://{board.host}/",
        location=location,
        locations=[location] if location else None,
        city=city_text if city_text and "," not in city_text else None,
        region=region,
        country=country_code(code) or country_code(name),
        employment_type=base.as_str(job.get("type"), strip=True),
        department=base.as_str(base.as_dict(category).get("name"), strip=True) if isinstance(category, dict)
        else base.as_str(category, strip=True),
        posted_at=published if published and published > 0 else None,
        description_html=html,
    )


def parse_feed_json(data: Any, board: Board, ctx: BoardContext) -> tuple[list[JobItem], str | None]:
    """Return (the page's JobItems, the next page's URL on the same feed or None)."""
    if not isinstance(data, dict) or not isinstance(data.get("jobs"), list):
        raise base.BadResponse("HireHive answer has no jobs list")
    items = base.parse_each(data["jobs"], lambda job: parse_job(job, board, ctx), board, ctx)
    nxt = base.as_str(data.get("nextPage"), strip=True)
    if nxt:
        nxt = urljoin(_feed_url(board), nxt)
        # A next page elsewhere than this board's own feed is not followed.
        if not nxt.startswith(_feed_url(board) + "?"):
            logger.warning("hirehive %s: nextPage %s leaves the feed; not followed", board.key, nxt)
            nxt = None
    return items, nxt or None


def parse_feed(response: Response, board: Board, ctx: BoardContext, page: int
               ) -> Iterable[JobItem | scrapy.Request]:
    """Yield one page's jobs and, when the feed links one, the next page's request."""
    items, nxt = parse_feed_json(base.load_json(response), board, ctx)
    yield from items
    if nxt and items and page < MAX_PAGES:
        yield base.api_request(nxt, parse_feed, board, ctx, page=page + 1)


def probe(slug: str, ctx: BoardContext) -> scrapy.Request | None:
    """Return the feed request of a guessed subdomain."""
    return base.probe_request(board_for(base.probe_slug(slug)), _feed_url, parse_probe, ctx,
                              redirects=False, page=1)


def parse_probe(response: Response, board: Board, ctx: BoardContext, page: int) -> Iterable[ProbeResult]:
    """Yield one ProbeResult: the published job count and the domains the jobs link."""
    ctype = response.headers.get("Content-Type", b"").decode("latin-1").lower()
    if response.status != 200 or "json" not in ctype:
        yield ProbeResult(board, 0)
        return
    data = base.load_json(response)
    items, nxt = parse_feed_json(data, board, ctx)
    total = int(base.as_number(base.as_dict(data).get("publishedJobsCount")) or len(items))
    follow = [base.api_request(nxt, parse_feed, board, ctx, page=2)] if nxt and items else []
    yield ProbeResult(board, total if items else 0, domains=job_domains(items, own={"hirehive.com"}),
                      items=items, follow=follow)
