"""Stand-in Paylocity recruiting boards (recruiting.paylocity.com).

Hand-made boards in tests/web/data/paylocity/boards.json, served in the shape of the real
recorded pages: the board page (/Recruiting/Jobs/All/<guid>[/<name>]) puts every job into
`window.pageData = {...}` (a JS-required notice as its body; the real board has no paging), and
each job page (/Recruiting/Jobs/Details/<id>[/...]) carries a JSON-LD JobPosting and a "Job
Type" block. An unknown board or job answers 404; flags: rate_limit_once (the board page answers
429 once), truncate (the board page cut inside pageData), malformed_detail (job ids whose page
is cut before its JSON-LD ends).
"""
from __future__ import annotations

import html
import json
import re
from pathlib import Path

from _atsboards import ROBOTS_ALLOW, rate_limited_once
from _http import Response, html_response

HOSTS = {"recruiting.paylocity.com"}
BOARDS = json.loads((Path(__file__).resolve().parent.parent / "data" / "paylocity" / "boards.json")
                    .read_text(encoding="utf-8"))
_ALL = re.compile(r"^/recruiting/jobs/all/([0-9a-f-]{36})(?:/[^/]*)?/?$", re.I)
_DETAIL = re.compile(r"^/recruiting/jobs/details/(\d+)(?:/.*)?$", re.I)
_ROW_KEYS = ("JobId", "JobTitle", "LocationName", "PublishedDate", "HiringDepartment", "IsRemote")


def _board_page(guid: str, board: dict) -> str:
    jobs = []
    for job in board["jobs"]:
        row = {k: job.get(k) for k in _ROW_KEYS}
        row.update(ShouldDisplayLocation=True, Description="", IsInternal=False, IndeedRemoteType=2,
                   JobLocation={"LocationId": job["JobId"] + 1000, "Name": job["LocationName"],
                                "Address": None, "Address2": None, "Metro": None, "County": None,
                                "Zip": None, **job["JobLocation"]})
        jobs.append(row)
    data = {"Departments": ["All Departments"], "Jobs": jobs, "ModuleId": "9001",
            "ModuleTitle": board["module_title"], "LeadJoinUrl": f"/Recruiting/PublicLeads/New/{guid}"}
    text = json.dumps(data)
    if board.get("truncate"):
        text = text[: len(text) // 2]
    return ("<!DOCTYPE html><html><head><title>Current Openings</title></head><body>"
            "<noscript>This page requires JavaScript.</noscript><div id=\"app\"></div>"
            f"<script>\n    window.pageData = {text};\n</script></body></html>")


def _job_page(guid: str, board: dict, job: dict) -> str:
    detail = job["detail"]
    posting = {"@context": "https://schema.org", "@type": "JobPosting", "title": job["JobTitle"],
               "datePosted": job["PublishedDate"],
               "hiringOrganization": {"@type": "Organization", "name": board["module_title"]},
               "description": detail["description"]}
    if detail.get("address"):
        posting["jobLocation"] = {"@type": "Place", "address": {"@type": "PostalAddress", **detail["address"]}}
    if detail.get("salary"):
        s = detail["salary"]
        posting["baseSalary"] = {"@type": "MonetaryAmount", "currency": s["currency"],
                                 "value": {"@type": "QuantitativeValue", "minValue": s["min"],
                                           "maxValue": s["max"], "unitText": s["unit"]}}
    ld = json.dumps(posting)
    if str(job["JobId"]) in board.get("malformed_detail", []):
        ld = ld[:60]
    title = html.escape(job["JobTitle"])
    return ("<!DOCTYPE html><html><head>"
            f"<title>{html.escape(board['module_title'])} - {title}</title></head><body>"
            "<div class=\"job-preview\"><div class=\"job-preview-header\">"
            f"<span class=\"job-preview-title left\"><span>{title}</span></span></div>"
            "<div class=\"job-preview-details\"><div class=\"vertical-padding\">"
            f"<div class=\"job-listing-header\">Job Type</div>\n<div>{detail['job_type']}</div></div>"
            f"<div class=\"job-listing-header\">Description</div><div>{detail['description']}</div></div>"
            f"<a href=\"/Recruiting/Jobs/All/{guid}\">View All Jobs</a></div>"
            f"<script type=\"application/ld+json\">\n    {ld}\n  </script></body></html>")


def handle(req, state):
    if req.path == "/robots.txt":
        return Response(200, ROBOTS_ALLOW, {"content-type": "text/plain"})
    m = _ALL.match(req.path)
    if m:
        guid = m.group(1).lower()
        board = BOARDS.get(guid)
        if board is None:
            return html_response("<html><body><h1>Page Not Found</h1></body></html>", 404)
        if board.get("rate_limit_once"):
            limited = rate_limited_once(state, f"paylocity:429:{guid}")
            if limited is not None:
                return limited
        return html_response(_board_page(guid, board))
    m = _DETAIL.match(req.path)
    if m:
        for guid, board in BOARDS.items():
            for job in board["jobs"]:
                if str(job["JobId"]) == m.group(1):
                    return html_response(_job_page(guid, board, job))
    return html_response("<html><body><h1>Page Not Found</h1></body></html>", 404)
