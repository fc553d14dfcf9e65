"""Stand-in Polymer hire API (api.polymer.co/v1/hire/organizations/<slug>/jobs[/<id>]).

Hand-made organizations in tests/web/data/polymer/<slug>.json in the shape open code reads: the
list {items, meta {total, count, page, is_first, is_last, next_page, organization_name}} pages
by `page`/`per_page` (capped here by the organization's per_page_cap so paging is exercised);
the detail is the item plus `description` and `department`. An unknown organization or job
answers 404; flags: rate_limit_once (first list page), truncate (list pages cut mid-way),
malformed_detail (job ids whose detail is cut).
"""
from __future__ import annotations

import json
import re

from _atsboards import ROBOTS_ALLOW, board_answer, load_json
from _http import Response, html_response, json_response

HOSTS = {"api.polymer.co", "jobs.polymer.co"}
_LIST = re.compile(r"^/v1/hire/organizations/([^/]+)/jobs/?$")
_DETAIL = re.compile(r"^/v1/hire/organizations/([^/]+)/jobs/(\d+)/?$")


def _item(job: dict) -> dict:
    return {k: v for k, v in job.items() if k != "detail"}


def handle(req, state):
    if req.path == "/robots.txt":
        return Response(200, ROBOTS_ALLOW, {"content-type": "text/plain"})
    if req.host == "jobs.polymer.co":
        return html_response("<html><body><div id=\"root\"></div></body></html>")
    m = _LIST.match(req.path)
    if m:
        board = load_json("polymer", m.group(1))
        if board is None:
            return json_response({"error": "Not Found"}, 404)
        page = max(1, int(req.arg("page", "1") or 1))
        per_page = max(1, min(int(req.arg("per_page", "20") or 20), board["per_page_cap"]))
        rows = board["jobs"]
        chunk = rows[(page - 1) * per_page: page * per_page]
        last = page * per_page >= len(rows)
        body = json.dumps({"items": [_item(j) for j in chunk],
                           "meta": {"total": len(rows), "count": len(chunk), "page": page, "is_first": page == 1,
                                    "is_last": last, "next_page": None if last else page + 1,
                                    "organization_name": board["organization_name"]}})
        flags = dict(board, rate_limit_once=board.get("rate_limit_once") and page == 1)
        return board_answer(flags, body, state, f"polymer:429:{m.group(1)}", "application/json")
    m = _DETAIL.match(req.path)
    board = load_json("polymer", m.group(1)) if m else None
    for job in (board or {}).get("jobs", []):
        if str(job["id"]) == m.group(2):
            text = json.dumps({**_item(job), **job["detail"]})
            if m.group(2) in board.get("malformed_detail", []):
                text = text[:40]
            return Response(200, text, {"content-type": "application/json"})
    return json_response({"error": "Not Found"}, 404)
