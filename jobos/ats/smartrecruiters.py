"""SmartRecruiters: the public Posting API (api.smartrecruiters.com/v1/companies/{id}/postings).

The listing pages with offset/limit (100 at most) and `totalFound`, and can filter by `country`
(lower-case ISO code). The job ad (description sections) is only in the per-posting detail, so
one detail call per job: ~1.01 requests per job.
"""
from __future__ import annotations

import logging
import re
from typing import Any, Iterable
from urllib.parse import quote, urlencode, urlsplit

import scrapy
from scrapy.http import Response

from jobos.ats import base
from jobos.ats.base import Board, BoardContext, ProbeResult
from jobos.items import JobItem
from jobos.normalize.countries import country_code

logger = logging.getLogger(__name__)

NAME = "smartrecruiters"
# Registry data (see jobos.ats): where its URLs live, examples, widget markers, fields filled.
HOSTS = (
    "api.smartrecruiters.com",
    "jobs.smartrecruiters.com",
    "careers.smartrecruiters.com",
    "www.smartrecruiters.com",
    "smartrecruiters.com",
)
PATHS: tuple[str, ...] = ()
URL_SHAPES = (
    "https://jobs.smartrecruiters.com/Acme",
    "https://careers.smartrecruiters.com/Acme",
    "https://api.smartrecruiters.com/v1/companies/Acme/postings",
)
EMBED_MARKERS: tuple[tuple[str, str], ...] = (
    (r"""smartrecruiters[\s\S]{0,400}?company_name\s*:\s*["']([\w.-]+)["']""",
     "https://jobs.smartrecruiters.com/{}"),
)
FIELDS = (
    "external_id", "title", "url", "apply_url", "location", "city", "region", "country",
    "department", "employment_type", "workplace", "posted_at", "description_html",
)
API = "https://api.smartrecruiters.com/v1/companies"
PAGE_SIZE = 100

_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")
# First path segments on jobs.smartrecruiters.com that are not company identifiers.
_NOT_COMPANIES = {"oneclick-ui", "external-referrals", "sr-jobs", "ni", "static", "api", "assets",
                  "robots.txt", "favicon.ico", "sitemap.xml"}
# The order in which a job ad's sections read on the public page.
SECTIONS = ("companyDescription", "jobDescription", "qualifications", "additionalInformation")


def detect(url: str) -> Board | None:
    """Return the SmartRecruiters Board for a career page, job page or Posting API URL, or None."""
    try:
        parts = urlsplit(url if "//" in url else f"https://{url}")
    except ValueError:
        return None
    host = (parts.hostname or "").lower()
    segs = [s for s in parts.path.split("/") if s]
    company = None
    if host == "api.smartrecruiters.com":
        if len(segs) >= 3 and segs[0] == "v1" and segs[1] == "companies":
            company = segs[2]
    elif host in ("jobs.smartrecruiters.com", "careers.smartrecruiters.com",
                  "www.smartrecruiters.com", "smartrecruiters.com"):
        if len(segs) >= 3 and segs[0] in ("oneclick-ui", "external-referrals") and segs[1] == "company":
            company = segs[2]
        elif segs and segs[0].lower() not in _NOT_COMPANIES and host != "www.smartrecruiters.com":
            company = segs[0]
        elif len(segs) >= 2 and host == "www.smartrecruiters.com" and segs[0] == "company":
            company = segs[1]
    if not company or not _ID.match(company):
        return None
    return board_for(company)


def board_for(company: str) -> Board:
    """Return the Board of a company identifier."""
    return Board(ats=NAME, token=company, url=f"https://careers.smartrecruiters.com/{company}")


def _list_request(board: Board, ctx: BoardContext, offset: int, callback: Any = None,
                  country: str | None = None) -> scrapy.Request:
    query = {"offset": offset, "limit": PAGE_SIZE}
    if country:
        query["country"] = country.lower()
    return base.api_request(f"{API}/{board.token}/postings?{urlencode(query)}",
                            callback or parse_listing, board, ctx, offset=offset)


def start(board: Board, ctx: BoardContext) -> Iterable[scrapy.Request]:
    """Yield the first listing request, filtered by the API to ctx.country when set."""
    yield _list_request(board, ctx, 0, country=ctx.country)


def parse_listing(response: Response, board: Board, ctx: BoardContext, offset: int = 0
                  ) -> Iterable[scrapy.Request]:
    """Yield a detail request per posting on this page, and the next page's request."""
    data = base.load_json(response)
    if not isinstance(data, dict):
        raise base.BadResponse(f"unexpected SmartRecruiters listing from {response.url}")
    yield from _page_requests(data, board, ctx, offset, country=ctx.country)


def _page_requests(data: dict, board: Board, ctx: BoardContext, offset: int,
                   country: str | None) -> list[scrapy.Request]:
    requests = []
    postings = [p for p in base.as_list(data.get("content"))
                if isinstance(p, dict) and base.as_str(p.get("id"), strip=True)]
    for index, posting in enumerate(postings):
        if ctx.max_jobs is not None and offset + index >= ctx.max_jobs:
            return requests
        requests.append(detail_request(posting, board, ctx))
    total = data.get("totalFound") if isinstance(data.get("totalFound"), int) else 0
    following = offset + PAGE_SIZE
    if postings and following < total and (ctx.max_jobs is None or following < ctx.max_jobs):
        requests.append(_list_request(board, ctx, following, country=country))
    return requests


