"""Dayforce (Ceridian) candidate portals: the portal's geo job-posting search.

A board is a client namespace and a job board code, as in the portal URL
https://jobs.dayforcehcm.com/{culture}/{namespace}/{board} (board CANDIDATEPORTAL by default).
The search is the call the portal's own page makes: GET the portal (it sets the visitor's
cookies), GET /api/auth/csrf -> {csrfToken}, then POST /api/geo/{namespace}/jobposting/search
with {clientNamespace, jobBoardCode, cultureCode, distanceUnit: 0, paginationStart} and the
X-CSRF-TOKEN header (403 without) -> {jobPostings: [{jobPostingId, jobTitle, jobDescription
(HTML), hasVirtualLocation, postingLocations: [{cityName, stateCode, isoCountryCode,
formattedAddress}], postingStartTimestampUTC}], maxCount, offset, count}, 25 a page, whole
jobs. Two set-up calls, then ~0.04 requests per job. A job's page: .../{board}/jobs/{id}.
The crawler keeps no cookies, so the portal's cookies are carried by hand to the two API calls.
Format source: open projects that read the portal (request sequence, body, answer fields);
not yet checked against a recorded answer.
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

NAME = "dayforce"
# Registry data (see jobos.ats): where its URLs live, examples, widget markers, fields filled.
HOSTS = ("jobs.dayforcehcm.com",)
PATHS: tuple[str, ...] = ()
URL_SHAPES = (
    "https://jobs.dayforcehcm.com/en-US/acme/CANDIDATEPORTAL",
    "https://jobs.dayforcehcm.com/en-US/acme/CANDIDATEPORTAL/jobs/24907",
    "https://jobs.dayforcehcm.com/api/geo/acme/jobposting/search",
)
EMBED_MARKERS: tuple[tuple[str, str], ...] = ()
FIELDS = (
    "external_id", "title", "url", "location", "city", "region", "country", "workplace",
    "posted_at", "description_html",
)

PAGE_SIZE = 25
HOST = "jobs.dayforcehcm.com"
_CULTURE = re.compile(r"^[a-z]{2}(?:-[A-Za-z]{2})?$")
_NAME = re.compile(r"^[A-Za-z0-9_-]{1,60}$")
_NOT_NAMESPACES = {"api", "_next", "assets", "static", "favicon.ico", "robots.txt"}


def detect(url: str) -> Board | None:
    """Return the Board of a Dayforce portal, job or geo search URL, or None."""
    try:
        parts = urlsplit(url if "//" in url else f"https://{url}")
        host = (parts.hostname or "").lower()
    except ValueError:
        return None
    if host != HOST:
        return None
    segs = [s for s in parts.path.split("/") if s]
    culture, board_code = "en-US", "CANDIDATEPORTAL"
    if len(segs) >= 3 and segs[:2] == ["api", "geo"]:
        namespace = segs[2]
    else:
        if segs and _CULTURE.match(segs[0]):
            culture = segs.pop(0)
        if not segs or segs[0].lower() in _NOT_NAMESPACES:
            return None
        namespace = segs[0]
        if len(segs) > 1 and segs[1].lower() not in ("jobs",):
            board_code = segs[1]
    if not _NAME.match(namespace) or not _NAME.match(board_code):
        return None
    namespace = namespace.lower()
    return Board(NAME, f"{namespace}/{board_code}", f"https://{HOST}/{culture}/{namespace}/{board_code}",
                 host=HOST, site=board_code)


def _namespace(board: Board) -> str:
    return board.token.split("/", 1)[0]


def _culture(board: Board) -> str:
    return urlsplit(board.url).path.split("/")[1]


def start(board: Board, ctx: BoardContext) -> Iterable[scrapy.Request]:
    """Yield the portal page's GET (its cookies open the search)."""
    # Not filtered as a duplicate: the portal may have been read as a page already (a redirect
    # that landed on it), and its cookies are needed again.
    yield base.api_request(board.url, parse_portal, board, ctx).replace(dont_filter=True)


