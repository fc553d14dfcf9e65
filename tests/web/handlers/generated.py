"""Generated companies for the discovery benchmark: "Benchco <n> Systems" (n = 1..999).

Deterministic, no state: DuckDuckGo results for queries naming "benchco <n>" (official careers
page, an aggregator, a namesake), and the company site www.benchco<n>systems.com: a homepage
with a "Careers" nav link, a careers listing of 3 + n % 5 jobs and one JSON-LD JobPosting
detail page per job. Every other host or query is left to the other handlers (None).
"""
from __future__ import annotations

import json
import re

from _http import Req, Response, html_response

HOSTS = {"html.duckduckgo.com", ".com"}
_HOST = re.compile(r"^www\.benchco(\d{1,3})systems\.com$")


def job_count(n: int) -> int:
    """Return how many jobs generated company n has."""
    return 3 + n % 5


def _ddg(n: int) -> str:
    import ddg  # the stand-in DuckDuckGo's page template (same folder)

    entries = [
        ("https://www.linkedin.com/company/benchco-%d" % n, f"Benchco {n} Systems | LinkedIn", ""),
        (f"https://www.benchco{n}systemsconsulting.com/", f"Benchco {n} Systems Consulting", ""),
        (f"https://www.benchco{n}systems.com/careers", f"Careers at Benchco {n} Systems", "Join us."),
    ]
    return ddg.results_page(f"Benchco {n} Systems careers", entries)


def _page(title: str, body: str, extra_head: str = "") -> str:
    return (f"<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'><title>{title}</title>"
            f"{extra_head}</head><body><header><nav><a href='/'>Home</a> <a href='/about'>About</a> "
            f"<a href='/careers'>Careers</a></nav></header><main>{body}</main>"
            f"<footer>&copy; 2026 {title.split(' –')[0]}</footer></body></html>")


def handle(req: Req, state: dict) -> Response | None:
    if req.host == "html.duckduckgo.com":
        form = req.form() if req.method == "POST" else req.query
        q = (form.get("q") or [""])[0].lower()
        m = re.search(r"benchco (\d{1,3})", q)
        return html_response(_ddg(int(m.group(1)))) if m else None
    m = _HOST.match(req.host)
    if not m:
        return None
    n = int(m.group(1))
    name = f"Benchco {n} Systems"
    if req.path == "/robots.txt":
        return Response(200, "User-agent: *\nAllow: /\n", {"content-type": "text/plain"})
    if req.path == "/":
        return html_response(_page(f"{name} – Software", f"<h1>{name}</h1><p>We build things.</p>"))
    if req.path.rstrip("/") == "/careers":
        links = "".join(f"<li><a href='/careers/job-{i}'>Engineer {i}</a></li>" for i in range(1, job_count(n) + 1))
        return html_response(_page(f"Careers – {name}", f"<h1>Open positions</h1><ul>{links}</ul>"))
    jm = re.fullmatch(r"/careers/job-(\d+)", req.path)
    if jm and 1 <= int(jm.group(1)) <= job_count(n):
        i = int(jm.group(1))
        posting = {"@context": "https://schema.org", "@type": "JobPosting", "title": f"Engineer {i}",
                   "identifier": f"bc{n}-{i}", "datePosted": "2026-11-01",
                   "hiringOrganization": {"@type": "Organization", "name": name},
                   "jobLocation": {"@type": "Place", "address": {"@type": "PostalAddress",
                                   "addressLocality": "Austin", "addressCountry": "US"}},
                   "description": f"<p>Engineer {i} at {name}.</p>"}
        head = f"<script type='application/ld+json'>{json.dumps(posting)}</script>"
        return html_response(_page(f"Engineer {i} – {name}", f"<h1>Engineer {i}</h1>", head))
    return Response(404, "<h1>Not Found</h1>", {"content-type": "text/html"})
