"""Jobvite career sites (jobs.jobvite.com/{careersite}): the listing page, then each job page.

Format from open code that reads it (open job collectors, one measured against ~500 live
boards): there is no public JSON API; /{careersite}/jobs (`?nl=1`, the chrome-free variant the
embed iframe uses) lists every job in one server-rendered page, in `table.jv-job-list` rows
whose `td.jv-job-list-name` links /{careersite}/job/{id} and whose `td.jv-job-list-location`
holds the place (featured layouts: `.jv-featured-job-title` / `-location`). The job page holds
the text in `div.jv-job-detail-description`. Company pages embed the board with
`data-careersite="<careersite>"` (EMBED_MARKERS). One job page per job: ~1 + 1/n requests per
job; a job page that cannot be read keeps the listing's data. Not yet checked against a
recorded page.
"""
from __future__ import annotations

import logging
import re
from typing import Any, Iterable
from urllib.parse import urljoin, urlsplit

import lxml.html
import scrapy
from scrapy.http import Response

from jobos.ats import base
from jobos.ats.base import Board, BoardContext
from jobos.items import JobItem

logger = logging.getLogger(__name__)

NAME = "jobvite"
HOST = "jobs.jobvite.com"
HOSTS = (HOST,)
URL_SHAPES = (
    "https://jobs.jobvite.com/acme/jobs",
    "https://jobs.jobvite.com/acme/job/12345",
    "https://jobs.jobvite.com/careers/acme/jobs",
)
# Company pages that embed the board name it in an attribute, not a URL.
EMBED_MARKERS = ((r"""data-careersite\s*=\s*["']([\w-]+)["']""", "https://jobs.jobvite.com/{}/jobs"),)
PATHS: tuple[str, ...] = ()
FIELDS = ("external_id", "title", "url", "location", "department", "description_html")

_NOT_SLUGS = {"api", "careers", "static", "assets", "favicon.ico", "robots.txt", "careersite-iframe"}
_JOB = re.compile(r"^/(?:careers/)?([A-Za-z0-9_-]+)/job/([A-Za-z0-9]{4,20})/?$")
_LOCATION = './/*[contains(@class, "jv-job-list-location") or contains(@class, "jv-featured-job-location")]'
_DESCRIPTION = '//div[contains(concat(" ", normalize-space(@class), " "), " jv-job-detail-description ")]'


def board_for(slug: str) -> Board | None:
    """Return the Board of a Jobvite career site name, or None."""
    slug = base.path_name(slug, reserved=_NOT_SLUGS)
    return Board(NAME, slug, f"https://{HOST}/{slug}/jobs") if slug else None


def detect(url: str) -> Board | None:
    """Return the Board of a Jobvite career site or job URL, or None."""
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return None
    if (parts.hostname or "").lower() != HOST:
        return None
    segments = [s for s in parts.path.split("/") if s]
    if len(segments) >= 2 and segments[0].lower() == "careers":
        return board_for(segments[1])
    return board_for(segments[0]) if segments else None


def start(board: Board, ctx: BoardContext) -> Iterable[scrapy.Request]:
    """Yield the listing page request."""
    yield base.api_request(f"{board.url}?nl=1", parse_listing, board, ctx,
                           headers={"Accept": "text/html,application/xhtml+xml"})


def _text(el: Any) -> str:
    return " ".join(el.text_content().split()) if el is not None else ""


def listing_rows(html: str, board: Board) -> list[dict[str, str]]:
    """Return the jobs a listing page lists: id, job page URL, title, location, category."""
    try:
        root = lxml.html.fromstring(html)
    except (ValueError, lxml.etree.ParserError):
        raise base.BadResponse("Jobvite listing page cannot be parsed") from None
    if not root.xpath('//*[contains(@class, "jv-")]'):
        raise base.BadResponse("Jobvite listing page has no job list markup")
    rows, seen = [], set()
    for a in root.xpath('//*[contains(concat(" ", normalize-space(@class), " "), " jv-job-list-name ")'
                        ' or contains(concat(" ", normalize-space(@class), " "), " jv-featured-job-title ")]'
                        '/descendant-or-self::a[@href]'):
        href = urljoin(f"https://{HOST}/", a.get("href"))
        parts = urlsplit(href)
        m = _JOB.match(parts.path)
        if (parts.hostname or "").lower() != HOST or not m or m.group(2) in seen:
            continue
        seen.add(m.group(2))
        # The row (table row, list item or card) the link sits in holds the job's place.
        places = next((found for e in a.iterancestors() if e.tag in ("tr", "li", "div")
                       for found in [e.xpath(_LOCATION)] if found), [])
        loc_el = places[0] if places else None
        table = next((e for e in a.iterancestors() if e.tag == "table"), None)
        heading = table.getprevious() if table is not None else None
        rows.append({"id": m.group(2), "url": f"https://{HOST}/{board.token}/job/{m.group(2)}",
                     "title": _text(a), "location": _text(loc_el),
                     "category": _text(heading) if heading is not None and heading.tag in ("h2", "h3") else ""})
    return rows


def parse_listing(response: Response, board: Board, ctx: BoardContext) -> Iterable[scrapy.Request]:
    """Yield a job page request per job of the listing (up to ctx.max_jobs)."""
    text = getattr(response, "text", None)
    if text is None:
        raise base.BadResponse(f"Jobvite listing {response.url} is not text")
    rows = [r for r in listing_rows(text, board) if r["title"]]
    if ctx.max_jobs is not None:
        rows = rows[: ctx.max_jobs]
    for row in rows:
        yield base.job_page_request(f"{row['url']}?nl=1", board, ctx, row, job_from, job_text,
                                    statuses=(404, 410), headers={"Accept": "text/html,application/xhtml+xml"})


def job_text(html: str) -> str | None:
    """Return the job page's description block as HTML, or None."""
    root = lxml.html.fromstring(html)
    blocks = root.xpath(_DESCRIPTION)
    if not blocks:
        return None
    block = blocks[0]
    inner = (block.text or "") + "".join(lxml.html.tostring(c, encoding="unicode") for c in block)
    return inner.strip() or None


def job_from(row: dict, board: Board, ctx: BoardContext, description: str | None = None) -> JobItem:
    """Return the JobItem of a listing row and, when read, its job page's text."""
    return base.new_job(
        board, ctx,
        external_id=row["id"],
        title=row["title"],
        url=row["url"],
        location=row.get("location") or None,
        locations=[row["location"]] if row.get("location") else None,
        department=row.get("category") or None,
        description_html=description,
    )
