"""Stand-in iCIMS: Talent Cloud (Jibe) /api/jobs on careers hosts, and a classic icims.com portal.

Boards: tests/web/data/icims/boards.json. A Talent Cloud site's /jobs page loads Jibe's front
end (app.jibecdn.com), as the sites open readers describe do; its /api/jobs answers {jobs: [{data}], totalCount,
count} in the recorded Garmin shape, `page` 1-based, 10 rows a page whatever `limit` asks (as
some sites fix it); one site answers truncated JSON. The classic portal serves search pages in
the recorded Wipfli card markup (li.iCIMS_JobCardItem, a.iCIMS_Anchor, Job Locations, Job ID)
with a pager linking pr=N, and job pages carrying a schema.org JobPosting (one without). An
unknown portal answers iCIMS's 404 page.
"""
from __future__ import annotations

import html
import json
import re
from pathlib import Path

from _atsboards import ROBOTS_ALLOW
from _http import Response, html_response, json_response

BOARDS = json.loads((Path(__file__).resolve().parent.parent / "data" / "icims" / "boards.json")
                    .read_text(encoding="utf-8"))
HOSTS = {".icims.com", *(h for h, b in BOARDS.items() if b["kind"] == "talentcloud")}


def _slug(title: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")


def _data(host: str, job: dict) -> dict:
    return {"data": {"slug": job["req_id"], "language": "en-us", "req_id": job["req_id"], "title": job["title"],
                     "description": job["description"], "city": job["city"], "state": job["state"],
                     "country_code": job["country_code"], "categories": [{"name": job["category"]}],
                     "tags6": [job["workplace"]], "employment_type": job["employment_type"],
                     "hiring_organization": "Litware", "posted_date": job["posted_date"],
                     "apply_url": f"https://careers-{host.split('.')[1]}.icims.com/jobs/{job['req_id']}/login",
                     "category": [f" {job['category']}"], "full_location": f"{job['city']}, {job['state']}",
                     "short_location": f"{job['city']}, {job['state']}", "multipleLocations": False}}


def _talent_cloud(req, host: str, board: dict) -> Response:
    if req.path == "/jobs":  # the careers site's own page: Jibe's front end, no jobs in the markup
        return html_response('<html><head><script src="https://app.jibecdn.com/prod/search/app.js"></script>'
                             '</head><body><div id="app">Loading jobs…</div></body></html>')
    if req.path != "/api/jobs":
        return html_response("<html><body>Not Found</body></html>", 404)
    page = max(int(req.arg("page", "1") or 1), 1)
    size = board["page_size"]
    rows = board["jobs"][(page - 1) * size: page * size]
    body = json.dumps({"jobs": [_data(host, j) for j in rows], "totalCount": len(board["jobs"]),
                       "count": len(board["jobs"]), "locations": [], "filter": {}})
    if board.get("truncate"):
        body = body[: len(body) // 2]
    return Response(200, body, {"content-type": "application/json"})


def _card(host: str, job: dict) -> str:
    url = f"https://{host}/jobs/{job['req_id']}/{_slug(job['title'])}/job?in_iframe=1"
    return (f'<li class="iCIMS_JobCardItem"><div class="row"><div class="col-xs-6 header left">'
            f'<span class="sr-only field-label">Job Locations</span><span>{job["country_code"]}-'
            f'{job["state"]}-{job["city"]}</span></div><div class="col-xs-12 title">'
            f'<a href="{url}" class="iCIMS_Anchor" title="{job["req_id"]} - {html.escape(job["title"])}">'
            f'<span class="sr-only field-label">Job Title</span><h3>{html.escape(job["title"])}</h3></a></div>'
            f'<div class="col-xs-12 additionalFields"><dl class="iCIMS_JobHeaderGroup"><div class="iCIMS_JobHeaderTag">'
            f'<dt class="iCIMS_JobHeaderField">Job ID</dt><dd class="iCIMS_JobHeaderData"><span>2026-{job["req_id"]}'
            f'</span></dd></div></dl></div></div></li>')


def _job_page(board: dict, job: dict) -> str:
    ld = "" if job["req_id"] in board.get("no_jsonld", []) else (
        '<script type="application/ld+json">' + json.dumps({
            "@context": "https://schema.org", "@type": "JobPosting", "title": job["title"],
            "datePosted": job["posted_date"][:10], "employmentType": [job["employment_type"]],
            "description": f"<p>{html.escape(job['description'])}</p>",
            "jobLocation": {"@type": "Place", "address": {"@type": "PostalAddress", "addressLocality": job["city"],
                                                         "addressRegion": job["state"],
                                                         "addressCountry": job["country_code"]}}}) + "</script>")
    return f"<html><head>{ld}</head><body><h1>{html.escape(job['title'])}</h1></body></html>"


def _classic(req, host: str, board: dict) -> Response:
    if req.path == "/jobs/search":
        page = int(req.arg("pr", "0") or 0)
        size = board["page_size"]
        rows = board["jobs"][page * size:(page + 1) * size]
        pages = (len(board["jobs"]) + size - 1) // size
        pager = "".join(f'<a class="iCIMS_Paging" href="/jobs/search?pr={n}&amp;in_iframe=1">{n + 1}</a>'
                        for n in range(pages))
        return html_response(f"<html><body><ul>{''.join(_card(host, j) for j in rows)}</ul>"
                             f"<div class='iCIMS_Paging'>{pager}</div></body></html>")
    m = re.match(r"^/jobs/(\d+)/[^/]+/job$", req.path)
    if m:
        for job in board["jobs"]:
            if job["req_id"] == m.group(1):
                return html_response(_job_page(board, job))
    return html_response("<html><body>Page not found</body></html>", 404)


def handle(req, state):
    if req.path == "/robots.txt":
        return Response(200, ROBOTS_ALLOW, {"content-type": "text/plain"})
    board = BOARDS.get(req.host)
    if board is None:
        return html_response("<html><body><h1>Sorry, this page could not be found</h1></body></html>", 404)
    if board["kind"] == "talentcloud":
        return _talent_cloud(req, req.host, board)
    return _classic(req, req.host, board)
