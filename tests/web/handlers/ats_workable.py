"""Stand-in Workable widget API (hand-made accounts in tests/web/data/workable/).

GET /api/v1/widget/accounts/{sub}?details=true answers the account with every job (repeated
per location as the real widget does); an unknown account 404s; one answers 429 once; one
answers truncated JSON.
"""
from __future__ import annotations

import json
import re
from pathlib import Path

from _http import Req, Response, json_response

HOSTS = {"apply.workable.com"}
BOARDS = json.loads((Path(__file__).resolve().parent.parent / "data" / "workable" / "boards.json")
                    .read_text(encoding="utf-8"))
ROBOTS = "User-agent: *\nDisallow: /*/apply/\nDisallow: /*/login\nAllow: /\n"


def _job(job: dict, details: bool) -> dict:
    loc = job["locations"][0]
    url = f"https://apply.workable.com/j/{job['shortcode']}"
    out = {"title": job["title"], "shortcode": job["shortcode"], "code": "",
           "employment_type": job["employment_type"], "telecommuting": job["telecommuting"],
           "department": job["department"], "url": url, "shortlink": url,
           "application_url": url + "/apply", "published_on": job["published_on"],
           "created_at": job["created_at"], "country": loc["country"], "city": loc["city"],
           "state": loc["region"] or "", "education": "", "experience": "Mid-Senior level",
           "locations": job["locations"]}
    if details:
        out["description"] = job["description"]
    return out


def handle(req: Req, state: dict) -> Response | None:
    if req.path == "/robots.txt":
        return Response(200, ROBOTS, {"content-type": "text/plain"})
    m = re.match(r"^/api/v1/widget/accounts/([^/]+)/?$", req.path)
    if not m:
        return Response(404, "<html><body>Not found</body></html>", {"content-type": "text/html"})
    sub = m.group(1).lower()
    board = BOARDS.get(sub)
    if board is None:
        return json_response({"error": "Not Found"}, 404)
    if board.get("rate_limit_once") and not state.get(f"wk429:{sub}"):
        state[f"wk429:{sub}"] = True
        return json_response({"error": "Too Many Requests"}, 429, {"Retry-After": "1"})
    details = req.arg("details") == "true"
    body = json.dumps({"name": board["name"], "description": board.get("description"),
                       "jobs": [_job(j, details) for j in board["jobs"]]})
    if board.get("malformed"):
        body = '{"name": "' + board["name"] + '", "jobs": [{"title": "Warehouse'
    return Response(200, body, {"content-type": "application/json; charset=utf-8"})
