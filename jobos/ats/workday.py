"""Workday: the candidate-experience (cxs) JSON API behind every myworkdayjobs.com career site.

Listing: POST https://{host}/wday/cxs/{tenant}/{site}/jobs, 20 postings per page (the hard
maximum), `total` and `facets` only reliable on the first page. Detail: GET
https://{host}/wday/cxs/{tenant}/{site}{externalPath} -> jobPostingInfo (description, timeType,
country, remoteType, startDate...). One detail call per job, so ~1.05 requests per job.

Large boards: the listing answers no rows past offset 2,000 (and some boards report `total` as
2,000 whatever their size). When `total` reaches that cap, the search is split by one of the
board's facets (the one whose value counts add up to the most: every job has a location, not
every job a time type), each value read as its own search; a value still at the cap is split
again by another facet, recursively. Slices overlap (a job listed under two locations appears in
both): one set of seen postings per board read keeps one detail call per job. With a country,
the country facet narrows the search first, as before.
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
from jobos.normalize.countries import country_code

logger = logging.getLogger(__name__)

NAME = "workday"
# Registry data (see jobos.ats): where its URLs live, examples, widget markers, fields filled.
HOSTS = (
    ".myworkdayjobs.com",
    ".myworkdayjobs-impl.com",
    ".myworkdaysite.com",
)
PATHS: tuple[str, ...] = ()
URL_SHAPES = (
    "https://acme.wd5.myworkdayjobs.com/en-US/External",
    "https://acme.wd5.myworkdayjobs.com/External/job/Berlin/Engineer_JR-1",
    "https://acme.wd5.myworkdayjobs.com/wday/cxs/acme/External/jobs",
    "https://wd3.myworkdaysite.com/recruiting/acme/External",
)
EMBED_MARKERS: tuple[tuple[str, str], ...] = ()
FIELDS = (
    "external_id", "title", "url", "apply_url", "location", "country", "employment_type",
    "workplace", "posted_at", "description_html",
)
PAGE_SIZE = 20  # Workday answers 400 to a larger limit
CAP = 2000  # the listing answers no rows past this offset

_JOBS_HOST = re.compile(r"^(?P<tenant>[a-z0-9][a-z0-9_-]*)\.(?P<wd>wd\d+)\.myworkdayjobs(?:-impl)?\.com$", re.I)
_SITE_HOST = re.compile(r"^(?P<wd>wd\d+)\.myworkdaysite\.com$", re.I)
# A bare language segment ("en-US", "fr", "zh-cn") in front of the site name.
_LANG = re.compile(r"^[a-z]{2}(?:-[a-z]{2,4})?$", re.I)
# Path words that follow the site name or are not site names themselves.
_NOT_SITES = {"wday", "details", "apply", "login", "assets", "userhome"}


def detect(url: str) -> Board | None:
    """Return the Workday Board for a career-site, job, cxs API or myworkdaysite URL, or None."""
    try:
        parts = urlsplit(url if "//" in url else f"https://{url}")
    except ValueError:
        return None
    host = (parts.hostname or "").lower()
    segs = [s for s in parts.path.split("/") if s]
    m = _JOBS_HOST.match(host)
    if m:
        tenant, wd = m.group("tenant").lower(), m.group("wd").lower()
        if len(segs) >= 4 and segs[0] == "wday" and segs[1] == "cxs":
            return _board(host, tenant, wd, segs[3])
        if segs and _LANG.match(segs[0]):
            segs = segs[1:]
        if not segs or segs[0].lower() in _NOT_SITES:
            return None  # "https://acme.wd5.myworkdayjobs.com/en-US": no career site named
        return _board(host, tenant, wd, segs[0])
    m = _SITE_HOST.match(host)
    if m:
        wd = m.group("wd").lower()
        if len(segs) >= 4 and segs[0] == "wday" and segs[1] == "cxs":
            return _board(host, segs[2].lower(), wd, segs[3])
        if segs and _LANG.match(segs[0]):
            segs = segs[1:]
        if len(segs) >= 3 and segs[0].lower() == "recruiting":
            return _board(host, segs[1].lower(), wd, segs[2])
    return None


def _board(host: str, tenant: str, wd: str, site: str) -> Board:
    if host.endswith(".myworkdaysite.com"):
        human = f"https://{host}/recruiting/{tenant}/{site}"
    else:
        human = f"https://{host}/{site}"
    return Board(ats=NAME, token=f"{tenant}/{wd}/{site}", url=human, host=host, site=site)


def _tenant(board: Board) -> str:
    return board.token.split("/", 1)[0]


def _api_base(board: Board) -> str:
    return f"https://{board.host}/wday/cxs/{_tenant(board)}/{board.site}"


def _list_request(board: Board, ctx: BoardContext, offset: int, facets: dict[str, list[str]],
                  seen: set[str], **kw: Any) -> scrapy.Request:
    body = {"appliedFacets": facets, "limit": PAGE_SIZE, "offset": offset, "searchText": ""}
    return base.api_request(f"{_api_base(board)}/jobs", parse_listing, board, ctx, method="POST",
                            json_body=body, offset=offset, facets=facets, seen=seen, **kw)


def start(board: Board, ctx: BoardContext) -> Iterable[scrapy.Request]:
    """Yield the first listing request (no facets; the country facet is chosen from its answer)."""
    yield _list_request(board, ctx, 0, {}, set())


def country_facet(facets: Any, country: str) -> tuple[str, list[str]] | None:
    """Return (facetParameter, value ids) of the board's country facet for an ISO country.

    Returns ("param", []) when the board has a country facet but no value for that country,
    and None when it offers no country facet at all. Facets may be nested (locationMainGroup).
    """
    found: tuple[str, list[str]] | None = None
    for facet in _walk_facets(facets):
        param = str(facet.get("facetParameter") or "")
        if "country" not in param.lower():
            continue
        ids = [
            str(v["id"]) for v in base.as_list(facet.get("values"))
            if isinstance(v, dict) and base.as_str(v.get("id"))
            and country_code(base.as_str(v.get("descriptor"))) == country
        ]
        if ids:
            return param, ids
        found = found or (param, [])
    return found


def _walk_facets(facets: Any) -> Iterable[dict]:
    for facet in facets if isinstance(facets, list) else []:
        if not isinstance(facet, dict):
            continue
        values = base.as_list(facet.get("values"))
        if any(isinstance(v, dict) and "values" in v for v in values):
            yield from _walk_facets(values)  # a group of facets, not a facet
        else:
            yield facet


def split_facet(facets: Any, applied: dict[str, list[str]]) -> tuple[str, list[tuple[str, int]]] | None:
    """Return (facetParameter, [(value id, count)]) to split a capped search by, or None.

    The facet not yet applied whose value counts add up to the most is chosen: it covers the
    most jobs (a job without a time type is in no time-type slice; every job has a location).
    """
    best: tuple[int, str, list[tuple[str, int]]] | None = None
    for facet in _walk_facets(facets):
        param = base.as_str(facet.get("facetParameter"), strip=True)
        if not param or param in applied:
            continue
        values = []
        for value in base.as_list(facet.get("values")):
            if not isinstance(value, dict):
                continue
            value_id, count = base.as_str(value.get("id"), strip=True), _int(value.get("count"))
            if value_id and count:
                values.append((value_id, count))
        if len(values) < 2:
            continue  # one value does not narrow the search
        covered = sum(count for _, count in values)
        if best is None or covered > best[0]:
            best = (covered, param, values)
    return (best[1], best[2]) if best else None


def parse_listing(response: Response, board: Board, ctx: BoardContext, offset: int = 0,
                  facets: dict | None = None, total: int | None = None,
                  seen: set[str] | None = None) -> Iterable[scrapy.Request]:
    """Yield detail requests for a listing page, the next page, or the narrower searches.

    Narrower searches: the country facet with a country; facet slices when `total` reaches CAP.
    """
    data = base.load_json(response)
    if not isinstance(data, dict):
        raise base.BadResponse(f"unexpected Workday listing from {response.url}")
    facets = facets or {}
    seen = set() if seen is None else seen
    if offset == 0 and ctx.country and not facets:
        chosen = country_facet(data.get("facets"), ctx.country.upper())
        if chosen is not None:
            param, ids = chosen
            if not ids:
                logger.info("workday %s: no jobs in %s by its country facet", board.key, ctx.country)
                return
            # Re-read the board filtered to the country, so a huge board is not read whole.
            yield _list_request(board, ctx, 0, {param: ids}, seen)
            return
    if offset == 0 or total is None:
        total = _int(data.get("total"))
    if offset == 0 and (total or 0) >= CAP:
        split = split_facet(data.get("facets"), facets)
        if split is not None:
            param, values = split
            logger.info("workday %s: %s jobs reach the %d-row cap; reading %d slices by %s",
                        board.key, total, CAP, len(values), param)
            if ctx.stats is not None:
                ctx.stats.inc_value("jobos/workday/slices", len(values))
            for value_id, _count in values:
                yield _list_request(board, ctx, 0, {**facets, param: [value_id]}, seen)
            return
        logger.warning("workday %s: %s jobs reach the %d-row cap and no facet is left to split "
                       "by (%s); only the first %d can be read", board.key, total, CAP, facets, CAP)
        base.count_problem(ctx, "workday_capped")
    postings = [p for p in base.as_list(data.get("jobPostings")) if isinstance(p, dict)]
    for posting in postings:
        if ctx.max_jobs is not None and len(seen) >= ctx.max_jobs:
            return
        path = base.as_str(posting.get("externalPath"), strip=True)
        if path and path.startswith("/"):
            if path in seen:
                continue  # listed in another slice too (several locations)
            seen.add(path)
            yield detail_request(posting, board, ctx)
        else:
            logger.warning("%s: skipped posting %r without a usable externalPath", board.key,
                           base.as_str(posting.get("title")))
            base.count_problem(ctx, "bad_job")
    following = offset + PAGE_SIZE
    if (postings and following < min(total or 0, CAP)
            and (ctx.max_jobs is None or len(seen) < ctx.max_jobs)):
        yield _list_request(board, ctx, following, facets, seen, total=total)


def detail_request(posting: dict, board: Board, ctx: BoardContext) -> scrapy.Request:
    """Return the detail GET for one listing posting; on failure the listing data is kept."""
    request = base.api_request(_api_base(board) + posting["externalPath"].strip(), parse_detail,
                               board, ctx, posting=posting)
    request.meta["handle_httpstatus_list"] = [404, 410]
    return request.replace(errback=detail_failed)


def parse_detail(response: Response, board: Board, ctx: BoardContext, posting: dict
                 ) -> Iterable[JobItem]:
    """Yield one job from its jobPostingInfo (the listing posting fills what is missing)."""
    if response.status in (404, 410):
        logger.info("workday %s: detail %s answered %s; keeping the listing data",
                    board.key, response.url, response.status)
        yield job_from_posting(posting, board, ctx)
        return
    try:
        data = base.load_json(response)
    except base.BadResponse:
        yield job_from_posting(posting, board, ctx)
        raise
    info = base.as_dict(base.as_dict(data).get("jobPostingInfo")) or None
    yield base.job_with_detail(lambda: job_from_posting(posting, board, ctx, info),
                               lambda: job_from_posting(posting, board, ctx), board, ctx, response.url)


def detail_failed(failure: Any) -> Iterable[JobItem]:
    """Yield the listing-only job when a detail call failed for good (network, 5xx)."""
    kw = failure.request.cb_kwargs
    logger.warning("workday %s: detail %s failed (%s); keeping the listing data",
                   kw["board"].key, failure.request.url, failure.value)
    yield job_from_posting(kw["posting"], kw["board"], kw["ctx"])


def posting_id(external_path: str) -> str:
    """Return the posting's id: the part after the last '_' of its path (JR-0105489-1)."""
    last = external_path.rstrip("/").rsplit("/", 1)[-1]
    return last.rsplit("_", 1)[-1] if "_" in last else last


