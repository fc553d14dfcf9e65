"""UKG Pro Recruiting (UltiPro) job boards: the board's own LoadSearchResults JSON search.

POST https://{host}/{TENANT}/JobBoard/{board guid}/JobBoardView/LoadSearchResults with
{"opportunitySearch": {"Top": 50, "Skip": n, "QueryString": "", "Filters": [], "OrderBy":
[postedDateDesc]}, "matchCriteria": {...empty lists}} -> {opportunities: [{Id, Title,
RequisitionNumber, FullTime, JobCategoryName, Locations: [{Address: {City, State: {Code},
Country: {Code}}, LocalizedDescription}], PostedDate, BriefDescription}], totalCount}.
A job's page: .../OpportunityDetail?opportunityId={Id}; apply: .../OpportunityApply?...
One request per 50 jobs (~0.02 requests per job); the listing's BriefDescription is the
description (the full text lives only in the detail page's script).
Format source: open projects that read these boards (request body and answer fields as they
send and parse them; one keeps a recorded Nikon Precision answer as a test fixture, whose shape
the stand-in copies). No recording in our corpus: not yet checked against a real answer.
"""
from __future__ import annotations

import logging
import re
from typing import Any, Iterable
from urllib.parse import urlsplit

import scrapy
from scrapy.http import Response

from jobos.ats import base
from jobos.ats.base import Board, BoardContext
from jobos.items import JobItem

logger = logging.getLogger(__name__)

NAME = "ukg"
# Registry data (see jobos.ats): where its URLs live, examples, widget markers, fields filled.
HOSTS = (".ultipro.com", ".ultipro.ca", ".rec.pro.ukg.net")
PATHS: tuple[str, ...] = ()
URL_SHAPES = (
    "https://recruiting.ultipro.com/ACM1001ACME/JobBoard/dcc5dbea-875e-4cd1-bfd2-8e046cecc54f/",
    "https://recruiting2.ultipro.com/ACM1001ACME/JobBoard/dcc5dbea-875e-4cd1-bfd2-8e046cecc54f"
    "/OpportunityDetail?opportunityId=532a7dc9-0000-4000-8000-000000000001",
    "https://acme.rec.pro.ukg.net/ACM1001ACME/JobBoard/dcc5dbea-875e-4cd1-bfd2-8e046cecc54f/",
)
EMBED_MARKERS: tuple[tuple[str, str], ...] = ()
FIELDS = (
    "external_id", "title", "url", "apply_url", "location", "city", "region", "country",
    "employment_type", "department", "posted_at", "description_html",
)

PAGE_SIZE = 50
_TENANT = re.compile(r"^[A-Za-z0-9]{3,40}$")
_GUID = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")


def detect(url: str) -> Board | None:
    """Return the Board of a UKG job board, job or search URL, or None."""
    try:
        parts = urlsplit(url if "//" in url else f"https://{url}")
        host = (parts.hostname or "").lower()
    except ValueError:
        return None
    segs = [s for s in parts.path.split("/") if s]
    if not host.endswith(HOSTS) or len(segs) < 3 or segs[1].lower() != "jobboard":
        return None
    tenant, guid = segs[0], segs[2].lower()
    if not _TENANT.match(tenant) or not _GUID.match(guid):
        return None
    return Board(NAME, f"{tenant}/{guid}", f"https://{host}/{tenant}/JobBoard/{guid}", host=host,
                 site=tenant)


def search_body(skip: int) -> dict:
    """Return the search body the board's own page sends, for one page."""
    return {"opportunitySearch": {"Top": PAGE_SIZE, "Skip": skip, "QueryString": "", "Filters": [],
                                  "OrderBy": [{"Value": "postedDateDesc", "PropertyName": "PostedDate",
                                               "Ascending": False}]},
            "matchCriteria": {"PreferredJobs": [], "Educations": [], "LicenseAndCertifications": [],
                              "Skills": [], "hasNoLicenses": False, "SkippedSkills": []}}


def _search(board: Board, ctx: BoardContext, skip: int) -> scrapy.Request:
    return base.api_request(f"{board.url}/JobBoardView/LoadSearchResults", parse_search, board, ctx,
                            method="POST", json_body=search_body(skip), skip=skip)


def start(board: Board, ctx: BoardContext) -> Iterable[scrapy.Request]:
    """Yield the first search page's request."""
    yield _search(board, ctx, 0)


def _place(location: dict) -> tuple[str | None, str | None, str | None, str | None]:
    """Return (text, city, region, country code) of one Locations entry."""
    address = base.as_dict(location.get("Address"))
    city = base.as_str(address.get("City"), strip=True)
    region = base.as_str(base.as_dict(address.get("State")).get("Code"), strip=True)
    country = base.as_str(base.as_dict(address.get("Country")).get("Code"), strip=True)
    described = (base.as_str(location.get("LocalizedDescription"), strip=True)
                 or base.as_str(location.get("LocalizedName"), strip=True))
    # "Chandler, AZ" from the address; without a city the description names the place
    # ("Phoenix, AZ"), where the address holds only a state.
    text = ", ".join(x for x in (city, region, country) if x) if city else (described or region)
    return text, city, region, country


def parse_opportunity(item: dict, board: Board, ctx: BoardContext) -> JobItem | None:
    """Return the JobItem of one opportunity, or None without id or title."""
    job_id, title = base.as_str(item.get("Id"), strip=True), base.as_str(item.get("Title"), strip=True)
    if not job_id or not title:
        return None
    places = [_place(base.as_dict(x)) for x in base.as_list(item.get("Locations"))]
    places = [p for p in places if p[0]]
    one = places[0] if len(places) == 1 else (None, None, None, None)
    full_time = item.get("FullTime")
    country = one[3]
    return base.new_job(
        board, ctx,
        external_id=job_id,
        title=title,
        url=f"{board.url}/OpportunityDetail?opportunityId={job_id}",
        apply_url=f"{board.url}/OpportunityApply?opportunityId={job_id}",
        location="; ".join(p[0] for p in places) or None,
        locations=[p[0] for p in places] or None,
        city=one[1], region=one[2],
        # UKG writes ISO alpha-3 (USA) on some boards; only a two-letter code is a country here.
        country=country.upper() if country and len(country) == 2 else None,
        employment_type="FULL_TIME" if full_time is True else "PART_TIME" if full_time is False else None,
        department=base.as_str(item.get("JobCategoryName"), strip=True),
        posted_at=base.as_str(item.get("PostedDate"), strip=True),
        description_html=base.as_str(item.get("BriefDescription")),
    )


def parse_search(response: Response, board: Board, ctx: BoardContext, skip: int = 0) -> Iterable[Any]:
    """Yield the jobs of one search page and the next page's request."""
    data = base.load_json(response)
    if not isinstance(data, dict) or not isinstance(data.get("opportunities"), list):
        raise base.BadResponse(f"UKG answer without opportunities from {response.url}")
    rows = [o for o in data["opportunities"] if isinstance(o, dict)]
    if ctx.max_jobs is not None:
        rows = rows[: max(ctx.max_jobs - skip, 0)]
    yield from base.parse_each(rows, lambda o: parse_opportunity(o, board, ctx), board, ctx, id_keys=("Id",))
    total = base.as_number(data.get("totalCount")) or 0
    following = skip + len(data["opportunities"])
    if rows and following < total and (ctx.max_jobs is None or following < ctx.max_jobs):
        yield _search(board, ctx, following)
