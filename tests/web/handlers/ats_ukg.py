"""Stand-in UKG Pro Recruiting boards: POST .../JobBoard/{guid}/JobBoardView/LoadSearchResults.

Boards: tests/web/data/ukg/boards.json ("{host}/{TENANT}/JobBoard/{guid}" -> jobs). Answers
{totalCount, opportunities[]} in the shape of an open project's recorded Nikon Precision answer
(its test fixture UKG_ANSWER: Id, Title, RequisitionNumber, Locations with LocalizedDescription
and Address {City, State {Code, Name}}, PostedDate), with the fields open readers also use
(FullTime, JobCategoryName, BriefDescription, Address.Country). Honours Top/Skip; a Top above
100 answers 400 (as readers report); one board answers truncated JSON; an unknown board 404.
"""
from __future__ import annotations

import json
import re
from pathlib import Path

from _atsboards import ROBOTS_ALLOW
from _http import Response, html_response, json_response

HOSTS = {".ultipro.com", ".ultipro.ca", ".rec.pro.ukg.net"}
BOARDS = json.loads((Path(__file__).resolve().parent.parent / "data" / "ukg" / "boards.json")
                    .read_text(encoding="utf-8"))


def handle(req, state):
    if req.path == "/robots.txt":
        return Response(200, ROBOTS_ALLOW, {"content-type": "text/plain"})
    m = re.match(r"^/([^/]+/JobBoard/[0-9a-f-]+)/JobBoardView/LoadSearchResults$", req.path, re.I)
    board = BOARDS.get(f"{req.host}/{m.group(1)}") if m else None
    if board is None or req.method != "POST":
        return html_response("<html><body><h1>Page not found</h1></body></html>", 404)
    search = (req.json() or {}).get("opportunitySearch") or {}
    top, skip = int(search.get("Top", 50)), int(search.get("Skip", 0))
    if top > 100:
        return json_response({"message": "Top must be at most 100"}, 400)
    body = json.dumps({"totalCount": len(board["jobs"]), "opportunities": board["jobs"][skip:skip + top]})
    if board.get("truncate"):
        body = body[: len(body) // 2]
    return Response(200, body, {"content-type": "application/json; charset=utf-8"})
