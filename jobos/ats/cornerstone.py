"""Cornerstone OnDemand career sites: the regional rec-job-search API the career-site page calls.

A board is a tenant and a career site id: https://{tenant}.csod.com/ux/ats/careersite/{site}/
home?c={tenant}. The page carries `csod.context={...}` with an anonymous JWT (`token`) and the
regional API host (`endpoints.cloud`, e.g. https://uk.api.csod.com/). The listing is
POST {cloud}rec-job-search/external/jobs with `Authorization: Bearer {token}` and {careerSiteId,
careerSitePageId, pageNumber (1-based), pageSize, cultureId: 1, cultureName: "en-US",
searchText: "", filters empty} -> {status: "Success", data: {totalCount, requisitions:
[{requisitionId, displayJobTitle, locations: [{city, state, country}], postingEffectiveDate
(M/D/YYYY), externalDescription}]}}. US-pod tenants also want the ASP.NET_SessionId cookie set
to the token's `aud`, as readers report; it is sent on every pod. One page GET, then one call per
100 jobs (~0.02 requests per job). A job's page: .../careersite/{site}/home/requisition/{id}?c=.
Format source: open projects that read the API (request body, token and cookie handling,
answer fields); not yet checked against a recorded answer.
"""
from __future__ import annotations

import base64
import json
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

NAME = "cornerstone"
# Registry data (see jobos.ats): where its URLs live, examples, widget markers, fields filled.
HOSTS = (".csod.com",)
PATHS: tuple[str, ...] = ()
URL_SHAPES = (
    "https://acme.csod.com/ux/ats/careersite/1/home?c=acme",
    "https://acme.csod.com/ux/ats/careersite/4/home/requisition/1234?c=acme",
)
EMBED_MARKERS: tuple[tuple[str, str], ...] = ()
FIELDS = ("external_id", "title", "url", "location", "city", "region", "posted_at", "description_html")

PAGE_SIZE = 100
_CONTEXT = re.compile(r"csod\.context\s*=\s*(\{.*?\})\s*;\s*(?:csod\.|</script>|\n)", re.S)
_CLOUD = re.compile(r"^https://[a-z0-9-]+(?:\.[a-z0-9-]+)*\.api\.csod\.com/?$")


def detect(url: str) -> Board | None:
    """Return the Board of a Cornerstone career-site URL, or None."""
    try:
        parts = urlsplit(url if "//" in url else f"https://{url}")
        host = (parts.hostname or "").lower()
    except ValueError:
        return None
    segs = [s for s in parts.path.split("/") if s]
    if not host.endswith(".csod.com") or host.count(".") != 2 or host.startswith(("www.", "api.")):
        return None
    if len(segs) < 4 or [s.lower() for s in segs[:3]] != ["ux", "ats", "careersite"] or not segs[3].isdigit():
        return None
    tenant, site = host.split(".", 1)[0], segs[3]
    return Board(NAME, f"{tenant}/{site}", f"https://{host}/ux/ats/careersite/{site}/home?c={tenant}",
                 host=host, site=site)


def start(board: Board, ctx: BoardContext) -> Iterable[scrapy.Request]:
    """Yield the career-site page's GET (it names the token and the API host)."""
    # Not filtered as a duplicate: the site page may have been read as a page already.
    yield base.api_request(board.url, parse_site_page, board, ctx).replace(dont_filter=True)


def site_context(html: str) -> tuple[str, str]:
    """Return (token, regional API base URL) from a career-site page's csod.context."""
    match = _CONTEXT.search(html)
    if not match:
        raise base.BadResponse("Cornerstone page without csod.context")
    try:
        context = base.as_dict(json.loads(match.group(1)))
    except ValueError as exc:
        raise base.BadResponse(f"unreadable csod.context: {exc}") from None
    token = base.as_str(context.get("token"), strip=True)
    cloud = base.as_str(base.as_dict(context.get("endpoints")).get("cloud"), strip=True) or ""
    if not token or not _CLOUD.match(cloud):  # the token goes only to a Cornerstone API host
        raise base.BadResponse("csod.context without token or a Cornerstone API host")
    return token, cloud.rstrip("/") + "/"


