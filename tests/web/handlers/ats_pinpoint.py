"""Stand-in Pinpoint career sites (<tenant>.pinpointhq.com/postings.json).

Hand-made tenants in tests/web/data/pinpoint/, in the format of real recorded feeds ({"data":
[...]}, every posting in one answer: Pinpoint does not page this feed). An unknown tenant
answers 404; flags: rate_limit_once (429 then the feed), truncate (a body cut mid-way).
"""
from __future__ import annotations

import json

from _atsboards import ROBOTS_ALLOW, board_answer, load_json
from _http import Response, html_response, json_response

HOSTS = {".pinpointhq.com"}


def handle(req, state):
    sub = req.host.split(".", 1)[0]
    if req.path == "/robots.txt":
        return Response(200, ROBOTS_ALLOW, {"content-type": "text/plain"})
    board = load_json("pinpoint", sub)
    if board is None:
        return json_response({"errors": [{"status": "404", "title": "Not Found"}]}, 404)
    if req.path == "/postings.json":
        body = json.dumps({"data": board["data"]})
        return board_answer(board, body, state, f"pinpoint:429:{sub}", "application/json; charset=utf-8")
    if req.path in ("/", "/en", "/en/postings"):
        links = "".join(f'<li><a href="{p["url"]}">{p["title"]}</a></li>' for p in board["data"])
        return html_response(f"<html><body><h1>Careers</h1><ul>{links}</ul></body></html>")
    return html_response("<html><body>Not found</body></html>", 404)
