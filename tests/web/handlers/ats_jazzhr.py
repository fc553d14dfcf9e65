"""Stand-in JazzHR career pages (<company>.applytojob.com/apply/jobs and /apply/jobs/details/<code>).

Hand-made companies in tests/web/data/jazzhr/boards.json rendered as open code's tests show the
real pages: the listing links each posting (`a.job_title_link` to /apply/jobs/details/<code>?&,
inside #job_listings_wrapper; no paging), a job page carries a JSON-LD JobPosting. An unknown
company or job answers 404; flags: rate_limit_once (listing), malformed_page (codes whose job
page has its JSON-LD cut).
"""
from __future__ import annotations

import html
import json
import re
from pathlib import Path

from _atsboards import ROBOTS_ALLOW, rate_limited_once
from _http import Response, html_response

HOSTS = {".applytojob.com"}
BOARDS = json.loads((Path(__file__).resolve().parent.parent / "data" / "jazzhr" / "boards.json")
                    .read_text(encoding="utf-8"))


def _posting(board: dict, job: dict) -> str:
    p = {"@context": "https://schema.org", "@type": "JobPosting", "title": job["title"],
         "description": job["description"], "employmentType": job["employmentType"], "datePosted": job["datePosted"],
         "hiringOrganization": {"@type": "Organization", "name": board["company"]},
         "jobLocation": {"@type": "Place", "address": {"@type": "PostalAddress", **job["address"]}}}
    if job.get("remote"):
        p["jobLocationType"] = "TELECOMMUTE"
    if job.get("salary"):
        s = job["salary"]
        p["baseSalary"] = {"@type": "MonetaryAmount", "currency": s["currency"],
                           "value": {"@type": "QuantitativeValue", "minValue": s["min"], "maxValue": s["max"], "unitText": s["unit"]}}
    return json.dumps(p)


def handle(req, state):
    sub = req.host.split(".", 1)[0]
    if req.path == "/robots.txt":
        return Response(200, ROBOTS_ALLOW, {"content-type": "text/plain"})
    board = BOARDS.get(sub)
    if board is None:
        return html_response("<html><body><h1>Page not found</h1></body></html>", 404)
    if req.path.rstrip("/") in ("/apply", "/apply/jobs"):
        if board.get("rate_limit_once"):
            limited = rate_limited_once(state, f"jazzhr:429:{sub}")
            if limited is not None:
                return limited
        rows = "".join(f'<li class="list-group-item"><h4><a class="job_title_link" href="/apply/jobs/details/{j["code"]}?&">'
                       f'{html.escape(j["title"])}</a></h4><ul class="list-inline"><li>'
                       f'{j["address"]["addressLocality"]}, {j["address"]["addressRegion"]}</li></ul></li>'
                       for j in board["jobs"])
        return html_response(f"<html><body><h1>{html.escape(board['company'])} Jobs</h1>"
                             f"<div id=\"job_listings_wrapper\"><ul>{rows}</ul></div></body></html>")
    m = re.match(r"^/apply/jobs/details/([A-Za-z0-9]+)/?$", req.path)
    for job in board["jobs"] if m else []:
        if job["code"] == m.group(1):
            ld = _posting(board, job)
            if job["code"] in board.get("malformed_page", []):
                ld = ld[:50]
            return html_response(f"<html><head><title>{html.escape(job['title'])}</title>"
                                 f"<script type=\"application/ld+json\">{ld}</script></head>"
                                 f"<body><h1>{html.escape(job['title'])}</h1>{job['description']}</body></html>")
    return html_response("<html><body><h1>Page not found</h1></body></html>", 404)
