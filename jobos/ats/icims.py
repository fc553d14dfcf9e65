"""iCIMS: Talent Cloud (Jibe) career sites' /api/jobs JSON, and classic {x}.icims.com portals.

Talent Cloud: GET https://{careers host}/api/jobs?page={n}&limit=100 -> {jobs: [{data: {...}}],
totalCount} with whole jobs (req_id, title, description, qualifications, responsibilities,
city/state/country_code, additional_locations, employment_type, tags, posted_date, apply_url);
pages are 1-based, limit is capped at 100 (some sites fix 10): paging goes by rows received.
~0.01 requests per job. Built on the recorded Garmin and a second Jibe answer; page/limit from
open projects that read it. A job's page is https://{host}/jobs/{req_id}.

Classic: GET https://{x}.icims.com/jobs/search?ss=1&in_iframe=1&pr={n} (0-based pages) -> HTML
cards (a.iCIMS_Anchor to /jobs/{id}/{slug}/job, location, Job ID), built on a recorded Wipfli
search page; each job's page (?in_iframe=1) is read for its JSON-LD JobPosting (description,
dates, employment type, address), one call per job (~1.05 requests per job). The job page's
JSON-LD shape is schema.org's; not yet checked against a real iCIMS job page.
Talent Cloud sites live on companies' own domains: one is recognised when its page loads Jibe's
front end (app/assets.jibecdn.com), never by the common /api/jobs path alone. No slug probe.
"""
from __future__ import annotations

import html
import logging
import re
from typing import Any, Iterable
from urllib.parse import parse_qs, urljoin, urlsplit

import lxml.html
import scrapy
from scrapy.http import Response

from jobos.ats import base
from jobos.ats.base import Board, BoardContext
from jobos.items import JobItem

logger = logging.getLogger(__name__)

NAME = "icims"
# Registry data (see jobos.ats): where its URLs live, examples, widget markers, fields filled.
HOSTS = (".icims.com",)
# Talent Cloud serves /api/jobs on the company's own careers host, a path too common to claim on
# its own: a site is taken for Talent Cloud when its page loads Jibe's front end (the marker),
# which names the board as {page}/api/jobs?source=jibe.
PATHS = (r"^/api/jobs\?(?:[^#]*&)?source=jibe(?:&|$)",)
URL_SHAPES = (
    "https://careers-acme.icims.com/jobs/search?ss=1&in_iframe=1",
    "https://careers-acme.icims.com/jobs/8214/payroll-tax-specialist/job",
    "https://careers.acme.com/api/jobs?source=jibe",
)
EMBED_MARKERS = ((r"https://(?:app|assets)\.jibecdn\.com/", "{page}/api/jobs?source=jibe"),)
FIELDS = (
    "external_id", "title", "url", "apply_url", "location", "city", "region", "country",
    "workplace", "employment_type", "department", "posted_at", "description_html",
)

PAGE_SIZE = 100
CLASSIC, TALENT_CLOUD = "classic", "talentcloud"
_LABEL = re.compile(r"^[a-z0-9][a-z0-9-]*$")
_JOB_PATH = re.compile(r"^/jobs/(\d+)(?:/|$)")
_NOT_PORTALS = {"www", "api", "login", "developer", "community", "cdn"}


def detect(url: str) -> Board | None:
    """Return the Board of a classic portal URL or a Talent Cloud /api/jobs URL, or None."""
    try:
        parts = urlsplit(url if "//" in url else f"https://{url}")
        host = (parts.hostname or "").lower()
    except ValueError:
        return None
    if host.endswith(".icims.com"):
        label = host[: -len(".icims.com")]
        if not _LABEL.match(label) or label in _NOT_PORTALS:
            return None
        return Board(NAME, label, f"https://{host}/jobs/search?ss=1", host=host, site=CLASSIC)
    if host and re.match(PATHS[0], parts.path + (f"?{parts.query}" if parts.query else "")):
        return Board(NAME, host, f"https://{host}/jobs", host=host, site=TALENT_CLOUD)
    return None


