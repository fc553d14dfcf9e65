"""Stand-in BambooHR careers JSON (hand-made tenants in tests/web/data/bamboohr/).

GET {sub}.bamboohr.com/careers/list and /careers/{id}/detail. A missing tenant redirects to
the marketing site (302), as the real one does; one tenant answers 429 once; one detail is
truncated JSON.
"""
from __future__ import annotations

import json
import re
from pathlib import Path

from _http import Req, Response, json_response

HOSTS = {".bamboohr.com"}
BOARDS = json.loads((Path(__file__).resolve().parent.parent / "data" / "bamboohr" / "boards.json")
                    .read_text(encoding="utf-8"))
ROBOTS = "User-agent: *\nDisallow: /login.php\nDisallow: /saml/\nDisallow: /mobile/\n"
LIST_FIELDS = ("id", "jobOpeningName", "departmentLabel", "employmentStatusLabel", "location",
               "atsLocation", "isRemote", "locationType")


def _list_row(o: dict) -> dict:
    row = {k: o.get(k) for k in LIST_FIELDS}
    row["departmentId"] = str(18000 + int(o["id"]))
    row["employmentType"] = None
    return row


def _detail(sub: str, o: dict) -> dict:
    opening = dict(_list_row(o))
    opening.update({"jobOpeningShareUrl": f"https://{sub}.bamboohr.com/careers/{o['id']}",
                    "jobOpeningStatus": "Open", "description": o["description"],
                    "datePosted": o["datePosted"], "compensation": o.get("compensation"),
                    "minimumExperience": None})
    return {"meta": {}, "result": {"jobOpening": opening}}


def handle(req: Req, state: dict) -> Response | None:
    sub = req.host.split(".", 1)[0]
    if req.path == "/robots.txt":
        return Response(200, ROBOTS, {"content-type": "text/plain"})
    board = BOARDS.get(sub)
    if board is None:
        return Response(302, "", {"location": "https://www.bamboohr.com/careers-page-not-found",
                                  "content-type": "text/html"})
    if board.get("rate_limit_once") and not state.get(f"bb429:{sub}"):
        state[f"bb429:{sub}"] = True
        return Response(429, "Too Many Requests", {"Retry-After": "1", "content-type": "text/plain"})
    if req.path == "/careers/list":
        return json_response({"meta": {"totalCount": len(board["openings"])},
                              "result": [_list_row(o) for o in board["openings"]]})
    m = re.match(r"^/careers/(\d+)/detail$", req.path)
    if m:
        for o in board["openings"]:
            if o["id"] == m.group(1):
                text = json.dumps(_detail(sub, o))
                if o["id"] in (board.get("malformed_detail") or []):
                    text = text[:200]
                return Response(200, text, {"content-type": "application/json"})
        return json_response({"meta": {}, "result": None}, 404)
    return Response(404, "<html><body>Not found</body></html>", {"content-type": "text/html"})
