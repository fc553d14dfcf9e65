"""Stand-in Dayforce candidate portals (jobs.dayforcehcm.com): portal page, CSRF, geo search.

Boards: tests/web/data/dayforce/boards.json (namespace -> board code, postings). As open readers
describe it: the portal page sets a next-auth cookie; /api/auth/csrf answers {csrfToken} to a
visitor carrying it; POST /api/geo/{namespace}/jobposting/search answers 403 without the token
header and the cookie, else {jobPostings, maxCount, offset, count}, 25 a page from
paginationStart. An unknown namespace's portal answers 404. A short link on a company host
redirects to the portal (whose page names no board: found by its own URL). Not a recording.
"""
from __future__ import annotations

import json
import re
from pathlib import Path

from _atsboards import ROBOTS_ALLOW
from _http import Response, html_response, json_response

SHORT_LINK = "go.asrcfederal.example"  # a company's short link that redirects to its portal
HOSTS = {"jobs.dayforcehcm.com", SHORT_LINK}
BOARDS = json.loads((Path(__file__).resolve().parent.parent / "data" / "dayforce" / "boards.json")
                    .read_text(encoding="utf-8"))
COOKIE = "next-auth.csrf-token"
PAGE = 25


def handle(req, state):
    if req.path == "/robots.txt":
        return Response(200, ROBOTS_ALLOW, {"content-type": "text/plain"})
    if req.host == SHORT_LINK:
        return Response(302, "", {"location": "https://jobs.dayforcehcm.com/en-US/asrcfh/CANDIDATEPORTAL"})
    cookie = req.headers.get("cookie", "")
    if req.path == "/api/auth/csrf":
        m = re.search(rf"{re.escape(COOKIE)}=([^;]+)", cookie)
        if not m:
            return json_response({"message": "no session"}, 401)
        return json_response({"csrfToken": m.group(1).split("%7C")[0]})
    m = re.match(r"^/api/geo/([^/]+)/jobposting/search$", req.path)
    if m and req.method == "POST":
        board = BOARDS.get(m.group(1).lower())
        token = req.headers.get("x-csrf-token", "")
        if board is None:
            return json_response({"message": "Not Found"}, 404)
        if not token or f"{COOKIE}={token}%7C" not in cookie:
            return json_response({"message": "Forbidden"}, 403)
        body = req.json() or {}
        start = int(body.get("paginationStart", 0))
        page = board["jobs"][start:start + PAGE]
        return json_response({"jobPostings": page, "maxCount": len(board["jobs"]), "offset": start, "count": len(page)})
    m = re.match(r"^/[a-z]{2}-[A-Z]{2}/([^/]+)/([^/]+)(?:/jobs/\d+)?/?$", req.path)
    if m and m.group(1).lower() in BOARDS:
        token = f"tok{m.group(1).lower()}"
        return Response(200, f"<html><body><div id='__next'>{m.group(1)}</div></body></html>",
                        {"content-type": "text/html",
                         "set-cookie": f"{COOKIE}={token}%7Chash123; Path=/; HttpOnly; SameSite=Lax"})
    return html_response("<html><body>404 | This page could not be found.</body></html>", 404)
