"""Faults for tests and the soak: a flaky company site, generated soak sites, and an injector.

Stdlib only (runs inside mitmproxy). Three parts:

1. www.flaky-standin-co.com, a career site whose pages fail on purpose. The fault is in the
   path, so a test picks its case by the careers_url it crawls:
   - /careers/<f1>+<f2>/ lists jobs ok-1, ok-2 and one job per fault: /jobs/<fault>/
     ("none": no faulty job); /careers/<f1>/<l1>+<l2>/ also links numbered listing pages
     /listing/<l1>/page/2/ ... that fail with <l1>, <l2>; each, once it answers, lists one job
     of its own, /jobs/ok-from-<l1>/
   - /api/careers/<fault>/ is the page of a site whose list comes from a "load more" JSON
     endpoint, /api/jobs?offset=N; its second page fails with <fault>
   Faults: see FAULTS below. "-once" faults fail the first request of a path only.
2. www.soak-co-NNNN.test: generated sites for bench/soak.py (soak_jobs(n) says which jobs each
   has; the bench computes the same list to know what it expects).
3. The injector: state["faults"] = [{"url": "<substring>", "kind": "<fault>", "times": n}]
   makes any matching request on any stand-in host fail (the first n times; without "times",
   always). Kind "truncate" asks the handler that would have answered and cuts its body in half.
   state["fault_hits"] counts what was injected, by kind.
"""
from __future__ import annotations

import json
import random
import re
import sys

from _http import Req, Response, host_matches, html_response, json_response

PRIORITY = 5  # before the ATS and site handlers, so injected faults can hit any host
FLAKY = "www.flaky-standin-co.com"
SOAK = re.compile(r"www\.soak-co-(\d{4})\.test")
# Every stand-in host ends with one of these: the injector must see all of them.
HOSTS = {".com", ".io", ".co", ".de", ".fr", ".es", ".nl", ".no", ".dk", ".se", ".ch", ".eu",
         ".test", ".uk", ".net", ".org"}

HUGE_BYTES = 50 * 1024 * 1024
ROBOTS = "User-agent: *\nAllow: /\n"

FAULTS = {
    "ok": "answers normally",
    "retry-after-once": "429 with Retry-After: 1, then the page",
    "always-retry-after-long": "429 with Retry-After: 3600 (longer than JOBOS_RETRY_AFTER_MAX)",
    "500-once": "500, then the page",
    "always-500": "always 500",
    "reset-once": "connection dropped without an answer, then the page",
    "always-reset": "connection always dropped",
    "stall-once": "no answer for 30 s, then the page",
    "always-stall": "never answers within 30 s",
    "redirect-self": "302 to itself, forever",
    "redirect-chain": "302 to a new URL each time, forever",
    "huge": "a 50 MB page",
    "bad-utf8": "the page, with invalid UTF-8 bytes in its text",
    "truncate": "the body cut in half",
}


def _title(slug: str) -> str:
    return f"Fault case {slug} engineer"


def detail_page(host: str, slug: str, title: str, city: str = "Berlin", country: str = "DE",
                description: str = "Build things that do not fall over.") -> str:
    """Return a job page with a JSON-LD JobPosting (what a well-kept career site serves)."""
    posting = {
        "@context": "https://schema.org", "@type": "JobPosting", "title": title,
        "identifier": {"@type": "PropertyValue", "value": slug},
        "datePosted": "2026-06-01", "employmentType": "FULL_TIME",
        "description": f"<p>{description}</p>",
        "hiringOrganization": {"@type": "Organization", "name": host, "sameAs": f"https://{host}/"},
        "jobLocation": {"@type": "Place", "address": {"@type": "PostalAddress",
                                                       "addressLocality": city,
                                                       "addressCountry": country}},
    }
    return (f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>{title}</title>'
            f'<script type="application/ld+json">{json.dumps(posting)}</script></head>'
            f'<body><main><h1>{title}</h1><p>{city}</p><p>{description}</p></main></body></html>')


def listing_page(links: list[tuple[str, str]], title: str = "Careers") -> str:
    """Return a careers page linking each (path, title) as a job."""
    items = "".join(f'<li class="job"><a href="{path}"><h3>{text}</h3></a></li>' for path, text in links)
    return (f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>{title}</title></head>'
            f'<body><main><h1>Open positions</h1><ul class="jobs">{items}</ul></main></body></html>')


# --- fault mechanics ------------------------------------------------------------------------
def _first_time(state: dict, key: str) -> bool:
    seen = state.setdefault("fault_seen", {})
    count = seen.get(key, 0)
    seen[key] = count + 1
    return count == 0


def _hit(state: dict, kind: str) -> None:
    hits = state.setdefault("fault_hits", {})
    hits[kind] = hits.get(kind, 0) + 1


def base_kind(kind: str) -> str:
    """Return the fault itself, without its "-once"/"always-" frequency."""
    return kind.removeprefix("always-").removesuffix("-once")


