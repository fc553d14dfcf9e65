"""Stand-in Phenom career sites: POST /widgets (refineSearch) and search-results pages.

Boards: tests/web/data/phenom/boards.json (host -> jobs). The widget answer follows the shape
open readers describe ({refineSearch: {status, hits, totalHits, data: {jobs}}}, `from`/`size`
paging, at most 100 a page); a closed site answers {"tokenAvailable": false} and serves its
search pages with the records in `phApp.ddo.eagerLoadRefineSearch`, 10 a page (?from=N&s=1).
One site's page carries a broken phApp.ddo and a truncated sitemap. One site's page carries no
records: its sitemap index names a sitemap of job pages (and a foreign host's page), each job
page carrying phApp.ddo.jobDetail.data.job. Not a recording.
"""
from __future__ import annotations

import json
from pathlib import Path

from _atsboards import ROBOTS_ALLOW
from _http import Response, html_response, json_response

BOARDS = json.loads((Path(__file__).resolve().parent.parent / "data" / "phenom" / "boards.json")
                    .read_text(encoding="utf-8"))
HOSTS = set(BOARDS)


def handle(req, state):
    if req.path == "/robots.txt":
        return Response(200, ROBOTS_ALLOW, {"content-type": "text/plain"})
    board = BOARDS.get(req.host)
    if board is None:
        return None
    jobs = board["jobs"]
    if req.path == "/widgets" and req.method == "POST":
        if not board["open"]:
            return json_response({"tokenAvailable": False})
        body = req.json() or {}
        start, size = int(body.get("from", 0)), min(int(body.get("size", 10)), 100)
        if body.get("ddoKey") != "refineSearch" or body.get("jobs") is not True:
            return json_response({"status": "failure"})
        page = jobs[start:start + size]
        return json_response({"refineSearch": {"status": 200, "hits": len(page), "totalHits": len(jobs),
                                               "data": {"jobs": page, "aggregations": []}}})
    if req.path == "/sitemap.xml":
        body = ('<?xml version="1.0" encoding="UTF-8"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
                f'<sitemap><loc>https://{req.host}/sitemap_jobs.xml</loc></sitemap></sitemapindex>')
        if board.get("broken_sitemap"):
            body = body[: len(body) // 2]
        return Response(200, body, {"content-type": "application/xml"})
    if req.path == "/sitemap_jobs.xml":
        urls = [f"https://{req.host}/fr/fr/job/{j['jobSeqNo']}/{j['title'].replace(' ', '-')}" for j in jobs]
        urls += [f"https://{req.host}/fr/fr/search-results", "https://elsewhere.example/fr/fr/job/X1/Other"]
        body = ('<?xml version="1.0" encoding="UTF-8"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
                + "".join(f"<url><loc>{u}</loc><lastmod>2026-10-01</lastmod></url>" for u in urls) + "</urlset>")
        return Response(200, body, {"content-type": "application/xml"})
    if "/job/" in req.path:
        for job in jobs:
            if f"/job/{job['jobSeqNo']}/" in req.path:
                ddo = {"jobDetail": {"status": 200, "data": {"job": job}}}
                return html_response(f"<html><head><script>phApp.ddo = {json.dumps(ddo)}; phApp.x = 1;</script>"
                                     f"</head><body></body></html>")
        return html_response("<html><body>Not found</body></html>", 404)
    if req.path.endswith("/search-results"):
        if board.get("no_ddo"):
            return html_response("<html><head><script>phApp.pageName = 'search-results';</script></head></html>")
        if board.get("garbage"):
            return html_response("<html><script>phApp.ddo = {\"eagerLoadRefineSearch\": {\"data\": ;</script></html>")
        start = int(req.arg("from", "0") or 0)
        ddo = {"eagerLoadRefineSearch": {"status": 200, "hits": 10, "totalHits": len(jobs),
                                         "data": {"jobs": jobs[start:start + 10]}}, "siteConfig": {}}
        return html_response(f"<html><head><script>var phApp = phApp || {{}}; phApp.ddo = {json.dumps(ddo)};"
                             f" phApp.pageName = 'search-results';</script></head><body></body></html>")
    return html_response("<html><body>Not found</body></html>", 404)
