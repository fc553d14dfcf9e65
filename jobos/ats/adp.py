"""ADP Workforce Now career centers: the public job-requisitions JSON behind recruitment.html.

A board is an ADP client (`cid`) and one of its career centers (`ccId`), both in the board URL
https://workforcenow.adp.com/mascsr/default/mdf/recruitment/recruitment.html?cid=...&ccId=...
List: GET https://workforcenow.adp.com/mascsr/default/careercenter/public/events/staffing/v1/
job-requisitions?cid=&ccId=&lang=en_US&locale=en_US&$top=100&$skip=N -> {jobRequisitions:
[{itemID, requisitionTitle, requisitionLocations: [{nameCode: {shortName}, address: {cityName,
countrySubdivisionLevel1: {codeValue}, countryCode}}], postDate, workLevelCode: {shortName},
customFieldGroup: {stringFields: [{nameCode: {codeValue: "ExternalJobID"}, stringValue}]}}],
meta: {totalNumber}}; paging by rows received (some readers see 20 a page). Detail:
.../job-requisitions/{itemID}?... -> the requisition with requisitionDescription (HTML); one per
job (~1.01-1.05 requests per job). A job's page: recruitment.html?cid&ccId&jobId={ExternalJobID,
else itemID} (readers differ on which id the page takes).
Format source: open projects that read the endpoint; not yet checked against a recorded answer.
"""
from __future__ import annotations

import logging
import re
from typing import Any, Iterable
from urllib.parse import parse_qs, quote, urlsplit

import scrapy
from scrapy.http import Response

from jobos.ats import base
from jobos.ats.base import Board, BoardContext
from jobos.items import JobItem

logger = logging.getLogger(__name__)

NAME = "adp"
# Registry data (see jobos.ats): where its URLs live, examples, widget markers, fields filled.
HOSTS = ("workforcenow.adp.com", "workforcenow.cloud.adp.com")
PATHS: tuple[str, ...] = ()
URL_SHAPES = (
    "https://workforcenow.adp.com/mascsr/default/mdf/recruitment/recruitment.html"
    "?cid=2e4e5521-e8a5-4572-9ffd-3c8e382ee6f2&ccId=19000101_000001",
    "https://workforcenow.adp.com/mascsr/default/mdf/recruitment/recruitment.html"
    "?cid=2e4e5521-e8a5-4572-9ffd-3c8e382ee6f2&ccId=19000101_000001&jobId=583650&lang=en_US",
)
EMBED_MARKERS: tuple[tuple[str, str], ...] = ()
FIELDS = (
    "external_id", "title", "url", "location", "city", "region", "country", "employment_type",
    "posted_at", "description_html",
)

PAGE_SIZE = 100
_CID = re.compile(r"^[0-9a-fA-F-]{8,64}$")
_CCID = re.compile(r"^[0-9A-Za-z_]{1,40}$")
_API = "/mascsr/default/careercenter/public/events/staffing/v1/job-requisitions"


def detect(url: str) -> Board | None:
    """Return the Board of a Workforce Now career-center URL (it must name cid), or None."""
    try:
        parts = urlsplit(url if "//" in url else f"https://{url}")
        host = (parts.hostname or "").lower()
    except ValueError:
        return None
    if host not in HOSTS or not parts.path.startswith("/mascsr/"):
        return None
    query = parse_qs(parts.query)
    cid = (query.get("cid") or [""])[0].strip()
    cc_id = (query.get("ccId") or ["19000101_000001"])[0].strip()
    if not _CID.match(cid) or not _CCID.match(cc_id):
        return None
    cid = cid.lower()
    return Board(NAME, f"{cid}/{cc_id}",
                 f"https://{host}/mascsr/default/mdf/recruitment/recruitment.html?cid={cid}&ccId={cc_id}",
                 host=host, site=cc_id)


def _cid(board: Board) -> str:
    return board.token.split("/", 1)[0]


def _query(board: Board) -> str:
    return f"cid={_cid(board)}&ccId={board.site}&lang=en_US&locale=en_US"


def list_url(board: Board, skip: int) -> str:
    return f"https://{board.host}{_API}?{_query(board)}&$top={PAGE_SIZE}&$skip={skip}"


def detail_url(board: Board, item_id: str) -> str:
    return f"https://{board.host}{_API}/{quote(item_id, safe='')}?{_query(board)}"


def start(board: Board, ctx: BoardContext) -> Iterable[scrapy.Request]:
    """Yield the first list request."""
    yield base.api_request(list_url(board, 0), parse_list, board, ctx, skip=0)


