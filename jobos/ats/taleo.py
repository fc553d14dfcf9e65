"""Oracle Taleo Enterprise career sections: the faceted search's REST endpoint.

POST https://{tenant}.taleo.net/careersection/rest/jobboard/searchjobs?lang=en&portal={portal}
with the body the career section's own page sends (multilineEnabled, sortingSelection,
fieldData, filterSelectionParam, advancedSearchFiltersSelectionParam, pageNo) and a `tz` header
(the endpoint answers 500 without one) -> {requisitionList: [{jobId, contestNo, column: [...],
linkedColumn, locationsColumns}], pagingData: {currentPageNo, pageSize (25), totalCount}}.
Which column holds the title (linkedColumn), the locations (locationsColumns, each a JSON list
in a string) and the date is set per section. Pages are bounded by totalCount/pageSize (a page
past the last repeats the last), rows keyed by contestNo. The portal number comes from the URL
(`portal=`) or, failing that, from the section's search page (`portalNo: '...'`): one GET.
A job's page: /careersection/{section}/jobdetail.ftl?job={contestNo}. ~0.04 requests per job;
rows carry no description. Format source: open projects that read the endpoint (request body,
tz header, paging behaviour and column layout as they describe them); not yet checked against a
recorded answer.

Taleo Business Edition (a pod host shared by many companies, *.tbe.taleo.net, the company named
by `org` and its careers website by `cws`): GET https://{pod}/{path}/ats/careers/v2/
searchResults?org=&cws=&rowFrom=N -> HTML, 10 rows a page (div.oracletaleocwsv2-accordion-
head-info: h4 a.viewJobLink to viewRequisition?org&cws&rid={id}, then divs with the category and
the location); paging by rowFrom while a page adds new jobs; each job's page is read for its
schema.org JobPosting (one call per job, ~1.1 requests per job). Format source: open readers'
selectors and notes; not yet checked against a recorded page.
"""
from __future__ import annotations

import json
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

NAME = "taleo"
# Registry data (see jobos.ats): where its URLs live, examples, widget markers, fields filled.
HOSTS = (".taleo.net",)  # Enterprise {tenant}.taleo.net and Business Edition {pod}.tbe.taleo.net
PATHS: tuple[str, ...] = ()
URL_SHAPES = (
    "https://acme.taleo.net/careersection/ex/jobsearch.ftl?lang=en&portal=101430233",
    "https://acme.taleo.net/careersection/2/jobdetail.ftl?job=123456",
    "https://acme.taleo.net/careersection/ex/jobsearch.ftl",
    "https://phf.tbe.taleo.net/phf02/ats/careers/v2/searchResults?org=ACME&cws=41",
    "https://phf.tbe.taleo.net/phf02/ats/careers/v2/viewRequisition?org=ACME&cws=41&rid=1234",
)
EMBED_MARKERS: tuple[tuple[str, str], ...] = ()
FIELDS = (
    "external_id", "title", "url", "location", "city", "region", "country", "employment_type",
    "department", "posted_at", "description_html",
)  # Enterprise rows fill title, location and date; Business Edition job pages the rest

_SECTION = re.compile(r"^[A-Za-z0-9_-]{1,40}$")
_PORTAL = re.compile(r"portalNo\s*:\s*'(\d+)'")
_MAX_PAGES = 400  # 10,000 requisitions at 25 a page


def detect(url: str) -> Board | None:
    """Return the Board of a Taleo career section's search, job or REST URL, or None."""
    try:
        parts = urlsplit(url if "//" in url else f"https://{url}")
        host = (parts.hostname or "").lower()
    except ValueError:
        return None
    if host.endswith(".tbe.taleo.net"):
        return _business_board(host, parts)
    if not host.endswith(".taleo.net") or host.count(".") != 2:
        return None
    segs = [s for s in parts.path.split("/") if s]
    if len(segs) < 2 or segs[0].lower() != "careersection" or segs[1].lower() == "rest":
        return None
    section = segs[1]
    if not _SECTION.match(section):
        return None
    portal = (parse_qs(parts.query).get("portal") or [""])[0]
    url_out = f"https://{host}/careersection/{section}/jobsearch.ftl?lang=en"
    if portal.isdigit():
        url_out += f"&portal={portal}"
    return Board(NAME, f"{host.split('.', 1)[0]}/{section}", url_out, host=host, site=section)


BUSINESS = "business"
_ORG = re.compile(r"^[A-Za-z0-9_-]{1,40}$")


