"""End to end: the real spider reads stand-in Phenom sites (widget API, and pages when closed)."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.crawl import run_crawl

pytestmark = pytest.mark.timeout(300)
BOARDS = json.loads((Path(__file__).parent / "web" / "data" / "phenom" / "boards.json").read_text())


def _seen(web, part: str) -> list[str]:
    return [r["url"] for r in web.requests_seen() if part in r["url"]]


def test_open_site_is_read_from_its_widget_search(web):
    board = BOARDS["careers.litware-health.com"]
    result = run_crawl(web, company="Litware Health", careers_url="https://careers.litware-health.com/us/en/search-results")
    assert result.returncode == 0, result.stderr[-2000:]
    jobs = result.by_id()
    assert {k: v["title"] for k, v in jobs.items()} == {j["jobSeqNo"]: j["title"] for j in board["jobs"]}
    assert len(_seen(web, "careers.litware-health.com/widgets")) == 2  # 100 + 30
    job = jobs["LWH1001"]
    assert job["source"] == "phenom" and job["url"] == "https://careers.litware-health.com/us/en/job/LWH1001"
    assert job["apply_url"] == "https://apply.example-ats.test/LWH1001"
    assert (job["location"], job["city"], job["country"]) == ("Toronto, Ontario, Canada", "Toronto", "CA")
    assert job["department"] == "Technology" and job["employment_type"] == "FULL_TIME"
    assert job["posted_at"].startswith("2026-10-02") and "Litware Health role 1 & team." in job["description"]
    assert jobs["LWH1000"]["employment_type"] == "PART_TIME"


def test_closed_widget_api_falls_back_to_the_search_pages(web):
    board = BOARDS["jobs.woodgrove-logistics.com"]
    result = run_crawl(web, company="Woodgrove Logistics",
                       careers_url="https://jobs.woodgrove-logistics.com/gb/en/job/WGL1003/Data-Engineer-3")
    assert result.returncode == 0, result.stderr[-2000:]
    assert {k: v["title"] for k, v in result.by_id().items()} == {j["jobSeqNo"]: j["title"] for j in board["jobs"]}
    assert len(_seen(web, "jobs.woodgrove-logistics.com/gb/en/search-results")) == 3  # 10 + 10 + 3
    assert result.by_id()["WGL1000"]["url"] == "https://jobs.woodgrove-logistics.com/gb/en/job/WGL1000"


def test_page_without_records_is_read_through_the_sitemap_and_job_pages(web):
    board = BOARDS["jobs.tailwind-traders.example"]
    result = run_crawl(web, company="Tailwind Traders", careers_url="https://jobs.tailwind-traders.example/fr/fr/search-results")
    assert result.returncode == 0, result.stderr[-2000:]
    jobs = result.by_id()
    assert {k: v["title"] for k, v in jobs.items()} == {j["jobSeqNo"]: j["title"] for j in board["jobs"]}
    assert not [r for r in web.requests_seen() if "elsewhere.example" in r["url"]]  # only the site's own pages
    job = jobs["TWT2001"]
    assert job["url"] == "https://jobs.tailwind-traders.example/fr/fr/job/TWT2001"
    assert "The whole ad for role 1." in job["description"] and job["country"] == "FR"


def test_broken_page_yields_nothing_and_marks_the_crawl_partial(web):
    result = run_crawl(web, company="Broken", careers_url="https://careers.broken-phenom.com/us/en/search-results")
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.items == [] and result.stats.get("jobos/errors/bad_response") == 1
