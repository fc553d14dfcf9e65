"""SAP SuccessFactors Recruiting Marketing career sites: the RSS job feed, search pages as fallback.

Feed: GET https://{site}/feeds/?locale=en_US -> RSS 2.0 with one <item> per job: title "Job
Title (City, State, Country, Zip)", <description> HTML, RFC 822 <pubDate>, <link> to
/job/{slug}/{id}/ with tracking parameters. One request for the whole board (descriptions
included), so ~0.01 requests per job. Built on the recorded Qorvo feed.
When the feed is missing or empty, the site's search pages are read: GET
/search/?q=&sortColumn=referencedate&sortDirection=desc&startrow={n} (25 rows a page; rows
tr.data-row with a.jobTitle-link, span.jobLocation, span.jobDate; paging until a page adds no
new job). That markup is the common career-site template as open projects describe it; not yet
checked against a recorded search page.
Hosts: companies' own career domains (recognised by the /job/{slug}/{id}/ and /feeds/ paths)
and SAP's hosted ones (*.successfactors.com/.eu, *.sapsf.com/.eu, *.jobs2web.com).
"""
from __future__ import annotations

import logging
import re
from email.utils import parsedate_to_datetime
from typing import Any, Iterable
from urllib.parse import urljoin, urlsplit

import lxml.etree
import lxml.html
import scrapy
from scrapy.http import Response

from jobos.ats import base
from jobos.ats.base import Board, BoardContext
from jobos.items import JobItem
from jobos.normalize.countries import country_name

logger = logging.getLogger(__name__)

NAME = "successfactors"
# Registry data (see jobos.ats): where its URLs live, examples, widget markers, fields filled.
HOSTS = (".successfactors.com", ".successfactors.eu", ".sapsf.com", ".sapsf.eu", ".jobs2web.com")
PATHS = (r"^/job/[^/]+/\d{9,}/?(?:\?|$)", r"^/feeds/+\?(?:.*&)?locale=", r"[?&]utm_source=J2WRSS")
URL_SHAPES = (
    "https://careers.acme.com/job/Richardson-Principal-Scientist-TX-75080/1397790900/",
    "https://careers.acme.com/feeds/?locale=en_US",
    "https://acme.jobs2web.com/search/?q=",
)
EMBED_MARKERS: tuple[tuple[str, str], ...] = ()
FIELDS = ("external_id", "title", "url", "location", "country", "posted_at", "description_html")

SEARCH_PAGE = 25
_JOB_PATH = re.compile(r"^/job/[^/]+/(\d{6,})/?$")
_TITLE_PLACE = re.compile(r"^(?P<title>.*?)\s*\((?P<place>[^()]*)\)\s*$")


def detect(url: str) -> Board | None:
    """Return the Board of a career site's job page, feed or hosted site URL, or None."""
    try:
        parts = urlsplit(url if "//" in url else f"https://{url}")
        host = (parts.hostname or "").lower()
    except ValueError:
        return None
    if not host:
        return None
    hosted = host.endswith(HOSTS)
    own = any(re.search(p, parts.path + (f"?{parts.query}" if parts.query else ""), re.I) for p in PATHS)
    if not hosted and not own:
        return None
    return Board(NAME, host, f"https://{host}/search/?q=", host=host)


def feed_url(board: Board) -> str:
    return f"https://{board.host}/feeds/?locale=en_US"


def search_url(board: Board, startrow: int) -> str:
    return (f"https://{board.host}/search/?q=&sortColumn=referencedate&sortDirection=desc"
            f"&startrow={startrow}")


def start(board: Board, ctx: BoardContext) -> Iterable[scrapy.Request]:
    """Yield the feed request (the search pages follow when it is missing or empty)."""
    request = base.api_request(feed_url(board), parse_feed, board, ctx)
    request.meta["handle_httpstatus_list"] = [404]
    yield request


def split_title(text: str) -> tuple[str, str | None]:
    """Return (title, place) of a feed title 'Title (City, ST, US, 75080)'."""
    match = _TITLE_PLACE.match(text.strip())
    if match and match.group("title"):
        return match.group("title").strip(), match.group("place").strip() or None
    return text.strip(), None


def place_country(place: str | None) -> str | None:
    """Return the ISO country of 'City, State, Country, Zip': its last two-letter code part."""
    parts = [p.strip() for p in (place or "").split(",")]
    if len(parts) < 3:
        return None  # "Austin, TX": a state, not a country
    codes = [p for p in parts[1:] if re.fullmatch(r"[A-Z]{2}", p) and country_name(p)]
    return codes[-1] if codes else None