def _business_board(host: str, parts: Any) -> Board | None:
    """Return the Business Edition board of a searchResults/viewRequisition URL, or None."""
    segs = [s for s in parts.path.split("/") if s]
    query = parse_qs(parts.query)
    org, cws = (query.get("org") or [""])[0], (query.get("cws") or [""])[0]
    if len(segs) < 4 or segs[1:4] != ["ats", "careers", "v2"] or not _ORG.match(org) or not cws.isdigit():
        return None
    path = segs[0]
    if not _SECTION.match(path):
        return None
    return Board(NAME, f"{org.upper()}/{cws}",
                 f"https://{host}/{path}/ats/careers/v2/searchResults?org={org}&cws={cws}", host=host, site=BUSINESS)


def _portal(board: Board) -> str | None:
    return (parse_qs(urlsplit(board.url).query).get("portal") or [None])[0]


def search_body(page: int) -> dict:
    """Return the search body a career section's page sends, for one page (1-based)."""
    return {"multilineEnabled": False,
            "sortingSelection": {"sortBySelectionParam": "3", "ascendingSortingOrder": "false"},
            "fieldData": {"fields": {"KEYWORD": "", "LOCATION": "", "ORGANIZATION": ""}, "valid": True},
            "filterSelectionParam": {"searchFilterSelections": []},
            "advancedSearchFiltersSelectionParam": {"searchFilterSelections": []},
            "pageNo": page}


def _search(board: Board, ctx: BoardContext, portal: str, page: int, **kw: Any) -> scrapy.Request:
    return base.api_request(
        f"https://{board.host}/careersection/rest/jobboard/searchjobs?lang=en&portal={portal}",
        parse_search, board, ctx, method="POST", json_body=search_body(page),
        headers={"tz": "GMT+00:00", "X-Requested-With": "XMLHttpRequest"}, portal=portal, page=page, **kw)


def start(board: Board, ctx: BoardContext) -> Iterable[scrapy.Request]:
    """Yield the first search request, or the section page's GET when the portal is unknown."""
    if board.site == BUSINESS:
        # Not filtered as a duplicate: the search page may have been read as a page already.
        yield base.api_request(board.url, parse_business_page, board, ctx, seen=set()).replace(dont_filter=True)
        return
    portal = _portal(board)
    if portal:
        yield _search(board, ctx, portal, 1, seen=set())
    else:
        # Not filtered as a duplicate: the section page may have been read as a page already.
        yield base.api_request(board.url, parse_section_page, board, ctx).replace(dont_filter=True)


def parse_section_page(response: Response, board: Board, ctx: BoardContext) -> Iterable[scrapy.Request]:
    """Yield the first search request with the portal number the section page names."""
    match = _PORTAL.search(response.text)
    if not match:
        raise base.BadResponse(f"Taleo section page {response.url} names no portalNo")
    yield _search(board, ctx, match.group(1), 1, seen=set())


def _cells(value: str) -> list[str]:
    """Return the places of a locations cell: a JSON list in a string, or the text itself."""
    try:
        places = json.loads(value)
    except ValueError:
        return [value]
    return [str(p) for p in places if p] if isinstance(places, list) else [str(places)]


def parse_requisition(row: dict, board: Board, ctx: BoardContext) -> JobItem | None:
    """Return the JobItem of one requisitionList row, or None without contest number or title."""
    contest = base.as_str(row.get("contestNo"), strip=True)
    columns = [base.as_str(c, strip=True) or "" for c in base.as_list(row.get("column"))]
    linked = row.get("linkedColumn") if isinstance(row.get("linkedColumn"), int) else 0
    located = [i for i in base.as_list(row.get("locationsColumns")) if isinstance(i, int)]
    title = columns[linked] if 0 <= linked < len(columns) else None
    if not contest or not title:
        return None
    places = [p for i in located if 0 <= i < len(columns) for p in _cells(columns[i])]
    others = [c for i, c in enumerate(columns) if i != linked and i not in located and c]
    dated = next((c for c in others if re.search(r"\d{4}", c) and re.search(r"\d{1,2}", c)), None)
    return base.new_job(
        board, ctx,
        external_id=contest,
        title=title,
        url=f"https://{board.host}/careersection/{board.site}/jobdetail.ftl?job={contest}",
        location="; ".join(places) or None,
        locations=places or None,
        posted_text=dated,
    )


