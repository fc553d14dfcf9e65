"""Stand-in Breezy HR portals (<company>.breezy.hr/json).

Hand-made portals in tests/web/data/breezy/ ({"positions": [...]} holds the answer's bare array),
in the position shape that open code reading this feed types (id, friendly_id, name, url,
published_date, type, location {country, city, is_remote, name}, department, company); the feed
is not paged. An unknown portal answers 404 (what the real one answers is not recorded); flags:
rate_limit_once, truncate.
"""
from __future__ import annotations

import json

from _atsboards import ROBOTS_ALLOW, board_answer, load_json
from _http import Response, html_response

HOSTS = {".breezy.hr"}


def handle(req, state):
    sub = req.host.split(".", 1)[0]
    if req.path == "/robots.txt":
        return Response(200, ROBOTS_ALLOW, {"content-type": "text/plain"})
    board = load_json("breezy", sub)
    if board is None:
        return html_response("<html><body><h1>Page not found</h1></body></html>", 404)
    if req.path == "/json":
        return board_answer(board, json.dumps(board["positions"]), state, f"breezy:429:{sub}",
                            "application/json; charset=utf-8")
    links = "".join(f'<li><a href="{p["url"]}">{p["name"]}</a></li>' for p in board["positions"])
    return html_response(f"<html><body><h1>Open positions</h1><ul>{links}</ul></body></html>")