def token_audience(token: str) -> str | None:
    """Return the JWT's `aud` claim (read, not verified: it only names the session)."""
    try:
        payload = token.split(".")[1]
        claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    except (IndexError, ValueError):
        return None
    audience = claims.get("aud") if isinstance(claims, dict) else None
    return audience if isinstance(audience, str) and re.fullmatch(r"[A-Za-z0-9-]{1,80}", audience) else None


def search_body(board: Board, page: int) -> dict:
    site = int(board.site or 1)
    return {"careerSiteId": site, "careerSitePageId": site, "pageNumber": page, "pageSize": PAGE_SIZE,
            "cultureId": 1, "searchText": "", "cultureName": "en-US", "states": [], "countryCodes": [],
            "cities": [], "placeID": "", "radius": None, "postingsWithinDays": None,
            "customFieldCheckboxKeys": [], "customFieldDropdowns": [], "customFieldRadios": []}


def _search(board: Board, ctx: BoardContext, token: str, cloud: str, page: int, seen: int) -> scrapy.Request:
    headers = {"Authorization": f"Bearer {token}", "csod-accept-language": "en-US"}
    audience = token_audience(token)
    if audience:
        headers["Cookie"] = f"ASP.NET_SessionId={audience}"
    return base.api_request(f"{cloud}rec-job-search/external/jobs", parse_search, board, ctx, method="POST",
                            json_body=search_body(board, page), headers=headers, token=token, cloud=cloud,
                            page=page, seen=seen)


def parse_site_page(response: Response, board: Board, ctx: BoardContext) -> Iterable[scrapy.Request]:
    """Yield the first search page's request with the page's token."""
    token, cloud = site_context(response.text)
    yield _search(board, ctx, token, cloud, 1, 0)


def parse_requisition(row: dict, board: Board, ctx: BoardContext) -> JobItem | None:
    """Return the JobItem of one requisition, or None without id or title."""
    job_id = base.as_str(row.get("requisitionId"), strip=True)
    title = base.as_str(row.get("displayJobTitle"), strip=True)
    if not job_id or not title:
        return None
    places = []
    for place in map(base.as_dict, base.as_list(row.get("locations"))):
        parts = [base.as_str(place.get(k), strip=True) for k in ("city", "state", "country")]
        if any(parts):
            places.append(parts)
    one = places[0] if len(places) == 1 else [None, None, None]
    tenant = board.token.split("/", 1)[0]
    return base.new_job(
        board, ctx,
        external_id=job_id,
        title=title,
        url=f"https://{board.host}/ux/ats/careersite/{board.site}/home/requisition/{job_id}?c={tenant}",
        location="; ".join(", ".join(p for p in place if p) for place in places) or None,
        locations=[", ".join(p for p in place if p) for place in places] or None,
        city=one[0], region=one[1],
        posted_text=base.as_str(row.get("postingEffectiveDate"), strip=True),
        description_html=base.as_str(row.get("externalDescription")),
    )


def parse_search(response: Response, board: Board, ctx: BoardContext, token: str, cloud: str,
                 page: int = 1, seen: int = 0) -> Iterable[Any]:
    """Yield one search page's jobs and the next page's request."""
    answer = base.as_dict(base.load_json(response))
    data = base.as_dict(answer.get("data"))
    if not isinstance(data.get("requisitions"), list):
        raise base.BadResponse(f"Cornerstone answer without requisitions from {response.url}")
    rows = [r for r in data["requisitions"] if isinstance(r, dict)]
    if ctx.max_jobs is not None:
        rows = rows[: max(ctx.max_jobs - seen, 0)]
    yield from base.parse_each(rows, lambda r: parse_requisition(r, board, ctx), board, ctx,
                               id_keys=("requisitionId",))
    seen += len(data["requisitions"])
    total = base.as_number(data.get("totalCount")) or 0
    if rows and seen < total and (ctx.max_jobs is None or seen < ctx.max_jobs):
        yield _search(board, ctx, token, cloud, page + 1, seen)
