"""Stand-in Taleo Enterprise career sections: the section page and the REST job search.

Boards: tests/web/data/taleo/boards.json (host -> section, portal, column layout, jobs). The
section's search page names its portal (`portalNo: '...'`); POST
/careersection/rest/jobboard/searchjobs?lang=en&portal=N answers {requisitionList: [{jobId,
contestNo, column, linkedColumn, locationsColumns}], pagingData: {currentPageNo, pageSize: 25,
totalCount}} as open readers describe it: 500 without a `tz` header, 25 rows a page whatever is
asked, a page past the last repeats the last, the column layout set per section (one lists the
title only), an unknown portal {careerSectionUnAvailable: true}. Not a recording.

Business Edition (phf.tbe.taleo.net): searchResults pages in the markup open readers select
(div.oracletaleocwsv2-accordion-head-info, h4 a.viewJobLink, a category div and a location
div), 10 rows a page by rowFrom (a page past the end is empty), viewRequisition pages with a
schema.org JobPosting; an unknown org answers an empty result page.
"""
from __future__ import annotations

import html
import json
from pathlib import Path

from _atsboards import ROBOTS_ALLOW
from _http import Response, html_response, json_response

HOSTS = {".taleo.net"}
BOARDS = json.loads((Path(__file__).resolve().parent.parent / "data" / "taleo" / "boards.json")
                    .read_text(encoding="utf-8"))
PAGE = 25


def _row(board: dict, job: dict) -> dict:
    if board["layout"] == "title_only":
        return {"jobId": job["jobId"], "contestNo": job["contestNo"], "column": [job["title"]],
                "linkedColumn": 0, "locationsColumns": []}
    return {"jobId": job["jobId"], "contestNo": job["contestNo"],
            "column": [job["title"], json.dumps(job["places"]), job["date"]],
            "linkedColumn": 0, "locationsColumns": [1], "visibleColumns": [True, True, True]}


def _business(req, board: dict) -> Response:
    base = f"/{board['path']}/ats/careers/v2/"
    org_ok = req.arg("org") == board["org"] and req.arg("cws") == board["cws"]
    jobs = board["jobs"] if org_ok else []
    if req.path == base + "searchResults":
        start = int(req.arg("rowFrom", "1") or 1) - 1
        rows = "".join(
            f'<div class="oracletaleocwsv2-accordion oracletaleocwsv2-accordion-expandable clearfix">'
            f'<div class="oracletaleocwsv2-accordion-head-info"><h4 class="oracletaleocwsv2-head-title">'
            f'<a class="viewJobLink" href="https://{req.host}{base}viewRequisition?org={board["org"]}&amp;'
            f'cws={board["cws"]}&amp;rid={j["rid"]}">{html.escape(j["title"])}</a></h4>'
            f'<div tabindex="0">{html.escape(j["category"])}</div><div tabindex="0">{html.escape(j["location"])}</div>'
            f'</div></div>' for j in jobs[start:start + 10])
        return html_response(f"<html><body><div class='oracletaleocwsv2-panel-number'>{len(jobs)}</div>{rows}"
                             f"</body></html>")
    if req.path == base + "viewRequisition":
        for job in jobs:
            if job["rid"] == req.arg("rid"):
                posting = {"@context": "https://schema.org", "@type": "JobPosting", "title": job["title"],
                           "datePosted": job["posted"], "employmentType": job["type"],
                           "description": f"<p>Care for patients, shift {job['rid']}.</p>",
                           "jobLocation": {"@type": "Place", "address": {"addressLocality": job["city"],
                                                                         "addressRegion": "ME", "addressCountry": "US"}}}
                return html_response(f'<html><head><script type="application/ld+json">{json.dumps(posting)}'
                                     f'</script></head><body><h1>{html.escape(job["title"])}</h1></body></html>')
    return html_response("<html><body>Page not found</body></html>", 404)


def handle(req, state):
    if req.path == "/robots.txt":
        return Response(200, ROBOTS_ALLOW, {"content-type": "text/plain"})
    board = BOARDS.get(req.host)
    if board is not None and board.get("business"):
        return _business(req, board)
    if board is None:
        return html_response("<html><body>Server not found</body></html>", 404)
    if req.path == f"/careersection/{board['section']}/jobsearch.ftl":
        return html_response(f"<html><head><script>var _ftl = {{portalNo: '{board['portal']}', "
                             f"lang: 'en'}};</script></head><body>Loading…</body></html>")
    if req.path == "/careersection/rest/jobboard/searchjobs" and req.method == "POST":
        if not (req.headers.get("tz") or req.headers.get("tzname")):
            return html_response("<html><body>An Error Occurred in TEE</body></html>", 500)
        if req.arg("portal") != board["portal"]:
            return json_response({"careerSectionUnAvailable": True})
        jobs = board["jobs"]
        last = max(-(-len(jobs) // PAGE), 1)
        page = min(int((req.json() or {}).get("pageNo", 1)), last)
        return json_response({"requisitionList": [_row(board, j) for j in jobs[(page - 1) * PAGE:page * PAGE]],
                              "pagingData": {"currentPageNo": page, "pageSize": PAGE, "totalCount": len(jobs)},
                              "careerSectionUnAvailable": False})
    return html_response("<html><body>Page not found</body></html>", 404)
