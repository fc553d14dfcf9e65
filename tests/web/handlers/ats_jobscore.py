"""Stand-in JobScore feeds (careers.jobscore.com/jobs/<company>/feed.json) and careers pages.

Hand-made companies in tests/web/data/jobscore/<company>.json ({"feed": {company_name,
company_code, jobs}}, the shape open code reads from JobScore's documented feed); the feed is
not paged. An unknown company answers 404; flags: rate_limit_once, truncate.
"""
from __future__ import annotations

import json
import re

from _atsboards import board_answer, load_json
from _http import Response, html_response, json_response

HOSTS = {"careers.jobscore.com"}
_FEED = re.compile(r"^/jobs/([^/]+)/feed\.json$")


def handle(req, state):
    if req.path == "/robots.txt":
        return Response(200, "User-agent: *\nDisallow: /apply_flow/\n", {"content-type": "text/plain"})
    m = _FEED.match(req.path)
    if m:
        board = load_json("jobscore", m.group(1))
        if board is None:
            return json_response({"error": "not found"}, 404)
        return board_answer(board, json.dumps(board["feed"]), state, f"jobscore:429:{m.group(1)}",
                            "application/json; charset=utf-8")
    return html_response("<html><body><h1>Careers</h1></body></html>")
