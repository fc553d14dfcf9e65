"""Stand-in HiBob careers sites (<company>.careers.hibob.com/api/job-ad).

Hand-made companies in tests/web/data/hibob/<sub>.json ({"feed": {filterGroups,
jobAdDetails}}, the shape open job collectors read); the feed is not paged. As open code
reports the real one does, the feed answers 401 without the `companyIdentifier` header naming
the company, and for an unknown company; flags: rate_limit_once, truncate.
"""
from __future__ import annotations

import json

from _atsboards import ROBOTS_ALLOW, board_answer, load_json
from _http import Response, html_response

HOSTS = {".careers.hibob.com"}


def handle(req, state):
    sub = req.host.split(".", 1)[0]
    if req.path == "/robots.txt":
        return Response(200, ROBOTS_ALLOW, {"content-type": "text/plain"})
    board = load_json("hibob", sub)
    if req.path == "/api/job-ad":
        if board is None or req.headers.get("companyidentifier", "").lower() != sub:
            return html_response("<html>401 Unauthorized</html>", 401)
        return board_answer(board, json.dumps(board["feed"]), state, f"hibob:429:{sub}", "application/json")
    return html_response("<html><body><careers-app-root></careers-app-root></body></html>")