def list_url(board: Board, page: int) -> str:
    """Return one listing page's URL (Talent Cloud: 1-based page; classic: 0-based pr)."""
    if board.site == TALENT_CLOUD:
        return f"https://{board.host}/api/jobs?page={page}&limit={PAGE_SIZE}"
    return f"https://{board.host}/jobs/search?ss=1&in_iframe=1&pr={page}"


def start(board: Board, ctx: BoardContext) -> Iterable[scrapy.Request]:
    """Yield the first listing page's request."""
    if board.site == TALENT_CLOUD:
        yield base.api_request(list_url(board, 1), parse_api, board, ctx, page=1, seen=0)
    else:
        yield base.api_request(list_url(board, 0), parse_search_page, board, ctx, page=0, seen=0)


# --- Talent Cloud ---------------------------------------------------------------------------------
def api_jobs(data: Any) -> tuple[list[dict], int | None]:
    """Return (job data objects, totalCount) of an /api/jobs answer."""
    if not isinstance(data, dict) or not isinstance(data.get("jobs"), list):
        raise base.BadResponse("iCIMS /api/jobs answer has no jobs list")
    rows = [base.as_dict(j.get("data")) for j in data["jobs"] if isinstance(j, dict)]
    total = base.as_number(data.get("totalCount"))
    return [r for r in rows if r], int(total) if total is not None else None


def _first_tag(job: dict, key: str) -> str | None:
    values = base.as_list(job.get(key))
    return base.as_str(values[0], strip=True) if values else None


def _paragraphs(text: str | None) -> str | None:
    """Return a description part as HTML: markup as is, plain text as one escaped paragraph."""
    return text if text is None or "<" in text else f"<p>{html.escape(text, quote=False)}</p>"


def parse_api_job(job: dict, board: Board, ctx: BoardContext) -> JobItem | None:
    """Return the JobItem of one Talent Cloud job's data object, or None without id or title."""
    text = lambda key: base.as_str(job.get(key), strip=True)  # noqa: E731
    req_id, title = text("req_id") or text("slug"), text("title")
    if not req_id or not title:
        return None
    # Each place as "City, State": the primary one from the job's own fields, then the others.
    locations = []
    for place in [job, *map(base.as_dict, base.as_list(job.get("additional_locations")))]:
        name = ", ".join(x for x in (base.as_str(place.get("city"), strip=True),
                                     base.as_str(place.get("state"), strip=True)) if x)
        if name and name not in locations:
            locations.append(name)
    categories = [base.as_str(base.as_dict(c).get("name"), strip=True) for c in base.as_list(job.get("categories"))]
    category = next((c for c in categories if c), None) or (
        (base.as_str(base.as_list(job.get("category"))[0], strip=True) if base.as_list(job.get("category")) else None))
    body = [_paragraphs(text(key)) for key in ("description", "responsibilities", "qualifications")]
    many = bool(job.get("multipleLocations")) or len(locations) > 1
    return base.new_job(
        board, ctx,
        external_id=req_id,
        title=title,
        url=f"https://{board.host}/jobs/{req_id}",
        apply_url=text("apply_url"),
        location=text("full_location") or text("short_location"),
        locations=locations or None,
        city=None if many else text("city"),
        region=None if many else text("state"),
        country=None if many else text("country_code"),
        remote_flag=_first_tag(job, "tags6"),
        employment_type=text("employment_type"),
        department=category,
        posted_at=text("posted_date"),
        description_html="\n".join(b for b in body if b) or None,
    )


def parse_api(response: Response, board: Board, ctx: BoardContext, page: int = 1, seen: int = 0
              ) -> Iterable[Any]:
    """Yield the jobs of one /api/jobs page and the next page's request."""
    rows, total = api_jobs(base.load_json(response))
    if ctx.max_jobs is not None:
        rows = rows[: max(ctx.max_jobs - seen, 0)]
    yield from base.parse_each(rows, lambda job: parse_api_job(job, board, ctx), board, ctx,
                               id_keys=("req_id", "slug"))
    seen += len(rows)
    if rows and seen < (total or 0) and (ctx.max_jobs is None or seen < ctx.max_jobs):
        yield base.api_request(list_url(board, page + 1), parse_api, board, ctx, page=page + 1, seen=seen)


