"""Stand-in Freshteam career sites (<company>.freshteam.com/hire/widgets/jobs.json).

Hand-made companies in tests/web/data/freshteam/<sub>.json ({"feed": {jobs, branches,
job_roles}}, the shape open job collectors read); the feed is not paged. An unknown subdomain
answers 200 with an HTML "page not found" (as open code reports the real one does); flags:
rate_limit_once, truncate.
"""
from __future__ import annotations

import json

from _atsboards import ROBOTS_ALLOW, board_answer, load_json
from _http import Response, html_response

HOSTS = {".freshteam.com"}


def handle(req, state):
    sub = req.host.split(".", 1)[0]
    if req.path == "/robots.txt":
        return Response(200, ROBOTS_ALLOW, {"content-type": "text/plain"})
    board = load_json("freshteam", sub)
    if board is None:
        return html_response("<html><body><h1>Oops! The page you are looking for is not found.</h1></body></html>")
    if req.path == "/hire/widgets/jobs.json":
        return board_answer(board, json.dumps(board["feed"]), state, f"freshteam:429:{sub}",
                            "application/json; charset=utf-8")
    links = "".join(f'<li><a href="{j["url"]}">{j["title"]}</a></li>' for j in board["feed"]["jobs"])
    return html_response(f"<html><body><h1>Jobs</h1><ul>{links}</ul></body></html>")