def parse_search(response: Response, board: Board, ctx: BoardContext, portal: str, page: int = 1,
                 seen: set[str] | None = None, last: int | None = None) -> Iterable[Any]:
    """Yield the new jobs of one search page and the next page, up to the page count."""
    data = base.load_json(response)
    if isinstance(data, dict) and data.get("careerSectionUnAvailable") is True:
        logger.info("taleo %s: the career section is unavailable (no such portal)", board.key)
        return
    if not isinstance(data, dict) or not isinstance(data.get("requisitionList"), list):
        raise base.BadResponse(f"Taleo answer without requisitionList from {response.url}")
    seen = set() if seen is None else seen
    if last is None:
        paging = base.as_dict(data.get("pagingData"))
        total, size = base.as_number(paging.get("totalCount")) or 0, base.as_number(paging.get("pageSize")) or 25
        last = min(-(-int(total) // max(int(size), 1)), _MAX_PAGES)
    rows = [r for r in data["requisitionList"] if isinstance(r, dict)
            and base.as_str(r.get("contestNo"), strip=True) not in seen]
    if ctx.max_jobs is not None:
        rows = rows[: max(ctx.max_jobs - len(seen), 0)]
    for row in rows:
        seen.add(base.as_str(row.get("contestNo"), strip=True) or "")
    yield from base.parse_each(rows, lambda r: parse_requisition(r, board, ctx), board, ctx,
                               id_keys=("contestNo", "jobId"))
    if page < last and (ctx.max_jobs is None or len(seen) < ctx.max_jobs):
        yield _search(board, ctx, portal, page + 1, seen=seen, last=last)


# --- Business Edition ----------------------------------------------------------------------------
def business_rows(html: str, page_url: str) -> list[dict]:
    """Return {id, title, url, department, location} of each row of a searchResults page."""
    try:
        root = lxml.html.fromstring(html)
    except (ValueError, lxml.etree.ParserError):
        raise base.BadResponse(f"unreadable Taleo page {page_url}") from None
    rows = []
    for head in root.xpath("//div[contains(concat(' ', normalize-space(@class), ' '), "
                           "' oracletaleocwsv2-accordion-head-info ')]"):
        link = head.xpath(".//a[contains(concat(' ', normalize-space(@class), ' '), ' viewJobLink ')][@href]")
        if not link:
            continue
        url = urljoin(page_url, link[0].get("href"))
        rid = (parse_qs(urlsplit(url).query).get("rid") or [""])[0]
        if not rid.isdigit():
            continue
        texts = [" ".join(d.text_content().split()) for d in head.xpath("./div")]
        texts = [x for x in texts if x]
        rows.append({"id": rid, "title": " ".join(link[0].text_content().split()), "url": url,
                     "department": texts[0] if len(texts) > 1 else None,
                     "location": texts[-1] if texts else None})
    return rows


def parse_business_page(response: Response, board: Board, ctx: BoardContext, seen: set[str] | None = None,
                        row_from: int = 1) -> Iterable[scrapy.Request]:
    """Yield a job-page request per new row and the next page while pages add new jobs."""
    seen = set() if seen is None else seen
    fresh = [r for r in business_rows(response.text, response.url) if r["id"] not in seen]
    if ctx.max_jobs is not None:
        fresh = fresh[: max(ctx.max_jobs - len(seen), 0)]
    for row in fresh:
        seen.add(row["id"])
        yield base.job_page_request(row["url"], board, ctx, row, business_job, base.jsonld_posting)
    if fresh and (ctx.max_jobs is None or len(seen) < ctx.max_jobs):
        following = row_from + len(fresh)
        yield base.api_request(f"{board.url}&rowFrom={following}", parse_business_page, board, ctx,
                               seen=seen, row_from=following)


def business_job(row: dict, board: Board, ctx: BoardContext, posting: dict | None = None) -> JobItem:
    """Return the JobItem of a Business Edition row, completed by its page's JobPosting."""
    posting = base.as_dict(posting)
    address = base.posting_address(posting)
    employment = posting.get("employmentType")
    if isinstance(employment, list):
        employment = ", ".join(e for e in employment if isinstance(e, str)) or None
    return base.new_job(
        board, ctx,
        external_id=row["id"],
        title=row["title"] or base.as_str(posting.get("title"), strip=True),
        url=row["url"],
        location=row.get("location"),
        city=base.as_str(address.get("addressLocality"), strip=True),
        region=base.as_str(address.get("addressRegion"), strip=True),
        country=base.posting_country(address),
        employment_type=base.as_str(employment),
        department=row.get("department"),
        posted_at=base.as_str(posting.get("datePosted"), strip=True),
        description_html=base.as_str(posting.get("description")),
    )
