"""End to end: the real spider reads the stand-in Workday boards (tests/web/data/workday)."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.crawl import run_crawl

pytestmark = pytest.mark.timeout(300)
BOARDS = json.loads((Path(__file__).parent / "web" / "data" / "workday" / "boards.json").read_text())
TAILSPIN = BOARDS["tailspin.wd3.myworkdayjobs.com/Tailspin_Careers"]


def _requests(web, part: str) -> list[dict]:
    return [r for r in web.requests_seen() if part in r["url"]]


def test_whole_board_is_read_page_by_page_with_one_detail_call_per_job(web):
    result = run_crawl(web, company="Tailspin Toys",
                       careers_url="https://tailspin.wd3.myworkdayjobs.com/en-US/Tailspin_Careers")
    assert result.returncode == 0, result.stderr
    jobs = result.by_id()
    assert {(j["id"], j["title"]) for j in TAILSPIN["jobs"]} == {
        (k, v["title"]) for k, v in jobs.items()}
    listing = [r for r in _requests(web, "/Tailspin_Careers/jobs") if r["method"] == "POST"]
    details = [r for r in _requests(web, "/wday/cxs/tailspin/Tailspin_Careers/job/")]
    assert len(listing) == 3 and len(details) == len(TAILSPIN["jobs"])  # 20 + 20 + 5
    first = TAILSPIN["jobs"][0]
    job = jobs[first["id"]]
    assert job["source"] == "workday" and job["method"] == "api"
    assert job["url"].startswith("https://tailspin.wd3.myworkdayjobs.com/Tailspin_Careers/job/")
    assert job["country"] == first["country"] and job["location"] == first["location"]
    assert job["city"] == "Hamburg"
    assert job["employment_type"] == ("FULL_TIME" if first["timeType"] == "Full time" else "PART_TIME")
    assert "Shift planning" in (job["description"] or "")
    assert job["posted_at"].startswith(first["startDate"])


def test_country_facet_reads_only_that_country(web):
    result = run_crawl(web, company="Tailspin Toys", country="DE",
                       careers_url="https://tailspin.wd3.myworkdayjobs.com/Tailspin_Careers")
    assert result.returncode == 0, result.stderr
    expected = {j["id"] for j in TAILSPIN["jobs"] if j["country"] == "DE"}
    assert set(result.by_id()) == expected
    assert {j["country"] for j in result.items} == {"DE"}
    details = _requests(web, "/wday/cxs/tailspin/Tailspin_Careers/job/")
    assert len(details) == len(expected)  # the other countries' jobs were never fetched


def test_small_board_without_facet_malformed_detail_and_multi_location(web):
    board = BOARDS["fabrikam.wd5.myworkdayjobs.com/External"]
    result = run_crawl(web, company="Fabrikam", careers_url="https://fabrikam.wd5.myworkdayjobs.com/External")
    assert result.returncode == 0, result.stderr
    jobs = result.by_id()
    assert {(j["id"], j["title"]) for j in board["jobs"]} == {(k, v["title"]) for k, v in jobs.items()}
    broken = jobs["JR-0042"]  # truncated detail: the listing's fields are kept
    assert broken.get("description") is None and broken["location"] == "Basel, Switzerland"
    assert jobs["JR-0041"]["location"] == "Dublin, Ireland"
    assert jobs["JR-0043"]["workplace"] == "remote"
    assert "$78,000" in jobs["JR-0040"]["description"]


def test_rate_limited_board_with_flat_country_facet(web):
    board = BOARDS["contoso.wd1.myworkdayjobs.com/Contoso_Jobs"]
    result = run_crawl(web, company="Contoso", country="GB",
                       careers_url="https://contoso.wd1.myworkdayjobs.com/Contoso_Jobs/job/Leeds/Store-Manager_REQ-7781")
    assert result.returncode == 0, result.stderr
    assert set(result.by_id()) == {j["id"] for j in board["jobs"] if j["country"] == "GB"}
    assert result.stats.get("downloader/response_status_count/429") == 1


def test_unknown_site_yields_nothing(web):
    result = run_crawl(web, company="Nobody", careers_url="https://nobody.wd1.myworkdayjobs.com/Careers")
    assert result.returncode == 0, result.stderr
    assert result.items == []
