"""Stand-in ADP Workforce Now career centers: the public job-requisitions list and detail.

Boards: tests/web/data/adp/boards.json ("{cid}/{ccId}" -> requisitions). The list answers
{jobRequisitions, meta: {totalNumber}} without descriptions, at most 20 rows whatever $top asks
(as some readers see); the detail (/job-requisitions/{itemID}) adds requisitionDescription. An
unknown cid answers ADP's failure envelope with 404 (a shape open readers quote for refused
calls); one detail is truncated. Not a recording.
"""
from __future__ import annotations

import json
import re
from pathlib import Path

from _atsboards import ROBOTS_ALLOW
from _http import Response, html_response, json_response

HOSTS = {"workforcenow.adp.com"}
BOARDS = json.loads((Path(__file__).resolve().parent.parent / "data" / "adp" / "boards.json")
                    .read_text(encoding="utf-8"))
API = "/mascsr/default/careercenter/public/events/staffing/v1/job-requisitions"
PAGE_CAP = 20


def _failure(status: int) -> Response:
    return json_response({"confirmMessage": {"protocolStatusCode": {"codeValue": str(status)},
                                             "requestStatusCode": {"codeValue": "failed"}}}, status)


def handle(req, state):
    if req.path == "/robots.txt":
        return Response(200, ROBOTS_ALLOW, {"content-type": "text/plain"})
    m = re.match(rf"^{re.escape(API)}(?:/([^/]+))?$", req.path)
    if not m:
        return html_response("<html><body>Your browser is not supported.</body></html>")
    board = BOARDS.get(f"{req.arg('cid', '')}/{req.arg('ccId', '')}")
    if board is None:
        return _failure(404)
    jobs = board["jobs"]
    if m.group(1) is None:
        top, skip = min(int(req.arg("$top", "20") or 20), PAGE_CAP), int(req.arg("$skip", "0") or 0)
        rows = [{k: v for k, v in j.items() if k != "requisitionDescription"} for j in jobs[skip:skip + top]]
        return json_response({"jobRequisitions": rows, "meta": {"totalNumber": len(jobs), "startSequence": skip + 1}})
    for job in jobs:
        if job["itemID"] == m.group(1):
            body = json.dumps(job)
            if job["itemID"] in board.get("malformed_detail", []):
                body = body[: len(body) // 2]
            return Response(200, body, {"content-type": "application/json"})
    return _failure(404)
