"""Stand-in Lever postings API (api.lever.co, api.eu.lever.co): skip/limit paging, 404s, 429."""
from __future__ import annotations

import json

from _atsboards import ROBOTS_ALLOW, board_answer, load_json
from _http import Response, json_response

HOSTS = {"api.lever.co", "api.eu.lever.co"}


def handle(req, state):
    if req.path == "/robots.txt":
        return Response(200, ROBOTS_ALLOW, {"content-type": "text/plain"})
    parts = [p for p in req.path.split("/") if p]
    if len(parts) != 3 or parts[:2] != ["v0", "postings"]:
        return json_response({"ok": False, "error": "Not found"}, 404)
    board = load_json("lever", parts[2])
    if board is None or bool(board.get("eu")) != (req.host == "api.eu.lever.co"):
        return json_response({"ok": False, "error": "Document not found"}, 404)
    if req.arg("mode") != "json":
        return Response(200, "<html><body>Lever jobs</body></html>", {"content-type": "text/html"})
    try:
        skip = int(req.arg("skip", "0"))
        limit = int(req.arg("limit", "0")) or None
    except ValueError:
        return json_response({"ok": False, "error": "Invalid skip or limit"}, 400)
    postings = board["postings"][skip: skip + limit if limit else None]
    key = f"lever:429:{parts[2]}:{skip}" if skip else f"lever:429:{parts[2]}"
    # only the second page is rate-limited, so the retry happens in the middle of paging
    flags = dict(board, rate_limit_once=board.get("rate_limit_once") and skip > 0)
    return board_answer(flags, json.dumps(postings), state, key, "application/json; charset=utf-8")