# --- classic portals ------------------------------------------------------------------------------
def search_cards(html: str, page_url: str) -> list[dict]:
    """Return {id, title, url, location} of each job card on a classic search page."""
    try:
        root = lxml.html.fromstring(html)
    except (ValueError, lxml.etree.ParserError):
        raise base.BadResponse(f"unreadable iCIMS search page {page_url}") from None
    cards, seen = [], set()
    for anchor in root.xpath("//a[contains(concat(' ', @class, ' '), ' iCIMS_Anchor ')][@href]"):
        url = urljoin(page_url, anchor.get("href"))
        match = _JOB_PATH.match(urlsplit(url).path)
        if not match or match.group(1) in seen:
            continue
        seen.add(match.group(1))
        heading = anchor.xpath(".//h3") or anchor.xpath(".//h2")
        title = " ".join((heading[0] if heading else anchor).text_content().split())
        if not heading:
            title = re.sub(r"^Job Title\s*", "", title)
        card = anchor.xpath("ancestor::li[1]") or anchor.xpath("ancestor::div[contains(@class,'row')][1]")
        location = None
        if card:
            label = card[0].xpath(".//span[contains(@class,'field-label')][normalize-space()='Job Locations']")
            if label:
                sibling = label[0].getnext()
                location = " ".join(sibling.text_content().split()) if sibling is not None else None
        cards.append({"id": match.group(1), "title": title, "location": location or None,
                      "url": url.split("?", 1)[0]})
    return cards


def _has_page(html: str, page: int) -> bool:
    return re.search(rf"[?&;]pr={page}(?:[&\"'#]|$)", html.replace("&amp;", "&")) is not None


def parse_search_page(response: Response, board: Board, ctx: BoardContext, page: int = 0, seen: int = 0
                      ) -> Iterable[scrapy.Request]:
    """Yield a job-page request per card and the next search page when the pager links it."""
    cards = search_cards(response.text, response.url)
    if ctx.max_jobs is not None:
        cards = cards[: max(ctx.max_jobs - seen, 0)]
    for card in cards:
        yield base.job_page_request(f"{card['url']}?in_iframe=1", board, ctx, card, job_from_card,
                                    base.jsonld_posting)
    seen += len(cards)
    if cards and _has_page(response.text, page + 1) and (ctx.max_jobs is None or seen < ctx.max_jobs):
        yield base.api_request(list_url(board, page + 1), parse_search_page, board, ctx,
                               page=page + 1, seen=seen)


def job_from_card(card: dict, board: Board, ctx: BoardContext, posting: dict | None = None) -> JobItem:
    """Return the JobItem of a classic search card, completed by its page's JSON-LD posting."""
    posting = base.as_dict(posting)
    address = base.posting_address(posting)
    employment = posting.get("employmentType")
    if isinstance(employment, list):
        employment = ", ".join(e for e in employment if isinstance(e, str)) or None
    return base.new_job(
        board, ctx,
        external_id=card["id"],
        title=card["title"] or base.as_str(posting.get("title"), strip=True),
        url=card["url"],
        # The classic portal's apply flow starts at /jobs/{id}/{slug}/login.
        apply_url=card["url"][: -len("/job")] + "/login" if card["url"].endswith("/job") else None,
        location=card.get("location"),
        city=base.as_str(address.get("addressLocality"), strip=True),
        region=base.as_str(address.get("addressRegion"), strip=True),
        country=base.posting_country(address),
        remote_flag="remote" if posting.get("jobLocationType") == "TELECOMMUTE" else None,
        employment_type=base.as_str(employment),
        posted_at=base.as_str(posting.get("datePosted"), strip=True),
        description_html=base.as_str(posting.get("description")),
    )
