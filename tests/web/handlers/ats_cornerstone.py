"""Stand-in Cornerstone OnDemand career sites and their regional rec-job-search API.

Boards: tests/web/data/cornerstone/boards.json ("{host}/{site}" -> pod, token audience, jobs).
The career-site page carries `csod.context={... "token": <JWT>, "endpoints": {"cloud": pod}}`;
POST https://{pod}/rec-job-search/external/jobs answers 401 without the page's bearer token or
without the ASP.NET_SessionId cookie set to the token's aud (as readers report for US pods),
else {status: "Success", data: {totalCount, requisitions}} paged by pageNumber/pageSize. A
site id that does not exist redirects to /ui/error. Not a recording.
"""
from __future__ import annotations

import base64
import json
import re
from pathlib import Path

from _atsboards import ROBOTS_ALLOW
from _http import Response, html_response, json_response

HOSTS = {".csod.com"}
BOARDS = json.loads((Path(__file__).resolve().parent.parent / "data" / "cornerstone" / "boards.json")
                    .read_text(encoding="utf-8"))


def _b64(obj: dict) -> str:
    return base64.urlsafe_b64encode(json.dumps(obj).encode()).decode().rstrip("=")


def token(board: dict, host: str) -> str:
    claims = {"aud": board["aud"], "corp": host, "exp": 4102444800}
    return f"{_b64({'alg': 'HS256', 'typ': 'JWT'})}.{_b64(claims)}.c2lnbmF0dXJl"


def _corp(authorization: str) -> str:
    """Return the tenant host a bearer token was issued for (its `corp` claim), or ''."""
    try:
        payload = authorization.split(" ", 1)[1].split(".")[1]
        return json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4))).get("corp", "")
    except (IndexError, ValueError, AttributeError):
        return ""


def handle(req, state):
    if req.path == "/robots.txt":
        return Response(200, ROBOTS_ALLOW, {"content-type": "text/plain"})
    if req.path == "/rec-job-search/external/jobs" and req.method == "POST":
        body = req.json() or {}
        corp = _corp(req.headers.get("authorization", ""))
        board = BOARDS.get(f"{corp}/{body.get('careerSitePageId')}")
        if board is None or board["pod"] != req.host:
            return json_response({"status": "Error", "data": None, "error": "ResourceNotFound"}, 404)
        if req.headers.get("authorization") != f"Bearer {token(board, corp)}" or \
                f"ASP.NET_SessionId={board['aud']}" not in req.headers.get("cookie", ""):
            return json_response({"status": "Unauthorized"}, 401)
        page, size = int(body.get("pageNumber", 1)), min(int(body.get("pageSize", 25)), 1000)
        rows = board["jobs"][(page - 1) * size: page * size]
        return json_response({"status": "Success", "timeStamp": "2026-10-01T00:00:00Z",
                              "data": {"totalCount": len(board["jobs"]), "requisitions": rows}})
    m = re.match(r"^/ux/ats/careersite/(\d+)/home(?:/requisition/\d+)?$", req.path)
    if m:
        board = BOARDS.get(f"{req.host}/{m.group(1)}")
        if board is None:
            return Response(302, "", {"location": f"https://{req.host}/ui/error"})
        context = {"token": token(board, req.host), "endpoints": {"cloud": f"https://{board['pod']}/"}, "corp": req.host}
        return html_response(f"<html><head><script>csod.context={json.dumps(context)};\ncsod.ready=true;</script>"
                             f"</head><body><div id='app'></div></body></html>")
    return html_response("<html><body><h1>Error</h1></body></html>")
