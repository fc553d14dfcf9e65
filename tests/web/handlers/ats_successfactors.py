"""Stand-in SAP SuccessFactors career sites: the RSS feed and the search pages.

Boards: tests/web/data/successfactors/boards.json (host -> jobs). The feed is written in the
recorded Qorvo shape (RSS 2.0, atom self link, items whose title ends "(City, ST, CC, Zip)",
CDATA descriptions, RFC 822 pubDate, /job/{slug}/{id}/ links with J2WRSS tracking parameters).
A site without a feed answers it 404 and serves search pages (25 rows a page, tr.data-row with
a.jobTitle-link, span.jobLocation, span.jobDate: the career-site template as open projects
describe it, not a recording). One site's feed is truncated; an unknown site answers 404.
"""
from __future__ import annotations

import html
import json
import re
from pathlib import Path

from _atsboards import ROBOTS_ALLOW
from _http import Response, html_response

BOARDS = json.loads((Path(__file__).resolve().parent.parent / "data" / "successfactors" / "boards.json")
                    .read_text(encoding="utf-8"))
HOSTS = {".jobs2web.com", *BOARDS}
PAGE = 25


def _path(job: dict) -> str:
    slug = re.sub(r"[^A-Za-z0-9]+", "-", f"{job['place'].split(',')[0]} {job['title']}").strip("-")
    return f"/job/{slug}/{job['id']}/"


def _feed(host: str, board: dict) -> str:
    items = "".join(
        f"<item><title><![CDATA[{job['title']} ({job['place']})]]></title>"
        f"<description><![CDATA[{job['description']}]]></description>"
        f"<pubDate>Fri, {job['day']:02d} Oct 2026 7:00:00 GMT</pubDate>"
        f"<link>https://{host}{_path(job)}?feedId=null&amp;utm_source=J2WRSS&amp;utm_medium=rss</link>"
        f"<guid>https://{host}{_path(job)}?feedId=null&amp;utm_source=J2WRSS&amp;utm_medium=rss</guid></item>"
        for job in board["jobs"])
    return ("<?xml version=\"1.0\" encoding=\"UTF-8\" ?><rss version='2.0' xmlns:atom='http://www.w3.org/2005/Atom'>"
            f"<channel><atom:link href='https://{host}/feeds/?locale=en_US' rel='self' type='application/rss+xml' />"
            f"<title>Custom Search </title><link>https://{host}/feeds/?locale=en_US</link>"
            f"<description>Custom RSS Feed</description><language>en-us</language><ttl>720</ttl>{items}</channel></rss>")


def _search(board: dict, startrow: int) -> str:
    rows = "".join(
        f'<tr class="data-row"><td class="colTitle"><span class="jobTitle hidden-phone">'
        f'<a href="{_path(job)}" class="jobTitle-link">{html.escape(job["title"])}</a></span></td>'
        f'<td class="colLocation hidden-phone"><span class="jobLocation">{html.escape(job["place"])}</span></td>'
        f'<td class="colDate hidden-phone"><span class="jobDate">Oct {job["day"]}, 2026</span></td></tr>'
        for job in board["jobs"][startrow:startrow + PAGE])
    return (f'<html><body><span class="paginationLabel">Results <b>{startrow + 1} – '
            f'{min(startrow + PAGE, len(board["jobs"]))}</b> of <b>{len(board["jobs"])}</b></span>'
            f'<table id="searchresults"><tbody>{rows}</tbody></table></body></html>')


def handle(req, state):
    if req.path == "/robots.txt":
        return Response(200, ROBOTS_ALLOW, {"content-type": "text/plain"})
    board = BOARDS.get(req.host)
    if board is None:
        return html_response("<html><body>Page Not Found</body></html>", 404)
    if re.match(r"^/feeds/*$", req.path):
        if not board["feed"]:
            return html_response("<html><body>Page Not Found</body></html>", 404)
        body = _feed(req.host, board)
        if board.get("truncate"):
            body = body[: len(body) // 2]
        return Response(200, body, {"content-type": "application/rss+xml; charset=UTF-8"})
    if req.path == "/search/":
        return html_response(_search(board, int(req.arg("startrow", "0") or 0)))
    return html_response("<html><body>Page Not Found</body></html>", 404)
