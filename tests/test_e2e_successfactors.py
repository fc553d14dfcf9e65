"""End to end: the real spider reads stand-in SuccessFactors career sites (feed, search pages)."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.crawl import run_crawl

pytestmark = pytest.mark.timeout(300)
BOARDS = json.loads((Path(__file__).parent / "web" / "data" / "successfactors" / "boards.json").read_text())


def _seen(web, part: str) -> list[str]:
    return [r["url"] for r in web.requests_seen() if part in r["url"]]


def test_feed_reads_the_whole_site_in_one_request(web):
    board = BOARDS["careers.adventure-works.com"]
    result = run_crawl(web, company="Adventure Works", careers_url="https://careers.adventure-works.com/feeds/?locale=en_US")
    assert result.returncode == 0, result.stderr[-2000:]
    jobs = result.by_id()
    assert {k: v["title"] for k, v in jobs.items()} == {j["id"]: j["title"] for j in board["jobs"]}
    assert _seen(web, "careers.adventure-works.com/feeds") == [
        "https://careers.adventure-works.com/feeds/?locale=en_US"]
    assert _seen(web, "careers.adventure-works.com/search") == []
    job = jobs["1400101001"]
    assert job["source"] == "successfactors"
    assert job["url"] == "https://careers.adventure-works.com/job/Austin-Buyer-1/1400101001/"
    assert (job["location"], job["country"]) == ("Austin, TX, US, 78701", "US")
    assert job["posted_at"].startswith("2026-10-02")
    assert "Adventure role 1: build & test." in job["description"]
    assert jobs["1400100000"]["country"] == "DE"


def test_site_without_feed_is_read_from_its_search_pages(web):
    board = BOARDS["jobs.wingtiptoys.com"]
    result = run_crawl(web, company="Wingtip Toys",
                       careers_url=f"https://jobs.wingtiptoys.com/job/Lyon-Process-Engineer-0/1500200000/")
    assert result.returncode == 0, result.stderr[-2000:]
    jobs = result.by_id()
    assert {k: v["title"] for k, v in jobs.items()} == {j["id"]: j["title"] for j in board["jobs"]}
    assert len(_seen(web, "jobs.wingtiptoys.com/search/")) == 2  # 25 + 5
    job = jobs["1500201001"]
    assert job["location"] == "Porto, PT, 4000" and job["posted_at"].startswith("2026-10-02")


def test_truncated_feed_and_unknown_site(web):
    result = run_crawl(web, company="Proseware", careers_url="https://careers.proseware.com/feeds/?locale=en_US")
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.items == [] and result.stats.get("jobos/errors/bad_response") == 1
    result = run_crawl(web, company="Nobody", careers_url="https://nobody.jobs2web.com/search/?q=")
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.items == []
