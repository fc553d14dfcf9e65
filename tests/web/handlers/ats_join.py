"""Stand-in JOIN (join.com): company pages with Next.js data and the paged public jobs API.

Hand-made companies in tests/web/data/join/<slug>.json, in the shape open job collectors read:
join.com/companies/<slug> carries `__NEXT_DATA__` (props.pageProps.initialState.company {id,
name, domain}); join.com/api/public/companies/<id>/jobs?page=N&pageSize=M answers {items,
pagination {page, pageSize, pageCount, rowCount}} with at most 5 jobs a page. An unknown slug
answers 404; flags: gone (a 200 page whose pageProps.statusCode is 410), rate_limit_once (the
first API page answers 429 once), truncate (API pages cut mid-way).
"""
from __future__ import annotations

import json
import math
import re

from _atsboards import DATA, ROBOTS_ALLOW, board_answer, load_json
from _http import Response, html_response, json_response

HOSTS = {"join.com"}
_COMPANY = re.compile(r"^/companies/([A-Za-z0-9_-]+)(?:/.*)?$")
_API = re.compile(r"^/api/public/companies/(\d+)/jobs$")


def _by_id(cid: str):
    for path in sorted((DATA / "join").glob("*.json")):
        board = json.loads(path.read_text(encoding="utf-8"))
        if str(board["company"]["id"]) == cid:
            return path.stem, board
    return None, None


def handle(req, state):
    if req.path == "/robots.txt":
        return Response(200, ROBOTS_ALLOW, {"content-type": "text/plain"})
    m = _API.match(req.path)
    if m:
        slug, board = _by_id(m.group(1))
        if board is None:
            return json_response({"statusCode": 404, "message": "Entity not found"}, 404)
        size = max(1, min(int(req.arg("pageSize", "5") or 5), 5))
        page = max(1, int(req.arg("page", "1") or 1))
        rows = board["jobs"]
        body = json.dumps({"items": rows[(page - 1) * size: page * size],
                           "pagination": {"page": page, "pageSize": size, "rowCount": len(rows),
                                          "pageCount": max(1, math.ceil(len(rows) / size))}})
        flags = dict(board, rate_limit_once=board.get("rate_limit_once") and page == 1)
        return board_answer(flags, body, state, f"join:429:{slug}", "application/json; charset=utf-8")
    m = _COMPANY.match(req.path)
    board = load_json("join", m.group(1)) if m else None
    if board is None:
        return html_response("<html><body><h1>404</h1></body></html>", 404)
    props = {"statusCode": 410} if board.get("gone") else {
        "initialState": {"company": board["company"], "jobs": {"items": board["jobs"][:5]}}}
    data = json.dumps({"props": {"pageProps": props}, "page": "/companies/[companyDomain]"})
    return html_response(f"<html><body><div id=\"__next\"></div><script id=\"__NEXT_DATA__\" "
                         f"type=\"application/json\">{data}</script></body></html>")
