"""www.sitecond-standin.test: a career site whose listing is set by the test, for conditional
re-crawls of site listing pages (tests/test_conditional_site.py).

Stdlib only (runs inside mitmproxy). Job pages are /careers/job/<slug>/ (under the careers
directory: in the crawl's scope).
state["sitecond"] = {
    "pages": [["slug", ...], ...],  # the jobs of /careers/ (page 1) and /careers/page/N/ (page N)
    "etag": bool,                   # answer with an ETag, and 304 to a matching If-None-Match
    "nonce": bool,                  # a fresh CSP nonce, CSRF token and hidden token each answer
}
Every If-None-Match the site receives is appended to state["sitecond_seen"] as {path, etag}.
"""
from __future__ import annotations

import hashlib
import json
import secrets

from _http import Req, Response, html_response

HOSTS = {"www.sitecond-standin.test"}
HOST = "www.sitecond-standin.test"


def title(slug: str) -> str:
    return f"Conditional role {slug}"


def _listing(jobs: list[str], page: int, pages: int, nonce: str | None) -> str:
    items = "".join(f'<li class="job"><a href="/careers/job/{s}/"><h3>{title(s)}</h3></a>'
                    f'<span class="location">Hamburg</span></li>' for s in jobs)
    nav = "".join(f'<a href="{"/careers/" if n == 1 else f"/careers/page/{n}/"}">{n}</a> '
                  for n in range(1, pages + 1) if n != page)
    head = '<meta charset="utf-8"><title>Careers</title>'
    form = ""
    if nonce:
        # What real pages change on every answer: a CSP nonce (on each script, and repeated in
        # their code), a Rails-style CSRF meta tag, a Laravel-style hidden form token.
        head += (f'<meta name="csrf-token" content="{nonce}-csrf">'
                 f'<script nonce="{nonce}">window.__nonce__ = "{nonce}";'
                 f' var cfg = {{"ajaxurl": "/wp-admin/admin-ajax.php", "nonce": "{nonce[:10]}"}};</script>')
        form = (f'<form action="/subscribe" method="post"><input type="hidden" name="_token" value="{nonce}-form">'
                f'<input type="email" name="email"></form>')
    return (f'<!DOCTYPE html><html lang="en"><head>{head}</head><body><main><h1>Open positions</h1>'
            f'<ul class="jobs">{items}</ul><nav class="pagination">{nav}</nav>{form}</main></body></html>')


def _detail(slug: str) -> str:
    posting = {
        "@context": "https://schema.org", "@type": "JobPosting", "title": title(slug),
        "identifier": {"@type": "PropertyValue", "value": slug}, "datePosted": "2026-06-01",
        "employmentType": "FULL_TIME", "description": "<p>Keep the listing honest.</p>",
        "hiringOrganization": {"@type": "Organization", "name": "Sitecond Standin"},
        "jobLocation": {"@type": "Place", "address": {"@type": "PostalAddress", "addressLocality": "Hamburg",
                                                       "addressCountry": "DE"}},
    }
    return (f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>{title(slug)}</title>'
            f'<script type="application/ld+json">{json.dumps(posting)}</script></head>'
            f'<body><main><h1>{title(slug)}</h1><p>Hamburg</p></main></body></html>')


def handle(req: Req, state: dict) -> Response | None:
    config = state.get("sitecond") or {}
    pages = config.get("pages") or [[]]
    if req.path == "/robots.txt":
        return Response(200, "User-agent: *\nAllow: /\n", {"content-type": "text/plain"})
    page = 1 if req.path == "/careers/" else None
    parts = [p for p in req.path.split("/") if p]
    if parts[:2] == ["careers", "page"] and len(parts) == 3 and parts[2].isdigit():
        page = int(parts[2])
    if page is not None and 1 <= page <= len(pages):
        inm = req.headers.get("if-none-match")
        if inm:
            state.setdefault("sitecond_seen", []).append({"path": req.path, "etag": inm})
        body = _listing(pages[page - 1], page, len(pages), None)
        etag = '"' + hashlib.sha1(body.encode("utf-8")).hexdigest()[:16] + '"'
        if config.get("etag") and inm == etag:
            return Response(304, b"", {"etag": etag})
        if config.get("nonce"):
            body = _listing(pages[page - 1], page, len(pages), secrets.token_urlsafe(24))
        return html_response(body, headers={"etag": etag} if config.get("etag") else None)
    if len(parts) == 3 and parts[:2] == ["careers", "job"] and any(parts[2] in p for p in pages):
        return html_response(_detail(parts[2]))
    return html_response("<html><body><h1>Not Found</h1></body></html>", 404)
