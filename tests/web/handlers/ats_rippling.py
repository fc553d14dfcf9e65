"""Stand-in Rippling board API (api.rippling.com/platform/api/ats/v1/board/<slug>/jobs).

Hand-made boards in tests/web/data/rippling/ ({"jobs": [...]} holds the answer's bare array, in
the format of a real recorded answer; not paged). An unknown board answers 404; flags:
rate_limit_once, truncate.
"""
from __future__ import annotations

import json
import re

from _atsboards import ROBOTS_ALLOW, board_answer, load_json
from _http import Response, html_response, json_response

HOSTS = {"api.rippling.com", "ats.rippling.com"}
_API = re.compile(r"^/platform/api/ats/v1/board/([^/]+)/jobs/?$")


def handle(req, state):
    if req.path == "/robots.txt":
        return Response(200, ROBOTS_ALLOW, {"content-type": "text/plain"})
    if req.host == "api.rippling.com":
        m = _API.match(req.path)
        board = load_json("rippling", m.group(1)) if m else None
        if board is None:
            return json_response({"detail": "Not found."}, 404)
        return board_answer(board, json.dumps(board["jobs"]), state, f"rippling:429:{m.group(1)}",
                            "application/json")
    return html_response("<html><body><div id=\"root\"></div></body></html>")
