"""Oracle Recruiting Cloud (Fusion HCM Candidate Experience): the public recruitingCE REST API.

Listing: GET https://{host}/hcmRestApi/resources/latest/recruitingCEJobRequisitions
?onlyData=true&expand=requisitionList.secondaryLocations&finder=findReqs;siteNumber={site},
limit=25,offset={n},sortBy=POSTING_DATES_DESC -> items[0] with TotalJobsCount and
requisitionList[] (Id, Title, PostedDate, PrimaryLocation, PrimaryLocationCountry, WorkplaceType,
secondaryLocations...). The listing carries no description and mostly null schedule fields, so
each job gets one detail call: GET .../recruitingCEJobRequisitionDetails?expand=all&onlyData=true
&finder=ById;Id="{Id}",siteNumber={site} -> items[0] (ExternalDescriptionStr,
ExternalResponsibilitiesStr, ExternalQualificationsStr, JobSchedule, ExternalPostedStartDate...).
About 1.04 requests per job. Built on recorded list and detail responses (Southern Company's
CX_1001 site, JPMorgan Chase's list); the query shape is the one Oracle's own career site sends.
A job's page: https://{host}/hcmUI/CandidateExperience/{lang}/sites/{site}/job/{Id}.
No slug probe: a board needs its pod host and site number.
"""
from __future__ import annotations

import logging
import re
from typing import Any, Iterable
from urllib.parse import parse_qs, unquote, urlsplit

import scrapy
from scrapy.http import Response

from jobos.ats import base
from jobos.ats.base import Board, BoardContext
from jobos.items import JobItem

logger = logging.getLogger(__name__)

NAME = "oracle"
# Registry data (see jobos.ats): where its URLs live, examples, widget markers, fields filled.
HOSTS = (".oraclecloud.com",)
# Candidate Experience also runs behind companies' own domains (same paths).
PATHS = (r"/hcmUI/CandidateExperience/", r"/hcmRestApi/resources/[^/]+/recruitingCEJobRequisition")
URL_SHAPES = (
    "https://acme.fa.us2.oraclecloud.com/hcmUI/CandidateExperience/en/sites/CX_1001",
    "https://acme.fa.us2.oraclecloud.com/hcmUI/CandidateExperience/en/sites/CX_1001/job/16280",
    "https://acme.fa.us2.oraclecloud.com/hcmRestApi/resources/latest/recruitingCEJobRequisitions"
    "?onlyData=true&finder=findReqs;siteNumber=CX_1001,limit=25",
)
EMBED_MARKERS: tuple[tuple[str, str], ...] = ()
FIELDS = (
    "external_id", "title", "url", "location", "country", "workplace", "employment_type",
    "department", "posted_at", "description_html",
)

PAGE_SIZE = 25
_SITE = re.compile(r"^[A-Za-z0-9_-]{1,40}$")
_SITE_IN_FINDER = re.compile(r"siteNumber=([A-Za-z0-9_-]+)")
_API = "/hcmRestApi/resources/latest"


def detect(url: str) -> Board | None:
    """Return the Board of a Candidate Experience page, job page or recruitingCE API URL, or None."""
    try:
        parts = urlsplit(url if "//" in url else f"https://{url}")
        host = (parts.hostname or "").lower()
    except ValueError:
        return None
    segs = [s for s in parts.path.split("/") if s]
    lowered = [s.lower() for s in segs]
    site = None
    if "candidateexperience" in lowered and "sites" in lowered:
        at = lowered.index("sites")
        site = segs[at + 1] if len(segs) > at + 1 else None
    elif any(s.startswith("recruitingcejobrequisition") for s in lowered):
        match = _SITE_IN_FINDER.search(unquote(parts.query))
        site = match.group(1) if match else None
    if not host or not site or not _SITE.match(site):
        return None
    return Board(NAME, f"{host}/{site}", f"https://{host}/hcmUI/CandidateExperience/en/sites/{site}",
                 host=host, site=site)


def list_url(board: Board, offset: int) -> str:
    """Return the listing URL of one page of the board's requisitions."""
    return (f"https://{board.host}{_API}/recruitingCEJobRequisitions?onlyData=true"
            f"&expand=requisitionList.secondaryLocations&finder=findReqs;siteNumber={board.site},"
            f"limit={PAGE_SIZE},offset={offset},sortBy=POSTING_DATES_DESC")


def detail_url(board: Board, job_id: str) -> str:
    """Return the detail URL of one requisition."""
    return (f"https://{board.host}{_API}/recruitingCEJobRequisitionDetails?expand=all&onlyData=true"
            f'&finder=ById;Id="{job_id}",siteNumber={board.site}')


