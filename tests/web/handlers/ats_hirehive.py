"""Stand-in HireHive feeds (<company>.hirehive.com/api/v1/jobs).

Hand-made companies in tests/web/data/hirehive/<sub>.json in the shape open code reads: {jobs,
nextPage, publishedJobsCount}; a feed longer than the company's page_size answers `take`/`skip`
pages and links the next one in `nextPage` (as open code reports the real one does when asked
for fewer jobs). An unknown company answers 404; flags: rate_limit_once (first page), truncate.
"""
from __future__ import annotations

import json

from _atsboards import ROBOTS_ALLOW, board_answer, load_json
from _http import Response, html_response, json_response

HOSTS = {".hirehive.com"}


def handle(req, state):
    sub = req.host.split(".", 1)[0]
    if req.path == "/robots.txt":
        return Response(200, ROBOTS_ALLOW, {"content-type": "text/plain"})
    board = load_json("hirehive", sub)
    if req.path.rstrip("/") == "/api/v1/jobs":
        if board is None:
            return json_response({"message": "Company not found"}, 404)
        take = max(1, min(int(req.arg("take", str(board["page_size"])) or 1), board["page_size"]))
        skip = max(0, int(req.arg("skip", "0") or 0))
        rows = board["jobs"]
        nxt = f"/api/v1/jobs?take={take}&skip={skip + take}" if skip + take < len(rows) else None
        body = json.dumps({"jobs": rows[skip: skip + take], "nextPage": nxt, "publishedJobsCount": len(rows)})
        flags = dict(board, rate_limit_once=board.get("rate_limit_once") and skip == 0)
        return board_answer(flags, body, state, f"hirehive:429:{sub}", "application/json; charset=utf-8")
    if board is None:
        return html_response("<html><body>Not found</body></html>", 404)
    links = "".join(f'<li><a href="{j["hostedUrl"]}">{j["title"]}</a></li>' for j in board["jobs"])
    return html_response(f"<html><body><h1>Careers</h1><ul>{links}</ul></body></html>")
