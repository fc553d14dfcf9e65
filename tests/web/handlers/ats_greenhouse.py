"""Stand-in Greenhouse boards API (boards-api.greenhouse.io, EU host) serving hand-made boards."""
from __future__ import annotations

import html
import json

from _atsboards import ROBOTS_ALLOW, board_answer, load_json
from _http import Response, json_response

HOSTS = {"boards-api.greenhouse.io", "boards-api.eu.greenhouse.io"}


def handle(req, state):
    if req.path == "/robots.txt":
        return Response(200, ROBOTS_ALLOW, {"content-type": "text/plain"})
    parts = [p for p in req.path.split("/") if p]
    if len(parts) < 3 or parts[:2] != ["v1", "boards"]:
        return json_response({"status": 404, "error": "Not found"}, 404)
    board = load_json("greenhouse", parts[2])
    if board is None or bool(board.get("eu")) != (req.host == "boards-api.eu.greenhouse.io"):
        return json_response({"status": 404, "error": "Job board not found"}, 404)
    if len(parts) == 3:
        return json_response({"name": board["name"], "content": f"<p>Jobs at {board['name']}</p>"})
    if parts[3:] != ["jobs"]:
        return json_response({"status": 404, "error": "Not found"}, 404)
    jobs = [dict(j) for j in board["jobs"]]
    if req.arg("content") != "true":  # without content=true the API leaves these out
        for job in jobs:
            for key in ("content", "departments", "offices"):
                job.pop(key, None)
    body = json.dumps({"jobs": jobs, "meta": {"total": len(jobs)}})
    return board_answer(board, body, state, f"greenhouse:429:{parts[2]}", "application/json; charset=utf-8",
                        req)