def job_url(board: Board, job_id: str) -> str:
    return f"https://{board.host}/hcmUI/CandidateExperience/en/sites/{board.site}/job/{job_id}"


def start(board: Board, ctx: BoardContext) -> Iterable[scrapy.Request]:
    """Yield the first listing page's request."""
    yield base.api_request(list_url(board, 0), parse_listing, board, ctx, offset=0)


def listing(data: Any) -> tuple[list[dict], int | None]:
    """Return (requisitions, TotalJobsCount) of a listing answer; BadResponse when it is none."""
    items = base.as_list(base.as_dict(data).get("items"))
    if not isinstance(data, dict) or "items" not in data:
        raise base.BadResponse("Oracle answer has no items")
    search = base.as_dict(items[0]) if items else {}
    rows = [r for r in base.as_list(search.get("requisitionList")) if isinstance(r, dict)]
    total = base.as_number(search.get("TotalJobsCount"))
    return rows, int(total) if total is not None else None


def parse_listing(response: Response, board: Board, ctx: BoardContext, offset: int = 0
                  ) -> Iterable[scrapy.Request]:
    """Yield a detail request per requisition and the next page's request."""
    rows, total = listing(base.load_json(response))
    for index, row in enumerate(rows):
        if ctx.max_jobs is not None and offset + index >= ctx.max_jobs:
            return
        job_id = base.as_str(row.get("Id"), strip=True)
        if not job_id or not base.as_str(row.get("Title"), strip=True):
            logger.warning("%s: skipped a requisition without id or title", board.key)
            base.count_problem(ctx, "bad_job")
            continue
        request = base.api_request(detail_url(board, job_id), parse_detail, board, ctx, row=row)
        request.meta["handle_httpstatus_list"] = [404]
        yield request.replace(errback=detail_failed)
    following = offset + len(rows)
    if rows and following < (total or 0) and (ctx.max_jobs is None or following < ctx.max_jobs):
        yield base.api_request(list_url(board, following), parse_listing, board, ctx, offset=following)


def parse_detail(response: Response, board: Board, ctx: BoardContext, row: dict
                 ) -> Iterable[JobItem]:
    """Yield one job from its detail record (the listing row fills what is missing)."""
    if response.status == 404:
        yield parse_job(row, board, ctx)
        return
    try:
        data = base.load_json(response)
    except base.BadResponse:
        yield parse_job(row, board, ctx)
        raise
    detail = next((d for d in base.as_list(base.as_dict(data).get("items")) if isinstance(d, dict)), None)
    yield base.job_with_detail(lambda: parse_job(row, board, ctx, detail),
                               lambda: parse_job(row, board, ctx), board, ctx, response.url)


def detail_failed(failure: Any) -> Iterable[JobItem]:
    """Yield the listing-only job when a detail call failed for good (network, 5xx)."""
    kw = failure.request.cb_kwargs
    logger.warning("oracle %s: detail %s failed (%s); keeping the listing data",
                   kw["board"].key, failure.request.url, failure.value)
    yield parse_job(kw["row"], kw["board"], kw["ctx"])


def _description(record: dict) -> str | None:
    parts = [base.as_str(record.get(key)) for key in
             ("ExternalDescriptionStr", "ExternalResponsibilitiesStr", "ExternalQualificationsStr")]
    return "\n".join(p for p in parts if p) or None


def parse_job(row: dict, board: Board, ctx: BoardContext, detail: dict | None = None) -> JobItem:
    """Return the JobItem of a listing row, completed by its detail record when there is one."""
    merged = {**row, **{k: v for k, v in base.as_dict(detail).items() if v not in (None, "", [])}}
    text = lambda key: base.as_str(merged.get(key), strip=True)  # noqa: E731
    job_id = text("Id")
    location = text("PrimaryLocation")
    locations = [location] if location else []
    for extra in base.as_list(merged.get("secondaryLocations")):
        name = base.as_str(base.as_dict(extra).get("Name"), strip=True)
        if name and name not in locations:
            locations.append(name)
    return base.new_job(
        board, ctx,
        external_id=job_id,
        title=text("Title"),
        url=job_url(board, job_id),
        location=location,
        locations=locations or None,
        # A job in several places is not in one country; the normalizer decides from them.
        country=text("PrimaryLocationCountry") if len(locations) <= 1 else None,
        remote_flag=text("WorkplaceType"),
        employment_type=text("JobSchedule"),
        department=(text("Department") or text("Organization") or text("JobFamily")
                    or text("Category")),
        posted_at=text("ExternalPostedStartDate") or text("PostedDate"),
        description_html=_description(merged) or text("ShortDescriptionStr"),
    )
