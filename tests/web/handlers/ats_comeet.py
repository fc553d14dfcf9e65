"""Stand-in Comeet hosted careers pages (www.comeet.com/jobs/<slug>/<company uid>).

Hand-made companies in tests/web/data/comeet/<slug>.json, served as the hosted page carries them
(the shape open job collectors parse): `COMPANY_DATA = {...}` and `COMPANY_POSITIONS_DATA =
[...]` in an inline script; one page lists every position (no paging). An unknown company or a
wrong uid answers 404; flag truncate cuts the page inside the positions.
"""
from __future__ import annotations

import json
import re

from _atsboards import ROBOTS_ALLOW, load_json
from _http import Response, html_response

HOSTS = {"www.comeet.com", "comeet.com"}
_PAGE = re.compile(r"^/jobs/([a-z0-9_-]+)/([0-9A-Fa-f]{2}\.[0-9A-Fa-f]{3})(?:/.*)?$")


def handle(req, state):
    if req.path == "/robots.txt":
        return Response(200, ROBOTS_ALLOW, {"content-type": "text/plain"})
    m = _PAGE.match(req.path)
    board = load_json("comeet", m.group(1)) if m else None
    if board is None or board["uid"].upper() != m.group(2).upper():
        return html_response("<html><body><h1>Page not found</h1></body></html>", 404)
    company = dict(board["company"], url_comeet_hosted_page=f"https://www.comeet.com/jobs/{m.group(1)}/{board['uid']}")
    positions = json.dumps(board["positions"])
    if board.get("truncate"):
        positions = positions[: len(positions) // 2]
    page = ("<!DOCTYPE html><html><head><title>Careers</title></head><body><div id=\"app\"></div>"
            f"<script>\n    var COMPANY_DATA = {json.dumps(company)};\n"
            f"    var COMPANY_POSITIONS_DATA = {positions};\n</script></body></html>")
    return html_response(page)