def detail_request(posting: dict, board: Board, ctx: BoardContext) -> scrapy.Request:
    """Return the posting-detail GET; if it fails the listing's fields are kept."""
    posting_id = quote(base.as_str(posting.get("id"), strip=True) or "", safe="")
    request = base.api_request(f"{API}/{board.token}/postings/{posting_id}", parse_detail,
                               board, ctx, posting=posting)
    request.meta["handle_httpstatus_list"] = [404, 410]
    return request.replace(errback=detail_failed)


def parse_detail(response: Response, board: Board, ctx: BoardContext, posting: dict
                 ) -> Iterable[JobItem]:
    """Yield one job from its posting detail (jobAd sections), the listing filling gaps."""
    if response.status in (404, 410):
        yield job_from_posting(posting, board, ctx)
        return
    try:
        detail = base.load_json(response)
    except base.BadResponse:
        yield job_from_posting(posting, board, ctx)
        raise
    merged = {**posting, **detail} if isinstance(detail, dict) else posting
    yield base.job_with_detail(lambda: job_from_posting(merged, board, ctx),
                               lambda: job_from_posting(posting, board, ctx), board, ctx, response.url)


def detail_failed(failure: Any) -> Iterable[JobItem]:
    """Yield the listing-only job when the detail call failed for good."""
    kw = failure.request.cb_kwargs
    logger.warning("smartrecruiters %s: detail %s failed (%s); keeping the listing data",
                   kw["board"].key, failure.request.url, failure.value)
    yield job_from_posting(kw["posting"], kw["board"], kw["ctx"])


def description_html(posting: dict) -> str | None:
    """Return the job ad's sections as one HTML document (headings + section HTML), or None."""
    sections = base.as_dict(base.as_dict(posting.get("jobAd")).get("sections"))
    parts = []
    for key in SECTIONS + tuple(k for k in sections if k not in SECTIONS):
        section = base.as_dict(sections.get(key))
        text = base.as_str(section.get("text"))
        if text:
            title = base.as_str(section.get("title"))
            parts.append((f"<h2>{title}</h2>" if title else "") + text)
    return "\n".join(parts) or None


def job_from_posting(posting: dict, board: Board, ctx: BoardContext) -> JobItem:
    """Return a JobItem from a listing posting or a posting detail."""
    loc = base.as_dict(posting.get("location"))
    posting_id = base.as_str(posting.get("id"), strip=True)
    company = base.as_str(base.as_dict(posting.get("company")).get("identifier"), strip=True) or board.token
    url = base.as_str(posting.get("postingUrl")) or f"https://jobs.smartrecruiters.com/{company}/{posting_id}"
    label = lambda key: base.as_str(base.as_dict(posting.get(key)).get("label"))  # noqa: E731
    if loc.get("remote"):
        remote: Any = True
    elif loc.get("hybrid"):
        remote = "hybrid"
    else:
        remote = False if "remote" in loc else None
    return base.new_job(
        board, ctx,
        external_id=posting_id,
        title=base.as_str(posting.get("name"), strip=True),
        url=url,
        apply_url=base.as_str(posting.get("applyUrl")),
        location=_full_location(loc),
        locations=[_full_location(loc)] if _full_location(loc) else None,
        city=base.as_str(loc.get("city")),
        region=base.as_str(loc.get("region")),
        country=country_code(base.as_str(loc.get("country"))),
        remote_flag=remote,
        employment_type=label("typeOfEmployment"),
        department=label("department"),
        posted_at=base.as_str(posting.get("releasedDate")),
        description_html=description_html(posting),
    )


def _full_location(loc: dict) -> str | None:
    text = loc.get("fullLocation")
    if isinstance(text, str):
        # "Warsaw, , Poland": an empty region leaves a hole in the published text.
        return ", ".join(p.strip() for p in text.split(",") if p.strip()) or None
    parts = [loc.get(k) for k in ("city", "region", "country")]
    return ", ".join(p for p in parts if isinstance(p, str) and p) or None


def probe(slug: str, ctx: BoardContext) -> scrapy.Request | None:
    """Return a listing request for a guessed company identifier."""
    return base.as_probe(_list_request(board_for(slug), ctx, 0, callback=parse_probe), (400, 404))


def parse_probe(response: Response, board: Board, ctx: BoardContext, offset: int = 0
                ) -> Iterable[ProbeResult]:
    """Yield one ProbeResult: job count, company names, and the detail/paging requests."""
    if response.status != 200:
        yield ProbeResult(board, 0)
        return
    data = base.load_json(response)
    if not isinstance(data, dict):
        yield ProbeResult(board, 0)
        return
    names = sorted({name for p in base.as_list(data.get("content")) if isinstance(p, dict)
                    for name in [base.as_str(base.as_dict(p.get("company")).get("name"))] if name})
    total = data.get("totalFound") if isinstance(data.get("totalFound"), int) else 0
    yield ProbeResult(board, total, names=names,
                      follow=_page_requests(data, board, ctx, 0, country=None))
