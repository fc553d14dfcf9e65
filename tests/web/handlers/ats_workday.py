"""Stand-in Workday cxs API: hand-made career sites (tests/web/data/workday/boards.json).

POST /wday/cxs/{tenant}/{site}/jobs pages 20 at a time (400 above 20, as Workday does), gives
`total` and `facets` on the first page only (0 later, as the real API does), and honours
appliedFacets for the country facet; GET /wday/cxs/{tenant}/{site}{externalPath} answers the
jobPostingInfo. One board answers 429 once; one job's detail is truncated JSON.
"""
from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

from _http import Req, Response, json_response

HOSTS = {".myworkdayjobs.com", ".myworkdaysite.com"}
BOARDS = json.loads((Path(__file__).resolve().parent.parent / "data" / "workday" / "boards.json")
                    .read_text(encoding="utf-8"))
ROBOTS = "User-agent: *\nDisallow: /*/apply\nDisallow: /*/login\nDisallow: /*/userHome\n"


def _fid(text: str) -> str:
    return hashlib.md5(text.encode()).hexdigest()


def _slug(title: str) -> str:
    return re.sub(r"[^A-Za-z0-9]", "-", title)


def external_path(job: dict) -> str:
    return f"/job/{job['path_loc']}/{_slug(job['title'])}_{job['id']}"


def _posted(days: int) -> str:
    if days == 0:
        return "Posted Today"
    if days == 1:
        return "Posted Yesterday"
    return "Posted 30+ Days Ago" if days > 30 else f"Posted {days} Days Ago"


def _listing(job: dict) -> dict:
    extra = job.get("additional") or []
    return {"title": job["title"], "externalPath": external_path(job),
            "locationsText": f"{len(extra) + 1} Locations" if extra else job["location"],
            "postedOn": _posted(job["posted_days"]), "bulletFields": [job["id"]]}


def _facets(board: dict, jobs: list[dict]) -> list[dict]:
    if not board.get("country_facet"):
        return []
    counts: dict[str, int] = {}
    for job in jobs:
        counts[job["country_name"]] = counts.get(job["country_name"], 0) + 1
    values = [{"descriptor": name, "id": _fid(name), "count": n} for name, n in sorted(counts.items())]
    time_type = [{"descriptor": "Full time", "id": _fid("Full time"), "count": 1}]
    if board["country_facet"] == "nested":
        return [{"facetParameter": "timeType", "descriptor": "Time Type", "values": time_type},
                {"facetParameter": "locationMainGroup", "values": [
                    {"facetParameter": "locationCountry", "descriptor": "Country", "values": values},
                    {"facetParameter": "locations", "descriptor": "Locations",
                     "values": [{"descriptor": j["location"], "id": _fid(j["location"]), "count": 1}
                                for j in jobs]}]}]
    return [{"facetParameter": "Location_Country", "descriptor": "Country", "values": values},
            {"facetParameter": "timeType", "descriptor": "Time Type", "values": time_type}]


def _detail(board: dict, host: str, job: dict) -> dict:
    url = f"https://{host}/{board['site']}{external_path(job)}"
    info = {"id": _fid(job["id"]), "title": job["title"], "jobDescription": job["description"],
            "location": job["location"], "postedOn": _posted(job["posted_days"]),
            "startDate": job["startDate"], "timeType": job["timeType"], "jobReqId": job["id"],
            "jobPostingId": f"{_slug(job['title'])}_{job['id']}", "jobPostingSiteId": board["site"],
            "country": {"descriptor": job["country_name"], "id": _fid(job["country_name"])},
            "canApply": True, "posted": True,
            "jobRequisitionLocation": {"descriptor": job["location"], "country": {
                "descriptor": job["country_name"], "id": _fid(job["country_name"]),
                "alpha2Code": job["country"]}},
            "remoteType": job["remoteType"], "externalUrl": url}
    if job.get("additional"):
        info["additionalLocations"] = job["additional"]
    return {"jobPostingInfo": info, "hiringOrganization": {"name": board["company"], "url": ""},
            "userAuthenticated": False}


def handle(req: Req, state: dict) -> Response | None:
    if req.path == "/robots.txt":
        return Response(200, ROBOTS, {"content-type": "text/plain"})
    m = re.match(r"^/wday/cxs/([^/]+)/([^/]+)(/.*)?$", req.path)
    if not m:
        return Response(404, "<html><body>Page not found</body></html>", {"content-type": "text/html"})
    tenant, site, rest = m.group(1), m.group(2), m.group(3) or ""
    key = f"{req.host}/{site}"
    board = BOARDS.get(key)
    if board is None or board["tenant"] != tenant:
        return json_response({"errorCode": "HTTP_404", "httpStatus": 404,
                              "message": "The page you are looking for doesn't exist."}, 404)
    if board.get("rate_limit_once") and not state.get(f"wd429:{key}"):
        state[f"wd429:{key}"] = True
        return json_response({"errorCode": "HTTP_429", "message": "Too many requests"}, 429,
                             {"Retry-After": "1"})
    jobs = board["jobs"]
    if rest == "/jobs" and req.method == "POST":
        body = req.json() or {}
        limit, offset = int(body.get("limit", 20)), int(body.get("offset", 0))
        if limit > 20:
            return json_response({"errorCode": "HTTP_400", "httpStatus": 400}, 400)
        applied = body.get("appliedFacets") or {}
        chosen = set()
        for param, ids in applied.items():
            if "country" in param.lower():
                chosen.update(ids)
        selected = [j for j in jobs if not chosen or _fid(j["country_name"]) in chosen]
        page = {"total": len(selected) if offset == 0 else 0,
                "jobPostings": [_listing(j) for j in selected[offset:offset + limit]],
                "userAuthenticated": False}
        if offset == 0:
            page["facets"] = _facets(board, selected)
        return json_response(page)
    if req.method == "GET":
        for job in jobs:
            if external_path(job) == rest:
                if job["id"] in (board.get("malformed_detail") or []):
                    text = json.dumps(_detail(board, req.host, job))
                    return Response(200, text[: len(text) // 2], {"content-type": "application/json"})
                return json_response(_detail(board, req.host, job))
    return json_response({"errorCode": "HTTP_404", "httpStatus": 404}, 404)
