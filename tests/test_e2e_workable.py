"""End to end: the real spider reads the stand-in Workable accounts."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.crawl import run_crawl

pytestmark = pytest.mark.timeout(300)
BOARDS = json.loads((Path(__file__).parent / "web" / "data" / "workable" / "boards.json").read_text())


def test_account_read_in_one_request_with_multi_location_job(web):
    board = BOARDS["brightpath"]
    result = run_crawl(web, company="BrightPath Learning", careers_url="https://apply.workable.com/brightpath/")
    assert result.returncode == 0, result.stderr
    assert {(j["shortcode"], j["title"]) for j in board["jobs"]} == {
        (k, v["title"]) for k, v in result.by_id().items()}
    assert len(result.items) == 4  # five rows, one job listed for two countries
    api = [r for r in web.requests_seen() if "/api/" in r["url"]]
    assert len(api) == 1
    job = result.by_id()["1B77E0A4F2"]
    assert "Madrid" in job["location"] and "Lisbon" in job["location"]
    assert job["employment_type"] == "CONTRACTOR" and job["department"] == "Content"
    fe = result.by_id()["8F3A21C9D0"]
    assert fe["country"] == "DE" and fe["workplace"] == "remote" and fe["posted_at"].startswith("2026-07-22")


def test_country_filter_keeps_multi_location_job_for_either_country(web):
    result = run_crawl(web, company="BrightPath Learning", country="PT",
                       careers_url="https://apply.workable.com/brightpath/j/1B77E0A4F2/")
    assert result.returncode == 0, result.stderr
    assert set(result.by_id()) == {"1B77E0A4F2"}


def test_rate_limited_account_and_truncated_account(web):
    board = BOARDS["larkspur-robotics"]
    result = run_crawl(web, company="Larkspur Robotics", careers_url="https://apply.workable.com/larkspur-robotics")
    assert result.returncode == 0, result.stderr
    assert {j["shortcode"] for j in board["jobs"]} == set(result.by_id())
    assert result.stats.get("downloader/response_status_count/429") == 1
    broken = run_crawl(web, company="Truncated Co", careers_url="https://apply.workable.com/truncated-co/")
    assert broken.returncode == 0, broken.stderr
    assert broken.items == []
    assert broken.stats.get("jobos/partial") is True


def test_unknown_account_yields_nothing(web):
    result = run_crawl(web, company="Nobody", careers_url="https://apply.workable.com/no-such-account/")
    assert result.returncode == 0, result.stderr
    assert result.items == []
