"""Stand-in Jobvite career sites (jobs.jobvite.com/<careersite>/jobs and /job/<id>).

Hand-made career sites in tests/web/data/jobvite/boards.json rendered in the markup open code
reads: the listing is one page (no paging) with an `h3` per category and a `table.jv-job-list`
whose rows hold `td.jv-job-list-name > a[href=/<site>/job/<id>]` and `td.jv-job-list-location`;
a job page has the text in `div.jv-job-detail-description`. An unknown career site or job
answers 404; flags: rate_limit_once (listing), malformed_page (ids whose job page answers 500).
"""
from __future__ import annotations

import html
import json
import re
from pathlib import Path

from _atsboards import ROBOTS_ALLOW, rate_limited_once
from _http import Response, html_response

HOSTS = {"jobs.jobvite.com"}
BOARDS = json.loads((Path(__file__).resolve().parent.parent / "data" / "jobvite" / "boards.json")
                    .read_text(encoding="utf-8"))


def _listing(slug: str, board: dict) -> str:
    parts = []
    for cat in board["categories"]:
        rows = "".join(f'<tr><td class="jv-job-list-name"><a href="/{slug}/job/{j["id"]}">{html.escape(j["title"])}</a></td>'
                       f'<td class="jv-job-list-location">\n  {html.escape(j["location"])}\n</td></tr>' for j in cat["jobs"])
        parts.append(f'<h3>{html.escape(cat["name"])}</h3><table class="jv-job-list"><tbody>{rows}</tbody></table>')
    return f'<html><body><div class="jv-page-body">{"".join(parts)}</div></body></html>'


def handle(req, state):
    if req.path == "/robots.txt":
        return Response(200, ROBOTS_ALLOW, {"content-type": "text/plain"})
    segs = [s for s in req.path.split("/") if s]
    board = BOARDS.get(segs[0].lower()) if segs else None
    if board is None:
        return html_response("<html><body><h1>Page Not Found</h1></body></html>", 404)
    slug = segs[0].lower()
    if segs[1:] == ["jobs"]:
        if board.get("rate_limit_once"):
            limited = rate_limited_once(state, f"jobvite:429:{slug}")
            if limited is not None:
                return limited
        return html_response(_listing(slug, board))
    m = re.match(r"^/[^/]+/job/([A-Za-z0-9]+)/?$", req.path)
    for cat in board["categories"] if m else []:
        for job in cat["jobs"]:
            if job["id"] == m.group(1):
                if job["id"] in board.get("malformed_page", []):
                    return html_response("<html><body>Error</body></html>", 500)
                return html_response(f'<html><body><h2 class="jv-header">{html.escape(job["title"])}</h2>'
                                     f'<p class="jv-job-detail-meta">{html.escape(job["location"])}</p>'
                                     f'<div class="jv-job-detail-description">\n{job["text"]}\n</div>'
                                     f'<div class="jv-job-detail-bottom-actions"></div></body></html>')
    return html_response("<html><body><h1>Page Not Found</h1></body></html>", 404)
