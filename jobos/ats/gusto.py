"""Gusto-hosted careers boards (jobs.gusto.com/boards/{company}-{uuid}) and their posting pages.

Format from real recordings (ever-jobs' Gusto fixtures: two employers' boards and one posting
page). The board page is server-rendered: one `li > a[href^="/postings/"]` per posting, with
the title in an `h3`, the locations as lines of the first `p` ("Remote" among them when the job
is remote) and the employment type in the second `p`. The posting page adds the text (its
`rich-text-container` blocks: the company's blurb, then the job's). One page read per posting:
~1 + 1/n requests per job; a posting page that cannot be read keeps the board's data.

A posting URL does not name its board, but its page links it (`/boards/...`): a crawl given a
posting URL reads the board from that link, and the posting itself from the page in hand
(`parse_posting_page`: its `h1` holds the company, the title, then "place · employment type"),
with the same identity as the board's copy.
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

NAME = "gusto"
HOST = "jobs.gusto.com"
HOSTS = (HOST,)
URL_SHAPES = ("https://jobs.gusto.com/boards/acme-3f2b6c1e-8a4d-4c2e-9b1a-0d5e7f9a1b2c",)
PATHS: tuple[str, ...] = ()
EMBED_MARKERS: tuple[tuple[str, str], ...] = ()
FIELDS = ("external_id", "title", "url", "apply_url", "location", "workplace", "employment_type",
          "description_html")

_BOARD = re.compile(r"^[a-z0-9-]*[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$", re.I)
_POSTING = re.compile(
    r"^/postings/([a-z0-9-]*?)([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})/?$", re.I)
_REMOTE = {"remote"}
_DOT = re.compile(r"\s*[·•]\s*")


def board_for(token: str) -> Board | None:
    """Return the Board of a Gusto board path segment ('<company>-<uuid>'), or None."""
    if not token or not _BOARD.match(token):
        return None
    token = token.lower()
    return Board(NAME, token, f"https://{HOST}/boards/{token}", host=HOST)


def detect(url: str) -> Board | None:
    """Return the Board of a Gusto board URL, or None (a posting URL does not name its board)."""
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return None
    if (parts.hostname or "").lower() != HOST:
        return None
    segments = [s for s in parts.path.split("/") if s]
    if len(segments) >= 2 and segments[0] == "boards":
        return board_for(segments[1])
    return None


def start(board: Board, ctx: BoardContext) -> Iterable[scrapy.Request]:
    """Yield the board page request."""
    yield base.api_request(board.url, parse_board, board, ctx,
                           headers={"Accept": "text/html,application/xhtml+xml"})


def _lines(el: Any) -> list[str]:
    return [" ".join(t.split()) for t in el.xpath(".//text()") if t.strip()]


def board_rows(html: str, base_url: str = f"https://{HOST}/") -> list[dict[str, Any]]:
    """Return the postings listed on a board page: id, url, title, locations, remote, type."""
    try:
        root = lxml.html.fromstring(html)
    except (ValueError, lxml.etree.ParserError):
        raise base.BadResponse("Gusto board page cannot be parsed") from None
    if not root.xpath('//h1') and not root.xpath('//a[contains(@href, "/postings/")]'):
        raise base.BadResponse("Gusto board page has neither a heading nor postings")
    rows, seen = [], set()
    links = '//a[starts-with(@href, "/postings/") or contains(@href, "//jobs.gusto.com/postings/")]'
    for a in root.xpath(links):
        href = urljoin(base_url, a.get("href"))
        parts = urlsplit(href)
        m = _POSTING.match(parts.path)
        # Only Gusto's own posting pages: a board page's link must not send the crawl elsewhere.
        if not m or (parts.hostname or "").lower() != HOST or m.group(2).lower() in seen:
            continue
        paragraphs = a.xpath(".//p")
        title = " ".join(a.xpath("string(.//h3)").split())
        places = _lines(paragraphs[0]) if paragraphs else []
        rows.append({
            "id": m.group(2).lower(), "url": f"https://{HOST}{parts.path.rstrip('/')}", "title": title,
            "locations": [p for p in places if p.lower() not in _REMOTE],
            "remote": any(p.lower() in _REMOTE for p in places),
            "type": " ".join(_lines(paragraphs[1])) if len(paragraphs) > 1 else None,
        })
        seen.add(m.group(2).lower())
    return rows


def parse_board(response: Response, board: Board, ctx: BoardContext) -> Iterable[scrapy.Request]:
    """Yield a posting page request per posting of the board (up to ctx.max_jobs)."""
    text = getattr(response, "text", None)
    if text is None:
        raise base.BadResponse(f"Gusto board {response.url} is not text")
    rows = [r for r in board_rows(text, response.url) if r["title"]]
    if ctx.max_jobs is not None:
        rows = rows[: ctx.max_jobs]
    for row in rows:
        request = base.api_request(row["url"], parse_posting, board, ctx, row=row,
                                   headers={"Accept": "text/html,application/xhtml+xml"})
        request.meta["handle_httpstatus_list"] = [404, 410]
        yield request.replace(errback=posting_failed)


def posting_text(html: str) -> str | None:
    """Return the posting page's text blocks (rich-text-container), as its HTML."""
    root = lxml.html.fromstring(html)
    blocks = root.xpath('//div[contains(concat(" ", normalize-space(@class), " "), " rich-text-container ")]')
    parts = []
    for block in blocks:
        inner = (block.text or "") + "".join(lxml.html.tostring(c, encoding="unicode") for c in block)
        if inner.strip():
            parts.append(inner.strip())
    return "\n".join(parts) or None


