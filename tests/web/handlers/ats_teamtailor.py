"""Stand-in Teamtailor career-site JSON Feed (hand-made sites in tests/web/data/teamtailor/).

GET {sub}.teamtailor.com/jobs.json[?page=N]: JSON Feed 1.1 items with content_html and an
embedded `_jobposting`, `next_url` while more pages follow. Unknown sites 404; one answers 429
once; one answers a truncated body.
"""
from __future__ import annotations

import json
from pathlib import Path

from _http import Req, Response, json_response

HOSTS = {".teamtailor.com"}
BOARDS = json.loads((Path(__file__).resolve().parent.parent / "data" / "teamtailor" /
                     "boards.json").read_text(encoding="utf-8"))
ROBOTS = "User-agent: *\nDisallow: /connect\nDisallow: /*/applications/new\nAllow: /\n"


def _item(host: str, board: dict, job: dict) -> dict:
    url = f"https://{host}/jobs/{job['num']}-{job['slug']}"
    posting = {"@context": "http://schema.org/", "@type": "JobPosting", "title": job["title"],
               "identifier": {"@type": "PropertyValue", "name": board["name"], "value": job["num"]},
               "datePosted": job["date"], "employmentType": job["employmentType"],
               "hiringOrganization": {"@type": "Organization", "name": board["name"],
                                      "sameAs": board["url"]},
               "jobLocation": [{"@type": "Place", "address": {"@type": "PostalAddress", **a}}
                               for a in job["locations"]]}
    if job.get("jobLocationType"):
        posting["jobLocationType"] = job["jobLocationType"]
    if job.get("salary"):
        s = job["salary"]
        posting["baseSalary"] = {"@type": "MonetaryAmount", "currency": s["currency"],
                                 "value": {"@type": "QuantitativeValue", "minValue": s["min"],
                                           "maxValue": s["max"], "unitText": s["unit"]}}
    return {"id": job["uuid"], "title": job["title"], "url": url, "content_html": job["body"],
            "date_published": job["date"], "_jobposting": posting}


def handle(req: Req, state: dict) -> Response | None:
    if req.path == "/robots.txt":
        return Response(200, ROBOTS, {"content-type": "text/plain"})
    sub = req.host[: -len(".teamtailor.com")]
    board = BOARDS.get(sub)
    if req.path != "/jobs.json":
        return None
    if board is None:
        return Response(404, "<html><body><h1>Page not found</h1></body></html>",
                        {"content-type": "text/html"})
    if board.get("rate_limit_once") and not state.get(f"tt429:{sub}"):
        state[f"tt429:{sub}"] = True
        return Response(429, "Retry later", {"Retry-After": "1", "content-type": "text/plain"})
    if board.get("malformed"):
        return Response(200, '{"version": "https://jsonfeed.org/version/1.1", "items": [{"id": ',
                        {"content-type": "application/feed+json"})
    size = int(board.get("page_size", 50))
    page = max(int(req.arg("page", "1")), 1)
    jobs = board["jobs"][(page - 1) * size: page * size]
    feed = {"version": "https://jsonfeed.org/version/1.1", "title": board["name"],
            "home_page_url": f"https://{req.host}/jobs", "feed_url": f"https://{req.host}/jobs.json",
            "items": [_item(req.host, board, j) for j in jobs]}
    if page * size < len(board["jobs"]):
        feed["next_url"] = f"https://{req.host}/jobs.json?page={page + 1}"
    return Response(200, json.dumps(feed), {"content-type": "application/feed+json; charset=utf-8"})
