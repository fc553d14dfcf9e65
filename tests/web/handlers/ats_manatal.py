"""Stand-in Manatal open career-page API (core.api.manatal.com/open/v3/career-page/<account>/jobs/).

Hand-made accounts in tests/web/data/manatal/<account>.json, answered as Django REST pages
{count, next, previous, results} in the shape open job collectors read. The real page size is
10; here each account states its own (small, so paging is exercised). An unknown account or a
page past the end answers 404 {"detail": "Not found."}; flags: rate_limit_once (first page),
truncate.
"""
from __future__ import annotations

import json
import re

from _atsboards import ROBOTS_ALLOW, board_answer, load_json
from _http import Response, html_response, json_response

HOSTS = {"core.api.manatal.com", "www.careers-page.com"}
_API = re.compile(r"^/open/v3/career-page/([^/]+)/jobs/?$")


def handle(req, state):
    if req.path == "/robots.txt":
        return Response(200, ROBOTS_ALLOW, {"content-type": "text/plain"})
    if req.host == "www.careers-page.com":
        return html_response("<html><body><div id=\"app\"></div></body></html>")
    m = _API.match(req.path)
    board = load_json("manatal", m.group(1)) if m else None
    if board is None:
        return json_response({"detail": "Not found."}, 404)
    page = max(1, int(req.arg("page", "1") or 1))
    size, rows = board["page_size"], board["results"]
    chunk = rows[(page - 1) * size: page * size]
    if not chunk and page > 1:
        return json_response({"detail": "Invalid page."}, 404)
    base = f"https://core.api.manatal.com/open/v3/career-page/{m.group(1)}/jobs/"
    body = json.dumps({"count": len(rows), "results": chunk,
                       "next": f"{base}?page={page + 1}" if page * size < len(rows) else None,
                       "previous": f"{base}?page={page - 1}" if page > 1 else None})
    flags = dict(board, rate_limit_once=board.get("rate_limit_once") and page == 1)
    return board_answer(flags, body, state, f"manatal:429:{m.group(1)}", "application/json")