def apply_fault(kind: str, req: Req, state: dict, good) -> Response:
    """Return the answer for a request under fault `kind`; good() gives the normal answer."""
    if kind.endswith("-once") and not _first_time(state, f"{kind}:{req.host}{req.path}"):
        return good()
    return fault_answer(base_kind(kind), req, state, good)


def fault_answer(kind: str, req: Req, state: dict, good) -> Response:
    """Return the faulty answer of one kind (counted in state["fault_hits"])."""
    if kind == "ok":
        return good()
    _hit(state, kind)
    if kind == "retry-after":
        return json_response({"error": "Too Many Requests"}, 429, {"retry-after": "1"})
    if kind == "retry-after-long":
        return json_response({"error": "Too Many Requests"}, 429, {"retry-after": "3600"})
    if kind == "500":
        return html_response("<html><body><h1>Internal Server Error</h1></body></html>", 500)
    if kind == "reset":
        return Response(kill=True)
    if kind == "stall":
        answer = good()
        answer.delay = float(state.get("stall_seconds", 30.0))
        return answer
    if kind == "redirect-self":
        return Response(302, "", {"location": req.path})
    if kind == "redirect-chain":
        step = int(req.arg("hop", "0") or 0) + 1
        return Response(302, "", {"location": f"{req.path}?hop={step}"})
    if kind == "huge":
        return html_response("<html><body>" + "x" * HUGE_BYTES + "</body></html>")
    if kind == "bad-utf8":
        answer = good()
        # Lone continuation bytes and a cut sequence, inside the visible text only.
        answer.body = answer.data().replace(b"do not fall over", b"do not \xff\xfe fall \xc3 over \x80")
        return answer
    if kind == "truncate":
        answer = good()
        data = answer.data()
        answer.body = data[: len(data) // 2]
        return answer
    return html_response(f"unknown fault {kind}", 400)


# --- www.flaky-standin-co.com -------------------------------------------------------------
def _flaky(req: Req, state: dict) -> Response:
    parts = [p for p in req.path.split("/") if p]
    if req.path == "/robots.txt":
        return Response(200, ROBOTS, {"content-type": "text/plain"})
    if parts[:1] == ["careers"] and len(parts) in (2, 3):
        slugs = ["ok-1", "ok-2"] + [f for f in parts[1].split("+") if f and f != "none"]
        page = listing_page([(f"/jobs/{s}/", _title(s)) for s in slugs])
        if len(parts) == 3:  # numbered pages, each failing with one listing fault
            pages = "".join(f'<a href="/listing/{f}/page/{n}/">{n}</a> '
                            for n, f in enumerate(parts[2].split("+"), start=2))
            page = page.replace("</main>", f'<nav class="pagination">{pages}</nav></main>')
        return html_response(page)
    if parts[:1] == ["listing"] and len(parts) >= 2:
        # A listing page: once it answers, it lists one job of its own.
        own = f"ok-from-{parts[1]}"
        good = lambda: html_response(listing_page([(f"/jobs/{own}/", _title(own))]))
        return apply_fault(parts[1], req, state, good)
    if len(parts) == 2 and parts[0] == "jobs" and re.fullmatch(r"moved-\d+", parts[1]):
        return Response(302, "", {"location": SSRF_TARGETS[int(parts[1][6:]) % len(SSRF_TARGETS)]})
    if len(parts) == 2 and parts[0] == "jobs":
        slug = parts[1]
        kind = "ok" if slug.startswith("ok-") else slug
        good = lambda: html_response(detail_page(FLAKY, slug, _title(slug)))
        return apply_fault(kind, req, state, good)
    if len(parts) == 3 and parts[:2] == ["api", "careers"]:
        # A page whose list comes from a "load more" endpoint; page 2 of it fails.
        fault = parts[2]
        first = [(f"/jobs/ok-{i}/", _title(f"ok-{i}")) for i in (1, 2)]
        page = listing_page(first).replace(
            "</ul>", f'</ul><button class="load-more" data-url="/api/jobs/{fault}?offset=2">Load more</button>')
        return html_response(page)
    if len(parts) == 3 and parts[:2] == ["api", "jobs"]:
        fault = parts[2]
        offset = int(req.arg("offset", "0") or 0)
        all_jobs = [f"ok-{i}" for i in range(1, 7)]
        chunk = all_jobs[offset:offset + 2]
        nxt = f"/api/jobs/{fault}?offset={offset + 2}" if offset + 2 < len(all_jobs) else None
        good = lambda: json_response({"jobs": [{"title": _title(s), "url": f"/jobs/{s}/"} for s in chunk],
                                      "next": nxt, "hasMore": nxt is not None})
        return apply_fault(fault if offset == 2 else "ok", req, state, good)
    if parts[:1] == ["ssrf"]:
        return _ssrf(req, parts)
    return html_response("<html><body><h1>Not Found</h1></body></html>", 404)


# SSRF targets (tests/test_abuse_ssrf.py): the crawler must refuse every one before download.
# The two flaky-standin-co.com names resolve to private addresses through the test's resolver.
SSRF_TARGETS = [
    "http://127.0.0.1:9/jobs/a", "http://10.20.30.40/jobs/b", "http://169.254.169.254/latest/meta-data/",
    "http://[::1]:8080/jobs/c", "http://2130706433/jobs/e", "file:///etc/passwd",
    "https://intranet.flaky-standin-co.com/jobs/d", "https://metadata.flaky-standin-co.com/latest/",
]


def _ssrf(req: Req, parts: list[str]) -> Response:
    """A career page whose links, redirects, embed and JSON listing point at private targets."""
    if parts == ["ssrf"]:
        links = [("/jobs/ok-1/", _title("ok-1"))]
        # Titles a listing reader takes for postings: the test is about every route being refused.
        links += [(f"/jobs/moved-{i}/", f"Software Engineer {i} (m/w/d)") for i in range(len(SSRF_TARGETS))]
        links += [(url, f"Data Engineer {i} (m/w/d)") for i, url in enumerate(SSRF_TARGETS)]
        page = listing_page(links).replace(
            "</ul>", '</ul><iframe src="http://10.0.0.9/embed/jobs"></iframe>'
                     '<button class="load-more" data-url="/ssrf/api?offset=0">Load more</button>')
        return html_response(page)
    if parts == ["ssrf", "api"]:
        return json_response({"jobs": [{"title": f"Listed role {i}", "url": url}
                                       for i, url in enumerate(SSRF_TARGETS)], "hasMore": False})
    return html_response("<html><body><h1>Not Found</h1></body></html>", 404)


# --- generated soak sites -------------------------------------------------------------------
CITIES = [("Berlin", "DE"), ("Paris", "FR"), ("Madrid", "ES"), ("Oslo", "NO"), ("Amsterdam", "NL"),
          ("London", "GB"), ("Austin", "US"), ("Toronto", "CA")]


def soak_host(n: int) -> str:
    return f"www.soak-co-{n:04d}.test"


def soak_jobs(n: int) -> list[dict]:
    """Return the jobs of soak company n: [{slug, title, url, city, country}], 1-12 of them."""
    rng = random.Random(n * 7919)
    host = soak_host(n)
    jobs = []
    for i in range(rng.randint(1, 12)):
        city, country = rng.choice(CITIES)
        slug = f"job-{n:04d}-{i:02d}"
        jobs.append({"slug": slug, "title": f"Soak role {i} at company {n:04d}", "city": city,
                     "country": country, "url": f"https://{host}/jobs/{slug}/"})
    return jobs


def _soak(n: int, req: Req, state: dict) -> Response | None:
    host = soak_host(n)
    if req.path == "/robots.txt":
        return Response(200, ROBOTS, {"content-type": "text/plain"})
    jobs = soak_jobs(n)
    if req.path == "/careers/":
        return html_response(listing_page([(f"/jobs/{j['slug']}/", j["title"]) for j in jobs],
                                          f"Careers at Soak Co {n:04d}"))
    for job in jobs:
        if req.path == f"/jobs/{job['slug']}/":
            return html_response(detail_page(host, job["slug"], job["title"], job["city"], job["country"]))
    return html_response("<html><body><h1>Not Found</h1></body></html>", 404)


# --- the injector ---------------------------------------------------------------------------
def _downstream(req: Req, state: dict) -> Response | None:
    """Return what the handler after this one would answer (static files are not reached)."""
    me = sys.modules.get(__name__)
    mods = [m for name, m in sorted(sys.modules.items())
            if name.startswith("standin_") and m is not me and hasattr(m, "handle")]
    mods.sort(key=lambda m: getattr(m, "PRIORITY", 100))
    for module in mods:
        if getattr(module, "PRIORITY", 100) <= PRIORITY:
            continue
        if host_matches(req.host, getattr(module, "HOSTS", ())):
            answer = module.handle(req, state)
            if answer is not None:
                return answer
    return None


def _own(req: Req, state: dict) -> Response | None:
    if req.host == FLAKY:
        return _flaky(req, state)
    match = SOAK.fullmatch(req.host)
    if match:
        return _soak(int(match.group(1)), req, state)
    return None


def handle(req: Req, state: dict) -> Response | None:
    url = f"{req.scheme}://{req.host}{req.path}"
    for index, rule in enumerate(state.get("faults") or []):
        if rule.get("url") and rule["url"] not in url:
            continue
        times = rule.get("times")
        used = state.setdefault("fault_rule_uses", {})
        key = f"{index}:{url}"
        if times is not None and used.get(key, 0) >= times:
            continue
        used[key] = used.get(key, 0) + 1
        good = lambda: _own(req, state) or _downstream(req, state) or Response(404, "not found")
        return fault_answer(base_kind(rule["kind"]), req, state, good)
    return _own(req, state)
