"""Stand-in Keka career portals (<company>.keka.com/careers and its embed jobs API).

Hand-made companies in tests/web/data/keka/<sub>.json in the shape open code reads: the careers
page names its portal id (`ats/documents/<id>/...` in a script), the embed script is served at
/careers/api/embedjobs/js/<id>, and /careers/api/embedjobs/default/active/<id> answers the bare
array of jobs (no paging). An unknown company or portal id answers 404; flags: rate_limit_once
(jobs API), truncate.
"""
from __future__ import annotations

import json
import re

from _atsboards import ROBOTS_ALLOW, board_answer, load_json
from _http import Response, html_response, json_response

HOSTS = {".keka.com"}
_API = re.compile(r"^/careers/api/embedjobs/default/active/([0-9a-f-]{36})$", re.I)


def handle(req, state):
    sub = req.host.split(".", 1)[0]
    if req.path == "/robots.txt":
        return Response(200, ROBOTS_ALLOW, {"content-type": "text/plain"})
    board = load_json("keka", sub)
    if board is None:
        return html_response("<html><body>Not found</body></html>", 404)
    m = _API.match(req.path)
    if m:
        if m.group(1).lower() != board["portal"]:
            return json_response({"error": "not found"}, 404)
        return board_answer(board, json.dumps(board["jobs"]), state, f"keka:429:{sub}", "application/json")
    if req.path.startswith("/careers/api/embedjobs/js/"):
        return Response(200, "/* Keka embed widget */", {"content-type": "application/javascript"})
    if req.path.rstrip("/") == "/careers":
        return html_response("<html><head><title>Careers</title></head><body><div id=\"content-container\"></div>"
                             f"<script>fetch('/ats/documents/{board['portal']}/careerportal/x.html')</script></body></html>")
    return html_response("<html><body>Not found</body></html>", 404)