def parse_list(response: Response, board: Board, ctx: BoardContext, skip: int = 0) -> Iterable[scrapy.Request]:
    """Yield a detail request per requisition and the next page's request."""
    data = base.load_json(response)
    if not isinstance(data, dict) or not isinstance(data.get("jobRequisitions"), list):
        raise base.BadResponse(f"ADP answer without jobRequisitions from {response.url}")
    rows = [r for r in data["jobRequisitions"] if isinstance(r, dict)]
    if ctx.max_jobs is not None:
        rows = rows[: max(ctx.max_jobs - skip, 0)]
    for row in rows:
        item_id = base.as_str(row.get("itemID"), strip=True)
        if not item_id or not base.as_str(row.get("requisitionTitle"), strip=True):
            logger.warning("%s: skipped a requisition without id or title", board.key)
            base.count_problem(ctx, "bad_job")
            continue
        request = base.api_request(detail_url(board, item_id), parse_detail, board, ctx, row=row)
        request.meta["handle_httpstatus_list"] = [404]
        yield request.replace(errback=detail_failed)
    total = base.as_number(base.as_dict(data.get("meta")).get("totalNumber")) or 0
    following = skip + len(data["jobRequisitions"])
    if rows and following < total and (ctx.max_jobs is None or following < ctx.max_jobs):
        yield base.api_request(list_url(board, following), parse_list, board, ctx, skip=following)


def parse_detail(response: Response, board: Board, ctx: BoardContext, row: dict) -> Iterable[JobItem]:
    """Yield one job from its requisition detail (the list row fills what is missing)."""
    if response.status == 404:
        yield parse_requisition(row, board, ctx)
        return
    try:
        detail = base.as_dict(base.load_json(response))
    except base.BadResponse:
        yield parse_requisition(row, board, ctx)
        raise
    yield base.job_with_detail(lambda: parse_requisition(row, board, ctx, detail),
                               lambda: parse_requisition(row, board, ctx), board, ctx, response.url)


def detail_failed(failure: Any) -> Iterable[JobItem]:
    """Yield the list-only job when a detail call failed for good (network, 5xx)."""
    kw = failure.request.cb_kwargs
    logger.warning("adp %s: detail %s failed (%s); keeping the list data", kw["board"].key,
                   failure.request.url, failure.value)
    yield parse_requisition(kw["row"], kw["board"], kw["ctx"])


def _external_id(row: dict) -> str | None:
    fields = base.as_list(base.as_dict(row.get("customFieldGroup")).get("stringFields"))
    for field in fields:
        field = base.as_dict(field)
        if base.as_dict(field.get("nameCode")).get("codeValue") == "ExternalJobID":
            return base.as_str(field.get("stringValue"), strip=True)
    return None


def _place(location: dict) -> tuple[str | None, str | None, str | None, str | None]:
    address = base.as_dict(location.get("address"))
    city = base.as_str(address.get("cityName"), strip=True)
    region = base.as_str(base.as_dict(address.get("countrySubdivisionLevel1")).get("codeValue"), strip=True)
    country = base.as_str(address.get("countryCode"), strip=True)
    name = base.as_str(base.as_dict(location.get("nameCode")).get("shortName"), strip=True)
    return name or ", ".join(x for x in (city, region, country) if x) or None, city, region, country


def parse_requisition(row: dict, board: Board, ctx: BoardContext, detail: dict | None = None) -> JobItem:
    """Return the JobItem of a requisition (list row, completed by its detail)."""
    merged = {**row, **{k: v for k, v in base.as_dict(detail).items() if v not in (None, "", [], {})}}
    item_id = base.as_str(merged.get("itemID"), strip=True)
    page_id = _external_id(merged) or item_id
    places = [_place(base.as_dict(x)) for x in base.as_list(merged.get("requisitionLocations"))]
    places = [p for p in places if p[0]]
    one = places[0] if len(places) == 1 else (None, None, None, None)
    return base.new_job(
        board, ctx,
        external_id=item_id,
        title=base.as_str(merged.get("requisitionTitle"), strip=True),
        url=f"{board.url}&jobId={quote(page_id, safe='')}&lang=en_US",
        location="; ".join(p[0] for p in places) or None,
        locations=[p[0] for p in places] or None,
        city=one[1], region=one[2],
        country=one[3].upper() if one[3] and len(one[3]) == 2 else None,
        employment_type=base.as_str(base.as_dict(merged.get("workLevelCode")).get("shortName"), strip=True),
        posted_at=base.as_str(merged.get("postDate"), strip=True),
        description_html=base.as_str(merged.get("requisitionDescription")),
    )
