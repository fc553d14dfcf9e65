"""The page readers on real career pages: the exact job set of every tuning-half corpus page.

Each page of pages_truth.json of the generic kinds is read the way the site spider reads it
(JSON-LD, then the listing reader's links or inline roles, or the page as one posting, then
script data) and the (title, url) pairs must be exactly the truth's: every job found (its URL,
or its title for roles without a page of their own, with the alternates the truth allows), no
other job (open applications may be found or not), titles as displayed.

Only the tuning half is asserted here: the check half (pages of every second source
repository, see bench/corpus_pages.py) is never tuned against; bench/bench_pages.py measures it.
"""
from __future__ import annotations

import re
from datetime import datetime, timezone
from urllib.parse import urlsplit, urlunsplit

import pytest

from bench.corpus_pages import load_pages
from jobos.ats.base import BoardContext
from jobos.pages.detail import is_posting, page_title, parse_detail
from jobos.pages.jsonld import parse_jsonld
from jobos.pages.listing import parse_listing
from jobos.pages.scriptdata import find_jobs
from tests.corpus import corpus_dir

KINDS = ("listing", "listing_with_jsonld", "detail", "script_chunk", "fragment")


def _corpus_present() -> bool:
    from bench.corpus_pages import corpus_root

    return (corpus_root() / "pages_truth.json").exists()


def _pages():
    corpus_dir()  # skip (or fail under JOBOS_REQUIRE_CORPUS=1) without the corpus
    return [p for p in load_pages() if p.half == "tune" and p.kind in KINDS]


def _norm_url(url: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(("https", parts.netloc.lower(), parts.path.rstrip("/") or "/", parts.query, ""))


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", text or "").strip()


def read_page(text: str, url: str, company: str) -> list[tuple[str, str]]:
    """Return (title, url) of the jobs a page gives, in the site spider's order of tiers."""
    ctx = BoardContext(company=company, crawl_time=datetime(2026, 1, 1, tzinfo=timezone.utc))
    if urlsplit(url).path.endswith(".js"):
        return [(j.title, j.url) for j in find_jobs(text, url, script=True).jobs]
    found = parse_jsonld(text, url, ctx)
    jobs = [(item["title"], item["url"]) for item in found.items]
    if jobs:
        return jobs
    listing = parse_listing(text, url)
    if len(listing.jobs) < 2 and is_posting(text, url, company):
        item = parse_detail(text, url, ctx)
        jobs.append((item["title"], item["url"]))
        jobs += [(j.title, j.url) for j in listing.jobs if not j.inline]
        return jobs
    jobs += [(j.title, j.url) for j in listing.jobs]
    if not jobs:
        jobs = [(j.title, j.url) for j in find_jobs(text, url).jobs]
    return jobs


@pytest.mark.parametrize("page", _pages() if _corpus_present() else [], ids=lambda p: p.file.split("__")[-1])
def test_exact_job_set(page):
    text = page.path.read_text(encoding="utf-8", errors="replace")
    found = read_page(text, page.url, page.company)
    remaining = list(found)
    for job in page.truth["jobs"]:
        urls = {_norm_url(u) for u in [job.get("url"), *job.get("alt_urls", [])] if u}
        titles = {_norm(t) for t in [job["title"], *job.get("alt_titles", [])]}
        hit = next((f for f in remaining if (_norm_url(f[1]) in urls if urls else _norm(f[0]) in titles)), None)
        if hit is None:
            assert job.get("open_application"), f"missed {job['title']!r} on {page.file}: found {found}"
            continue
        remaining.remove(hit)
        assert _norm(hit[0]) in titles, f"title {hit[0]!r} for {job['title']!r} on {page.file}"
    if page.truth.get("jobs_complete", True):
        assert not remaining, f"jobs that are not on {page.file}: {remaining}"


def test_tuning_half_has_every_generic_kind():
    kinds = {p.kind for p in _pages()}
    assert {"listing", "detail", "script_chunk", "listing_with_jsonld"} <= kinds


def test_detail_title_rules():
    import lxml.html

    html = ("<html><head><title>Job Application - Field Technician | Acme Robotics</title>"
            "<meta property='og:site_name' content='Acme Robotics'></head><body><nav><h1>Menu</h1></nav>"
            "<main><h1>Careers</h1><h1>Field Technician</h1><h2>Responsibilities</h2><p>x</p>"
            "<h2>Requirements</h2><p>y</p><a href='/apply'>Apply</a></main></body></html>")
    doc = lxml.html.fromstring(html)
    assert page_title(doc, "https://acme-robotics.com/jobs/field-technician", "Acme Robotics") == "Field Technician"
    assert is_posting(html, "https://acme-robotics.com/jobs/field-technician", "Acme Robotics")
    listing = html.replace("Field Technician", "Open positions")
    assert not is_posting(listing, "https://acme-robotics.com/jobs", "Acme Robotics")
