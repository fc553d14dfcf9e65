"""Stand-in Eightfold career sites: the apply/v2 jobs API and the PCSX search.

Boards: tests/web/data/eightfold/boards.json (host -> domain, jobs). Answers in the recorded
shapes (apply/v2: {domain, count, positions[]} with t_create, work_location_option,
canonicalPositionUrl and an empty job_description; PCSX: {status, error, data: {positions[],
count, sortBy}} with postedTs, workLocationOption, relative positionUrl). Pages cap at 10 rows
whatever `num` asks (as PCSX does); a tenant with apply/v2 closed answers it 403 "Not authorized
for PCSX". Detail: GET /api/apply/v2/jobs/{id} -> the position with job_description (shape from
open projects' readers; not checked against a real detail); one job's detail is truncated. An
unknown tenant answers 404; a wrong `domain` answers an empty list.
"""
from __future__ import annotations

import json
import re
from pathlib import Path

from _atsboards import ROBOTS_ALLOW
from _http import Response, json_response

BOARDS = json.loads((Path(__file__).resolve().parent.parent / "data" / "eightfold" / "boards.json")
                    .read_text(encoding="utf-8"))
HOSTS = {".eightfold.ai", *BOARDS}


def _apply_v2(host: str, board: dict, job: dict, detail: bool = False) -> dict:
    return {"id": job["id"], "name": job["name"], "posting_name": job["name"], "location": job["location"],
            "locations": [job["location"]], "hot": 0, "department": job["department"],
            "t_update": job["t_create"] + 60, "t_create": job["t_create"], "ats_job_id": job["display_job_id"],
            "display_job_id": job["display_job_id"], "type": "ATS",
            "job_description": job["description"] if detail else "", "locale": "en_US",
            "work_location_option": job["work_location_option"],
            "canonicalPositionUrl": f"https://{host}/careers/job/{job['id']}", "isPrivate": False}


def _pcsx(job: dict) -> dict:
    return {"id": job["id"], "displayJobId": job["display_job_id"], "name": job["name"],
            "locations": [job["location"]], "standardizedLocations": [job["location"]],
            "postedTs": job["t_create"], "department": job["department"], "creationTs": job["t_create"] - 100,
            "isHot": 0, "workLocationOption": job["work_location_option"], "atsJobId": job["display_job_id"],
            "positionUrl": f"/careers/job/{job['id']}"}


def handle(req, state):
    if req.path == "/robots.txt":
        return Response(200, ROBOTS_ALLOW, {"content-type": "text/plain"})
    board = BOARDS.get(req.host)
    if board is None:
        return json_response({"message": "Not Found"}, 404)
    jobs = board["jobs"] if req.arg("domain") in (None, board["domain"]) else []
    start = int(req.arg("start", "0") or 0)
    num = min(int(req.arg("num", "10") or 10), board["page_cap"])
    if req.path == "/api/apply/v2/jobs":
        if board["closed_apply_v2"]:
            return json_response({"message": "Not authorized for PCSX"}, 403)
        return json_response({"domain": board["domain"], "count": len(jobs),
                              "positions": [_apply_v2(req.host, board, j) for j in jobs[start:start + num]]})
    if req.path == "/api/pcsx/search":
        return json_response({"status": 200, "error": {}, "data": {
            "positions": [_pcsx(j) for j in jobs[start:start + num]], "count": len(jobs),
            "sortBy": req.arg("sort_by", "relevance")}})
    m = re.match(r"^/api/apply/v2/jobs/(\d+)$", req.path)
    if m:
        for job in jobs:
            if str(job["id"]) == m.group(1):
                body = json.dumps(_apply_v2(req.host, board, job, detail=True))
                if job["id"] in board.get("malformed_detail", []):
                    body = body[: len(body) // 2]
                return Response(200, body, {"content-type": "application/json"})
        return json_response({"message": "Position not found"}, 404)
    return Response(404, "<html><body>Not Found</body></html>", {"content-type": "text/html"})
