"""Stand-in Zoho Recruit career sites (<company>.zohorecruit.com/jobs/Careers).

Hand-made companies in tests/web/data/zohorecruit/<sub>.json served as open code reports the real
page carries them: the postings as entity-escaped JSON in a hidden `<input id="jobs">` (at most
50; no paging). An unknown company answers 404; flags: rate_limit_once, truncate (the input's
JSON cut mid-way).
"""
from __future__ import annotations

import html
import json

from _atsboards import ROBOTS_ALLOW, load_json, rate_limited_once
from _http import Response, html_response

HOSTS = {".zohorecruit.com"}


def handle(req, state):
    sub = req.host.split(".", 1)[0]
    if req.path == "/robots.txt":
        return Response(200, ROBOTS_ALLOW, {"content-type": "text/plain"})
    board = load_json("zohorecruit", sub)
    if board is None:
        return html_response("<html><body><h1>Invalid URL</h1></body></html>", 404)
    if req.path.rstrip("/").lower() != "/jobs/careers":
        return html_response("<html><body><h1>Job</h1></body></html>")
    if board.get("rate_limit_once"):
        limited = rate_limited_once(state, f"zohorecruit:429:{sub}")
        if limited is not None:
            return limited
    data = json.dumps(board["postings"][:50])
    if board.get("truncate"):
        data = data[: len(data) // 2]
    return html_response(f"<html><head><title>Careers</title></head><body><div id=\"app\"></div>"
                         f"<input type=\"hidden\" id=\"jobs\" value=\"{html.escape(data, quote=True)}\">"
                         f"<input type=\"hidden\" id=\"meta\" value=\"{{}}\"></body></html>")
