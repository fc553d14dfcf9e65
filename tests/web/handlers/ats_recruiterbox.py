"""Stand-in Trakstar Hire / Recruiterbox openings API (jsapi.recruiterbox.com/v1/openings).

Hand-made clients in tests/web/data/recruiterbox/<client>.json in the documented openings shape
({meta {limit, offset, total}, objects [...]}). Offset paging: the answer holds at most the
client's page_limit openings (the real API allows up to 250; small here so paging is
exercised) and states the limit it used. An unknown client answers 400 {"client_name":
"Invalid client name"}; flags: rate_limit_once (first page), truncate.
"""
from __future__ import annotations

import json

from _atsboards import ROBOTS_ALLOW, board_answer, load_json
from _http import Response, html_response, json_response

HOSTS = {"jsapi.recruiterbox.com", ".hire.trakstar.com"}


def handle(req, state):
    if req.path == "/robots.txt":
        return Response(200, ROBOTS_ALLOW, {"content-type": "text/plain"})
    if req.host != "jsapi.recruiterbox.com":
        return html_response("<html><body><h1>Careers</h1></body></html>")
    if req.path.rstrip("/") != "/v1/openings":
        return json_response({"detail": "Not found"}, 404)
    client = req.arg("client_name", "") or ""
    board = load_json("recruiterbox", client)
    if board is None:
        return json_response({"client_name": "Invalid client name"}, 400)
    limit = max(1, min(int(req.arg("limit", "20") or 20), board["page_limit"]))
    offset = max(0, int(req.arg("offset", "0") or 0))
    rows = board["objects"]
    body = json.dumps({"meta": {"limit": limit, "offset": offset, "total": len(rows)},
                       "objects": rows[offset: offset + limit]})
    flags = dict(board, rate_limit_once=board.get("rate_limit_once") and offset == 0)
    return board_answer(flags, body, state, f"recruiterbox:429:{client}", "application/json")
