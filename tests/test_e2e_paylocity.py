"""End to end: the real `careers` spider reads stand-in Paylocity boards and their job pages."""
from __future__ import annotations

import pytest

from tests.crawl import run_crawl

pytestmark = pytest.mark.timeout(300)
GUID = "5f0c2a9e-1b7d-4c3e-9a8f-2d6e4b1c7a90"
D = "https://recruiting.paylocity.com/recruiting/jobs/Details/"


def test_board_and_one_page_per_job(web):
    result = run_crawl(web, company="Prairie Mill Foods",
                       careers_url=f"https://recruiting.paylocity.com/recruiting/jobs/All/{GUID}/Prairie-Mill-Foods-Inc")
    assert result.returncode == 0, result.stderr[-2000:]
    jobs = result.by_id()
    assert {k: v["title"] for k, v in jobs.items()} == {
        "5100001": "Maintenance Technician - 2nd Shift", "5100002": "Food Safety Coordinator",
        "5100003": "Inside Sales Representative"}
    assert result.stats.get("downloader/response_status_count/429") == 1
    pages = [r for r in web.requests_seen() if "/jobs/Details/" in r["url"]]
    assert len(pages) == 3  # one page per job
    tech = jobs["5100001"]
    assert (tech["source"], tech["method"], tech["url"]) == ("paylocity", "api", D + "5100001")
    assert tech["apply_url"] == "https://recruiting.paylocity.com/Recruiting/Jobs/Apply/5100001"
    assert (tech["city"], tech["region"], tech["country"], tech["department"]) == ("Wichita", "KS", "US", "Maintenance")
    assert (tech["employment_type"], tech["posted_at"]) == ("FULL_TIME", "2026-10-14")
    assert (tech["salary_min"], tech["salary_max"], tech["salary_currency"], tech["salary_period"]) == (24, 31.5, "USD", "HOUR")
    assert "Keep our packaging lines running" in tech["description"]
    qa = jobs["5100002"]
    assert (qa["workplace"], qa["employment_type"], qa["city"]) == ("hybrid", "PART_TIME", "Kansas City")
    sales = jobs["5100003"]  # its JSON-LD is cut: the board's data and the Job Type block are kept
    assert (sales["workplace"], sales["region"], sales["country"]) == ("remote", "TX", "US")
    assert sales.get("description") is None and sales["employment_type"] == "FULL_TIME"


def test_unknown_and_truncated(web):
    unknown = run_crawl(web, company="Nobody",
                        careers_url="https://recruiting.paylocity.com/Recruiting/Jobs/All/11111111-2222-3333-4444-555555555555")
    assert unknown.items == []
    broken = run_crawl(web, company="Broken Co",
                       careers_url="https://recruiting.paylocity.com/Recruiting/Jobs/All/0d9e8f7a-6b5c-4d3e-8f2a-1b0c9d8e7f60")
    assert broken.items == []
    assert broken.stats.get("jobos/errors/bad_response") == 1, sorted(broken.stats)
