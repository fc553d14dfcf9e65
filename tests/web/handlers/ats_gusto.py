"""Stand-in Gusto-hosted boards (jobs.gusto.com/boards/<company>-<uuid>, /postings/<slug>-<uuid>).

Hand-made boards in tests/web/data/gusto/boards.json rendered in the markup of real recorded
board and posting pages: the board lists every posting as `li > a[href=/postings/...]` with an
`h3` title, a `p` of location lines (with "Remote" for remote jobs) and a `p` with the
employment type (no paging); a posting page has the company blurb and the job text in
`rich-text-container` blocks and links back to its board (`/boards/...`, as the real page does).
An unknown board or posting answers 404; flags: rate_limit_once
(board page), truncate (the board page becomes an error page without postings),
malformed_posting (posting ids whose page answers 500).
"""
from __future__ import annotations

import html
import json
import re
from pathlib import Path

from _atsboards import ROBOTS_ALLOW, rate_limited_once
from _http import Response, html_response

HOSTS = {"jobs.gusto.com"}
BOARDS = json.loads((Path(__file__).resolve().parent.parent / "data" / "gusto" / "boards.json")
                    .read_text(encoding="utf-8"))


def _board_page(board: dict) -> str:
    items = []
    for p in board["postings"]:
        lines = "".join(f"\n    {html.escape(x)}\n    <br>" for x in p["locations"] + (["Remote"] if p["remote"] else []))
        items.append(f'<li>\n  <a class="block hover:bg-gray-50" href="/postings/{p["slug"]}-{p["id"]}">\n'
                     f'  <div class="px-4 py-4 sm:px-6">\n    <h3 class="text-lg">{html.escape(p["title"])}</h3>\n'
                     f'    <p class="text-gray-500 flex"><svg class="h-5 w-5"></svg>{lines}\n    </p>\n'
                     f'    <p class="text-gray-500 flex items-center">\n      {p["type"]}\n    </p>\n  </div>\n</a></li>')
    return (f"<html><head><title>Careers at {html.escape(board['company'])}</title></head><body>"
            f"<h1>{html.escape(board['company'])}</h1><h2>Open Positions</h2><ul>{''.join(items)}</ul></body></html>")


def _posting_page(token: str, board: dict, p: dict) -> str:
    return (f"<html><head><title>{html.escape(p['title'])} at {html.escape(board['company'])}</title></head><body>"
            f"<nav><a href=\"/boards/{token}\">All jobs at {html.escape(board['company'])}</a></nav>"
            f"<h1><span>{html.escape(board['company'])}</span><span>{html.escape(p['title'])}</span>"
            f"<span>{html.escape(p['locations'][0])} · {p['type']}</span>"
            f"<a href=\"/postings/{p['slug']}-{p['id']}/applicants/new\">Apply</a></h1>"
            f"<div class=\"text-lg max-w-prose mx-auto\"><div class=\"rich-text-container\" "
            f"data-rich-text-target=\"richTextContainer\">\n  {html.escape(board.get('about', ''))}\n</div>"
            f"<div class=\"rich-text-container\">\n  {p['text']}\n</div></div></body></html>")


def handle(req, state):
    if req.path == "/robots.txt":
        return Response(200, ROBOTS_ALLOW, {"content-type": "text/plain"})
    m = re.match(r"^/boards/([a-z0-9-]+)/?$", req.path)
    if m:
        board = BOARDS.get(m.group(1))
        if board is None:
            return html_response("<html><body><h1>The page you were looking for doesn't exist.</h1></body></html>", 404)
        if board.get("rate_limit_once"):
            limited = rate_limited_once(state, f"gusto:429:{m.group(1)}")
            if limited is not None:
                return limited
        if board.get("truncate"):
            return html_response("<html><body><p>We're sorry, but something went wrong.</p></body></html>")
        return html_response(_board_page(board))
    m = re.match(r"^/postings/([a-z0-9-]+)/?$", req.path)
    if m:
        for token, board in BOARDS.items():
            for p in board["postings"]:
                if m.group(1) == f"{p['slug']}-{p['id']}":
                    if p["id"] in board.get("malformed_posting", []):
                        return html_response("<html><body>Internal Server Error</body></html>", 500)
                    return html_response(_posting_page(token, board, p))
    return html_response("<html><body>Not found</body></html>", 404)
