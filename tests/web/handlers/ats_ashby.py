"""Stand-in Ashby posting API (api.ashbyhq.com) serving hand-made job boards."""
from __future__ import annotations

import json

from _atsboards import ROBOTS_ALLOW, board_answer, load_json
from _http import Response, json_response

HOSTS = {"api.ashbyhq.com"}


def handle(req, state):
    if req.path == "/robots.txt":
        return Response(200, ROBOTS_ALLOW, {"content-type": "text/plain"})
    parts = [p for p in req.path.split("/") if p]
    if len(parts) != 3 or parts[:2] != ["posting-api", "job-board"]:
        return json_response({"success": False, "error": "Not found"}, 404)
    board = load_json("ashby", parts[2])
    if board is None:
        return json_response({"success": False, "error": "Job board not found"}, 404)
    jobs = [dict(j) for j in board["jobs"]]
    if req.arg("includeCompensation") != "true":
        for job in jobs:
            job.pop("compensation", None)
    body = json.dumps({"apiVersion": board.get("apiVersion", "1"), "jobs": jobs})
    return board_answer(board, body, state, f"ashby:429:{parts[2]}", "application/json; charset=utf-8")
