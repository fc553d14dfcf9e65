"""Stand-in Oracle Recruiting Cloud (recruitingCE REST API) serving hand-made boards.

Boards: tests/web/data/oracle/boards.json ("{host}/{siteNumber}" -> company and requisitions).
Answers in the recorded shapes (list: items[0] with TotalJobsCount, Offset, Limit, SiteNumber
and requisitionList[], listing rows without descriptions and schedules; detail: items[0] with
ExternalDescriptionStr, JobSchedule, ExternalPostedStartDate...), paging by the finder's
limit/offset. An unknown site answers an empty search (TotalJobsCount 0, as Oracle does for a
site number with no postings: not checked against a real unknown site); one job's detail is
truncated JSON; an unknown path answers 404. The company's own careers page
(www.northwind-energy.example) links the site, as a generic page the crawler reads first.
"""
from __future__ import annotations

import json
import re
from pathlib import Path

from _atsboards import ROBOTS_ALLOW
from _http import Response, json_response

COMPANY_SITE = "www.northwind-energy.example"  # the company's own careers page linking its site
HOSTS = {".oraclecloud.com", COMPANY_SITE}
BOARDS = json.loads((Path(__file__).resolve().parent.parent / "data" / "oracle" / "boards.json")
                    .read_text(encoding="utf-8"))
# Listing rows carry these; the rest of a requisition comes with its detail.
_LISTED = ("Id", "Title", "PostedDate", "PrimaryLocation", "PrimaryLocationCountry", "WorkplaceType",
           "ShortDescriptionStr", "secondaryLocations")


def _finder(req) -> dict[str, str]:
    finder = req.arg("finder") or ""
    name, _, rest = finder.partition(";")
    params = dict(p.split("=", 1) for p in rest.split(",") if "=" in p)
    params["_name"] = name
    return params


def _listing_row(job: dict) -> dict:
    row = {key: job.get(key) for key in _LISTED}
    row.update({"PostingEndDate": None, "Language": "US", "HotJobFlag": False, "JobFamily": None,
                "JobSchedule": None, "Department": None, "Organization": None, "Distance": 9,
                "Relevancy": 9})
    return row


def _detail(job: dict) -> dict:
    detail = {k: v for k, v in job.items() if k not in ("PostedDate",)}
    detail.update({"ExternalPostedStartDate": f"{job['PostedDate']}T08:00:00+00:00",
                   "ExternalResponsibilitiesStr": "", "CorporateDescriptionStr": "<p>About us.</p>",
                   "workLocation": [], "otherWorkLocations": [], "media": [], "skills": []})
    return detail


def handle(req, state):
    if req.path == "/robots.txt":
        return Response(200, ROBOTS_ALLOW, {"content-type": "text/plain"})
    if req.host == COMPANY_SITE:
        return Response(200, "<html><body><h1>Careers at Northwind Energy</h1><p>Join our crews.</p>"
                             "<a href='https://northwind.fa.us2.oraclecloud.com/hcmUI/CandidateExperience/en/sites/"
                             "CX_1/requisitions'>See all openings</a></body></html>",
                        {"content-type": "text/html; charset=utf-8"})
    m = re.match(r"^/hcmRestApi/resources/(?:latest|[\d.]+)/(recruitingCEJobRequisitions|"
                 r"recruitingCEJobRequisitionDetails)$", req.path)
    if not m:
        return Response(404, "<html><body>Not Found</body></html>", {"content-type": "text/html"})
    finder = _finder(req)
    board = BOARDS.get(f"{req.host}/{finder.get('siteNumber', '')}")
    jobs = board["jobs"] if board else []
    if m.group(1) == "recruitingCEJobRequisitions":
        if finder["_name"] != "findReqs":
            return json_response({"title": "Bad Request", "status": "400"}, 400)
        limit, offset = int(finder.get("limit", 25)), int(finder.get("offset", 0))
        search = {"SearchId": 1, "Keyword": None, "Offset": offset, "Limit": limit,
                  "SortBy": finder.get("sortBy", "RELEVANCY"), "TotalJobsCount": len(jobs),
                  "SiteNumber": finder.get("siteNumber"),
                  "requisitionList": [_listing_row(j) for j in jobs[offset:offset + limit]]}
        return json_response({"items": [search], "count": 1, "hasMore": False, "limit": 25,
                              "offset": 0, "links": []})
    wanted = finder.get("Id", "").strip('"')
    for job in jobs:
        if job["Id"] == wanted:
            body = json.dumps({"items": [_detail(job)], "count": 1, "hasMore": False, "limit": 25,
                               "offset": 0, "links": []})
            if wanted in board.get("malformed_detail", []):
                body = body[: len(body) // 2]
            return Response(200, body, {"content-type": "application/json"})
    return json_response({"items": [], "count": 0, "hasMore": False, "limit": 25, "offset": 0,
                          "links": []})
