"""Stand-in Recruitee career sites (<company>.recruitee.com/api/offers/)."""
from __future__ import annotations

import json

from _atsboards import ROBOTS_ALLOW, board_answer, load_json
from _http import Response, html_response, json_response

HOSTS = {".recruitee.com"}


def handle(req, state):
    sub = req.host.split(".", 1)[0]
    if req.path == "/robots.txt":
        return Response(200, "User-agent: *\nDisallow: /api/c/\nAllow: /\n", {"content-type": "text/plain"})
    board = load_json("recruitee", sub)
    if board is None:
        return html_response("<html><body><h1>Page not found</h1></body></html>", 404)
    if req.path.rstrip("/") == "/api/offers":
        body = json.dumps({"offers": board["offers"]})
        return board_answer(board, body, state, f"recruitee:429:{sub}", "application/json; charset=utf-8")
    if req.path == "/":
        links = "".join(f'<li><a href="{o["careers_url"]}">{o["title"]}</a></li>' for o in board["offers"])
        return html_response(f"<html><body><h1>Careers</h1><ul>{links}</ul></body></html>")
    return json_response({"error": "Not found"}, 404)