def _cookies(response: Response, known: str = "") -> str:
    """Return the Cookie header for the next call: the cookies known plus those just set."""
    jar = dict(p.split("=", 1) for p in known.split("; ") if "=" in p)
    for raw in response.headers.getlist("Set-Cookie"):
        pair = raw.decode("latin-1").split(";", 1)[0].strip()
        if "=" in pair:
            name, value = pair.split("=", 1)
            jar[name.strip()] = value.strip()
    return "; ".join(f"{k}={v}" for k, v in jar.items())


def parse_portal(response: Response, board: Board, ctx: BoardContext) -> Iterable[scrapy.Request]:
    """Yield the CSRF token request, carrying the portal's cookies."""
    cookie = _cookies(response)
    yield base.api_request(f"https://{HOST}/api/auth/csrf", parse_csrf, board, ctx,
                           headers={"Cookie": cookie, "Referer": board.url}, cookie=cookie)


def _search(board: Board, ctx: BoardContext, token: str, cookie: str, start_at: int) -> scrapy.Request:
    body = {"clientNamespace": _namespace(board), "jobBoardCode": board.site, "cultureCode": _culture(board),
            "distanceUnit": 0, "paginationStart": start_at}
    return base.api_request(f"https://{HOST}/api/geo/{_namespace(board)}/jobposting/search", parse_search,
                            board, ctx, method="POST", json_body=body,
                            headers={"X-CSRF-TOKEN": token, "Cookie": cookie, "Referer": board.url},
                            token=token, cookie=cookie, start_at=start_at)


def parse_csrf(response: Response, board: Board, ctx: BoardContext, cookie: str) -> Iterable[scrapy.Request]:
    """Yield the first search page's request with the visitor's CSRF token."""
    token = base.as_str(base.as_dict(base.load_json(response)).get("csrfToken"), strip=True)
    if not token:
        raise base.BadResponse(f"Dayforce answered no csrfToken at {response.url}")
    yield _search(board, ctx, token, _cookies(response, cookie), 0)


def parse_posting(posting: dict, board: Board, ctx: BoardContext) -> JobItem | None:
    """Return the JobItem of one job posting, or None without id or title."""
    job_id = base.as_str(posting.get("jobPostingId"), strip=True)
    title = base.as_str(posting.get("jobTitle"), strip=True)
    if not job_id or not title:
        return None
    places = []
    for place in map(base.as_dict, base.as_list(posting.get("postingLocations"))):
        city, region = base.as_str(place.get("cityName"), strip=True), base.as_str(place.get("stateCode"), strip=True)
        country = base.as_str(place.get("isoCountryCode"), strip=True)
        text = base.as_str(place.get("formattedAddress"), strip=True) or ", ".join(x for x in (city, region, country) if x)
        if text:
            places.append((text, city, region, country))
    one = places[0] if len(places) == 1 else (None, None, None, None)
    return base.new_job(
        board, ctx,
        external_id=job_id,
        title=title,
        url=f"{board.url}/jobs/{job_id}",
        location="; ".join(p[0] for p in places) or None,
        locations=[p[0] for p in places] or None,
        city=one[1], region=one[2],
        country=one[3].upper() if one[3] and len(one[3]) == 2 else None,
        remote_flag="remote" if posting.get("hasVirtualLocation") is True else None,
        posted_at=base.as_str(posting.get("postingStartTimestampUTC"), strip=True),
        description_html=base.as_str(posting.get("jobDescription")),
    )


def parse_search(response: Response, board: Board, ctx: BoardContext, token: str, cookie: str,
                 start_at: int = 0) -> Iterable[Any]:
    """Yield one search page's jobs and the next page's request."""
    data = base.load_json(response)
    if not isinstance(data, dict) or not isinstance(data.get("jobPostings"), list):
        raise base.BadResponse(f"Dayforce answer without jobPostings from {response.url}")
    rows = [p for p in data["jobPostings"] if isinstance(p, dict)]
    if ctx.max_jobs is not None:
        rows = rows[: max(ctx.max_jobs - start_at, 0)]
    yield from base.parse_each(rows, lambda p: parse_posting(p, board, ctx), board, ctx, id_keys=("jobPostingId",))
    following = start_at + len(data["jobPostings"])
    total = base.as_number(data.get("maxCount")) or 0
    if rows and following < total and (ctx.max_jobs is None or following < ctx.max_jobs):
        yield _search(board, ctx, token, cookie, following)
