"""Stand-in Gem job board API (api.gem.com/job_board/v0/<board>/job_posts) and board pages.

Hand-made boards in tests/web/data/gem/ ({"posts": [...]} holds the answer's bare array, in the
format of a real recorded job_posts answer; Gem does not page it). An unknown board answers 404;
flags: rate_limit_once, truncate.
"""
from __future__ import annotations

import json
import re

from _atsboards import ROBOTS_ALLOW, board_answer, load_json
from _http import Response, html_response, json_response

HOSTS = {"api.gem.com", "jobs.gem.com"}
_API = re.compile(r"^/job_board/v0/([^/]+)/job_posts/?$")


def handle(req, state):
    if req.path == "/robots.txt":
        return Response(200, ROBOTS_ALLOW, {"content-type": "text/plain"})
    if req.host == "api.gem.com":
        m = _API.match(req.path)
        board = load_json("gem", m.group(1)) if m else None
        if board is None:
            return json_response({"error": "Job board not found"}, 404)
        return board_answer(board, json.dumps(board["posts"]), state, f"gem:429:{m.group(1)}",
                            "application/json; charset=utf-8")
    name = (req.path.strip("/").split("/") or [""])[0]
    board = load_json("gem", name)
    if board is None:
        return html_response("<html><body>Not found</body></html>", 404)
    links = "".join(f'<li><a href="{p["absolute_url"]}">{p["title"]}</a></li>' for p in board["posts"])
    return html_response(f"<html><body><h1>Open roles</h1><ul>{links}</ul></body></html>")