def posting_row(html: str, url: str) -> dict[str, Any] | None:
    """Return a posting page's own row (id, url, title, locations, remote, type), or None.

    None when the URL is not a Gusto posting page or the page shows no title where Gusto puts
    it (the `h1`'s second line, after the company's name).
    """
    parts = urlsplit(url)
    m = _POSTING.match(parts.path)
    if not m or (parts.hostname or "").lower() != HOST:
        return None
    try:
        root = lxml.html.fromstring(html)
    except (ValueError, lxml.etree.ParserError):
        return None
    heading = root.find(".//h1")
    if heading is None:
        return None
    lines = [" ".join(" ".join(_lines(span)).split()) for span in heading.findall("span")]
    lines = [line for line in lines if line]
    if len(lines) < 2 or len(lines[1]) > 200:
        return None
    places: list[str] = []
    job_type = None
    if len(lines) > 2 and _DOT.search(lines[2]):
        *where, job_type = _DOT.split(lines[2])
        places = [p for p in where if p]
    return {
        "id": m.group(2).lower(), "url": f"https://{HOST}{parts.path.rstrip('/')}", "title": lines[1],
        "locations": [p for p in places if p.lower() not in _REMOTE],
        "remote": any(p.lower() in _REMOTE for p in places),
        "type": job_type or None,
    }


def parse_posting_page(html: str, url: str, board: Board, ctx: BoardContext) -> JobItem | None:
    """Return the posting a Gusto posting page shows, as the board's copy of it would be.

    Read when a crawl is given a posting URL: the board found on the page is read too, and its
    request for this page is the page already read (a duplicate request, dropped).
    """
    row = posting_row(html, url)
    if row is None:
        return None
    return base.job_with_detail(lambda: job_from_row(row, board, ctx, posting_text(html)),
                                lambda: job_from_row(row, board, ctx), board, ctx, url)


def job_from_row(row: dict, board: Board, ctx: BoardContext, description: str | None = None) -> JobItem:
    """Return the JobItem of a board row and, when read, its posting page's text."""
    locations = row.get("locations") or []
    return base.new_job(
        board, ctx,
        external_id=row["id"],
        title=row["title"],
        url=row["url"],
        apply_url=f"{row['url']}/applicants/new",
        location=" / ".join(locations) or ("Remote" if row.get("remote") else None),
        locations=locations or None,
        remote_flag=True if row.get("remote") else None,
        employment_type=row.get("type"),
        description_html=description,
    )


def parse_posting(response: Response, board: Board, ctx: BoardContext, row: dict) -> Iterable[JobItem]:
    """Yield the posting with its page's text; the board's data alone when the page is odd."""
    if response.status != 200 or getattr(response, "text", None) is None:
        yield job_from_row(row, board, ctx)
        return
    yield base.job_with_detail(lambda: job_from_row(row, board, ctx, posting_text(response.text)),
                               lambda: job_from_row(row, board, ctx), board, ctx, response.url)


def posting_failed(failure: Any) -> Iterable[JobItem]:
    """Yield the board-only job when its posting page failed for good."""
    kw = failure.request.cb_kwargs
    logger.warning("gusto %s: posting page %s failed (%s); keeping the board data",
                   kw["board"].key, failure.request.url, failure.value)
    yield job_from_row(kw["row"], kw["board"], kw["ctx"])
