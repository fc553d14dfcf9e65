"""End to end: the real `careers` spider reads Lever job sites through the stand-in web."""
from __future__ import annotations

import json
from pathlib import Path

from tests.crawl import run_crawl

DATA = Path(__file__).resolve().parent / "web" / "data" / "lever"


def _postings(site: str) -> list[dict]:
    return json.loads((DATA / f"{site}.json").read_text(encoding="utf-8"))["postings"]


def _ids(result) -> dict[str, str]:
    return {i["external_id"]: i["title"] for i in result.items}


def test_paged_board_with_a_429_on_page_two(web):
    result = run_crawl(web, company="Summit Peak", careers_url="https://jobs.lever.co/summitpeak")
    assert result.returncode == 0, result.stderr[-2000:]
    postings = _postings("summitpeak")
    assert len(postings) > 100  # more than one page
    assert _ids(result) == {p["id"]: p["text"] for p in postings}
    pages = [e["url"] for e in web.requests_seen() if "/v0/postings/summitpeak" in e["url"]]
    assert len(pages) == 3  # page 1, page 2 answered 429, page 2 again
    assert [e["status"] for e in web.requests_seen() if "/v0/postings/summitpeak" in e["url"]] == [200, 429, 200]
    assert len(pages) / len(result.items) <= 0.2
    job = result.by_id()[postings[0]["id"]]
    assert job["salary_currency"] == "USD" and job["salary_period"] == "YEAR"
    assert job["country"] == "US" and job["employment_type"] == "FULL_TIME"


def test_eu_site_fields_and_country_filter(web):
    result = run_crawl(web, company="Kitewave", careers_url="https://jobs.eu.lever.co/kitewave")
    assert result.returncode == 0, result.stderr[-2000:]
    assert _ids(result) == {p["id"]: p["text"] for p in _postings("kitewave")}
    student = result.by_id()["6d1f0c2a-1111-4a0b-9c1d-000000000002"]
    assert (student["salary_min"], student["salary_max"], student["salary_period"]) == (15, 18, "HOUR")
    assert student["employment_type"] == "PART_TIME" and student["country"] == "DE"
    assert student["workplace"] == "onsite"
    assert result.by_id()["6d1f0c2a-1111-4a0b-9c1d-000000000003"]["workplace"] == "remote"
    assert result.by_id()["6d1f0c2a-1111-4a0b-9c1d-000000000003"]["employment_type"] == "CONTRACTOR"
    de = run_crawl(web, company="Kitewave", country="DE", careers_url="https://jobs.eu.lever.co/kitewave")
    assert set(_ids(de)) == {"6d1f0c2a-1111-4a0b-9c1d-000000000002"}


def test_unknown_and_truncated_boards(web):
    result = run_crawl(web, company="Nobody", careers_url="https://jobs.lever.co/nosuchsite")
    assert result.items == []
    broken = run_crawl(web, company="Broken Co", careers_url="https://jobs.lever.co/brokenco")
    assert broken.items == []
    assert any("bad_response" in k for k in broken.stats), sorted(broken.stats)