def job_id(url: str) -> str | None:
    match = _JOB_PATH.match(urlsplit(url).path)
    return match.group(1) if match else None


def _iso(pub_date: str | None) -> str | None:
    try:
        return parsedate_to_datetime(pub_date).isoformat() if pub_date else None
    except (TypeError, ValueError, IndexError):
        return pub_date


def feed_items(xml: bytes) -> list[dict]:
    """Return {title, link, description, pubDate} of each <item> of an RSS feed."""
    try:
        root = lxml.etree.fromstring(xml, parser=lxml.etree.XMLParser(resolve_entities=False, no_network=True,
                                                                       recover=False))
    except lxml.etree.XMLSyntaxError as exc:
        raise base.BadResponse(f"malformed SuccessFactors feed: {exc}") from None
    if root.tag != "rss":
        raise base.BadResponse("SuccessFactors feed is not RSS")
    return [{child.tag: (child.text or "").strip() for child in item if isinstance(child.tag, str)}
            for item in root.iter("item")]


def parse_feed_item(item: dict, board: Board, ctx: BoardContext) -> JobItem | None:
    """Return the JobItem of one feed item, or None without a job link or title."""
    link = (item.get("link") or item.get("guid") or "").strip()
    identifier = job_id(link)
    title, place = split_title(item.get("title") or "")
    if not identifier or not title:
        return None
    description = item.get("description")
    return base.new_job(
        board, ctx,
        external_id=identifier,
        title=title,
        url=link.split("?", 1)[0],
        location=place,
        country=place_country(place),
        posted_at=_iso(item.get("pubDate")),
        description_html=description if description and description != "..." else None,
    )


def parse_feed(response: Response, board: Board, ctx: BoardContext) -> Iterable[Any]:
    """Yield every job of the feed; fall back to the search pages when there is none."""
    items = feed_items(response.body) if response.status == 200 else []
    if ctx.max_jobs is not None:
        items = items[: ctx.max_jobs]
    jobs = base.parse_each(items, lambda item: parse_feed_item(item, board, ctx), board, ctx,
                           id_keys=("link",))
    if jobs:
        yield from jobs
        return
    logger.info("successfactors %s: no jobs in the feed; reading the search pages", board.key)
    yield base.api_request(search_url(board, 0), parse_search, board, ctx, startrow=0, seen=set())


def search_rows(html: str, page_url: str) -> list[dict]:
    """Return {id, title, url, location, date} of each result row of a search page."""
    try:
        root = lxml.html.fromstring(html)
    except (ValueError, lxml.etree.ParserError):
        raise base.BadResponse(f"unreadable SuccessFactors search page {page_url}") from None
    rows = []
    for row in root.xpath("//tr[contains(concat(' ', @class, ' '), ' data-row ')]"):
        link = row.xpath(".//a[contains(concat(' ', @class, ' '), ' jobTitle-link ')][@href]")
        if not link:
            continue
        url = urljoin(page_url, link[0].get("href")).split("?", 1)[0]
        identifier = job_id(url)
        text = lambda cls: " ".join(" ".join(row.xpath(  # noqa: E731
            f".//span[contains(concat(' ', @class, ' '), ' {cls} ')][1]//text()")).split()) or None
        if identifier:
            rows.append({"id": identifier, "title": " ".join(link[0].text_content().split()),
                         "url": url, "location": text("jobLocation"), "date": text("jobDate")})
    return rows


def parse_search(response: Response, board: Board, ctx: BoardContext, startrow: int = 0,
                 seen: set[str] | None = None) -> Iterable[Any]:
    """Yield the jobs of one search page and the next page while pages add new jobs."""
    seen = set() if seen is None else seen
    fresh = [r for r in search_rows(response.text, response.url) if r["id"] not in seen]
    if ctx.max_jobs is not None:
        fresh = fresh[: max(ctx.max_jobs - len(seen), 0)]
    for row in fresh:
        seen.add(row["id"])
        yield base.new_job(board, ctx, external_id=row["id"], title=row["title"], url=row["url"],
                           location=row["location"], posted_text=row["date"])
    if len(fresh) >= SEARCH_PAGE and (ctx.max_jobs is None or len(seen) < ctx.max_jobs):
        following = startrow + SEARCH_PAGE
        yield base.api_request(search_url(board, following), parse_search, board, ctx,
                               startrow=following, seen=seen)
