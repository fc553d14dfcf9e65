"""Stand-in Workday cxs API: hand-made career sites (tests/web/data/workday/boards.json).

POST /wday/cxs/{tenant}/{site}/jobs pages 20 at a time (400 above 20, as Workday does), gives
`total` and `facets` on the first page only (0 later, as the real API does), and honours
appliedFacets for the country facet; GET /wday/cxs/{tenant}/{site}{externalPath} answers the
jobPostingInfo. One board answers 429 once; one job's detail is truncated JSON.

A generated 10,000-job board (megacorp.wd1 / Megacorp_Careers) behaves as the recorded large
boards do (Micron's 2,912-job first page, NVIDIA's capped one): `facets[]` in Micron's shape
(timeType, workerSubType, jobFamilyGroup, locationMainGroup > locations), recomputed for the
facets applied; `total` capped at 2,000; no rows past offset 2,000; 20 rows a page; one location
holding 4,500 jobs (over the cap on its own); every tenth job listed under two locations.
"""
from __future__ import annotations

import functools
import hashlib
import json
import re
from pathlib import Path

from _http import Req, Response, json_response

HOSTS = {".myworkdayjobs.com", ".myworkdaysite.com"}
BOARDS = json.loads((Path(__file__).resolve().parent.parent / "data" / "workday" / "boards.json")
                    .read_text(encoding="utf-8"))
CAP = 2000  # no rows past this offset; the big board also caps `total` at it

BIG_LOCATIONS = ["Boise, ID - Main Site", "Austin, TX", "Manassas, VA", "Singapore", "Hiroshima, Japan",
                 "Taichung, Taiwan", "Munich, Germany", "Hyderabad, India", "Xi'an, China",
                 "Arzano (NA), Italy", "Penang, Malaysia", "Allen, TX"]
BIG_FAMILIES = ["Engineering", "Manufacturing", "Information Technology", "Quality", "Finance",
                "Supply Chain", "Sales", "Marketing", "Legal", "Human Resources", "Facilities",
                "Research"]


def _big_board(size: int = 10_000) -> dict:
    """Return the generated large board: deterministic jobs, Micron's facet shape."""
    jobs = []
    for i in range(size):
        primary = 0 if i % 20 < 9 else 1 + i % 11  # 45% in the first location: 4,500 jobs
        extra = [BIG_LOCATIONS[(primary + 1 + i % 5) % len(BIG_LOCATIONS)]] if i % 10 == 3 else []
        location = BIG_LOCATIONS[primary]
        jobs.append({
            "id": f"JR{100000 + i}", "title": f"{BIG_FAMILIES[i % 12]} Specialist {i}",
            "path_loc": _slug(location), "location": location, "additional": extra,
            "family": BIG_FAMILIES[i % 12], "timeType": "Part time" if i % 25 == 0 else "Full time",
            "workerSubType": "Intern" if i % 50 == 7 else "Regular",
            "country": "US", "country_name": "United States of America", "remoteType": "",
            "posted_days": i % 40, "startDate": "2026-11-01",
            "description": f"<p>Role {i}.</p>"})
    return {"tenant": "megacorp", "site": "Megacorp_Careers", "company": "Megacorp",
            "facet_shape": "micron", "cap_total": True, "jobs": jobs}


ROBOTS = "User-agent: *\nDisallow: /*/apply\nDisallow: /*/login\nDisallow: /*/userHome\n"


@functools.lru_cache(maxsize=None)
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


def _values(jobs: list[dict], key) -> list[dict]:
    counts: dict[str, int] = {}
    for job in jobs:
        for name in key(job):
            counts[name] = counts.get(name, 0) + 1
    return [{"descriptor": name, "id": _fid(name), "count": n} for name, n in sorted(counts.items())]


def _locations(job: dict) -> list[str]:
    return [job["location"], *(job.get("additional") or [])]


# facetParameter -> the job's values for it (what appliedFacets filters on).
_FACET_KEYS = {
    "timeType": lambda j: [j["timeType"]],
    "workerSubType": lambda j: [j["workerSubType"]] if j.get("workerSubType") else [],
    "jobFamilyGroup": lambda j: [j["family"]] if j.get("family") else [],
    "locations": _locations,
}


def _facets(board: dict, jobs: list[dict]) -> list[dict]:
    if board.get("facet_shape") == "micron":
        return [{"facetParameter": "timeType", "descriptor": "Full/Part-time",
                 "values": _values(jobs, _FACET_KEYS["timeType"])},
                {"facetParameter": "workerSubType", "descriptor": "Job Type",
                 "values": _values(jobs, _FACET_KEYS["workerSubType"])},
                {"facetParameter": "jobFamilyGroup", "descriptor": "Job Category",
                 "values": _values(jobs, _FACET_KEYS["jobFamilyGroup"])},
                {"facetParameter": "locationMainGroup", "values": [
                    {"facetParameter": "locations", "descriptor": "Locations",
                     "values": _values(jobs, _locations)}]}]
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


@functools.lru_cache(maxsize=None)
def _paths(key: str) -> dict[str, dict]:
    """Return externalPath -> job of a board, built once (the big board has 10,000 jobs)."""
    return {external_path(j): j for j in BOARDS[key]["jobs"]}


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
        selected = jobs
        for param, ids in applied.items():
            if "country" in param.lower():
                key = lambda j: [j["country_name"]]  # noqa: E731
            elif param in _FACET_KEYS:
                key = _FACET_KEYS[param]
            else:
                return json_response({"errorCode": "HTTP_400", "httpStatus": 400}, 400)
            wanted = set(ids)
            selected = [j for j in selected if wanted & {_fid(v) for v in key(j)}]
        total = min(len(selected), CAP) if board.get("cap_total") else len(selected)
        rows = selected[offset:offset + limit] if offset < CAP else []
        page = {"total": total if offset == 0 else 0,
                "jobPostings": [_listing(j) for j in rows],
                "userAuthenticated": False}
        if offset == 0:
            page["facets"] = _facets(board, selected)
        return json_response(page)
    if req.method == "GET":
        job = _paths(key).get(rest)
        if job is not None:
            if job["id"] in (board.get("malformed_detail") or []):
                text = json.dumps(_detail(board, req.host, job))
                return Response(200, text[: len(text) // 2], {"content-type": "application/json"})
            return json_response(_detail(board, req.host, job))
    return json_response({"errorCode": "HTTP_404", "httpStatus": 404}, 404)


BOARDS["megacorp.wd1.myworkdayjobs.com/Megacorp_Careers"] = _big_board()
