"""Stand-in Personio career sites (<company>.jobs.personio.de / .com, /xml feed)."""
from __future__ import annotations

from _atsboards import DATA, ROBOTS_ALLOW, board_answer
from _http import Response, html_response

HOSTS = {".jobs.personio.de", ".jobs.personio.com"}
BROKEN = {"brokenco"}  # answers a feed cut off mid-way
RATE_LIMITED = {"alpenwerk"}  # answers 429 once


def handle(req, state):
    if req.path == "/robots.txt":
        return Response(200, ROBOTS_ALLOW, {"content-type": "text/plain"})
    sub = req.host.split(".", 1)[0]
    source = "alpenwerk" if sub in BROKEN else sub
    path = DATA / "personio" / f"{source}.xml"
    if not path.is_file() or "/" in sub:
        return html_response("<html><body><h1>Page not found</h1></body></html>", 404)
    if req.path.rstrip("/") == "/xml":
        flags = {"rate_limit_once": sub in RATE_LIMITED, "truncate": sub in BROKEN}
        return board_answer(flags, path.read_text(encoding="utf-8"), state, f"personio:429:{sub}",
                            "text/xml; charset=utf-8")
    return html_response(f"<html><body><h1>Jobs at {sub}</h1></body></html>")