def job_from_posting(posting: dict, board: Board, ctx: BoardContext, info: dict | None = None
                     ) -> JobItem:
    """Return a JobItem from a listing posting plus, when present, its jobPostingInfo."""
    info = base.as_dict(info)
    detail = lambda key: base.as_str(info.get(key))  # noqa: E731
    listing = lambda key: base.as_str(posting.get(key))  # noqa: E731
    path = base.as_str(posting.get("externalPath"), strip=True) or ""
    url = detail("externalUrl") or f"{board.url}{path}"
    listed = listing("locationsText")
    # "3 Locations" is a count, not a place: only the detail names them.
    if listed and re.fullmatch(r"\d+ Locations?", listed.strip()):
        listed = None
    location = detail("location") or listed
    locations = [x for x in [detail("location")] if x]
    for extra in base.as_list(info.get("additionalLocations")):
        if isinstance(extra, str) and extra.strip() and extra not in locations:
            locations.append(extra)
    req_loc = base.as_dict(info.get("jobRequisitionLocation"))
    country_obj = base.as_dict(req_loc.get("country")) or base.as_dict(info.get("country"))
    country = (base.as_str(country_obj.get("alpha2Code"), strip=True)
               or country_code(base.as_str(country_obj.get("descriptor"))))
    if len(locations) > 1:
        country = None  # a multi-location job is not in one country; the normalizer decides
    return base.new_job(
        board, ctx,
        external_id=(posting_id(path or base.as_str(info.get("jobPostingId"), strip=True) or "")
                     or base.as_str(info.get("id"), strip=True)),
        title=base.as_str(info.get("title"), strip=True) or base.as_str(posting.get("title"), strip=True),
        url=url,
        apply_url=f"{url}/apply" if info.get("canApply") is True else None,
        location=location,
        locations=locations or ([location] if location else None),
        country=country,
        remote_flag=detail("remoteType") or listing("remoteType"),
        employment_type=detail("timeType"),
        posted_at=detail("startDate"),
        posted_text=detail("postedOn") or listing("postedOn"),
        description_html=detail("jobDescription"),
    )


def _int(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None

# No probe(): a Workday board needs its wdN shard and site name, not just a slug.
