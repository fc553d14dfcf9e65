"""End to end: the real spider reads the stand-in SmartRecruiters boards."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.crawl import run_crawl

pytestmark = pytest.mark.timeout(300)
BOARDS = json.loads((Path(__file__).parent / "web" / "data" / "smartrecruiters" / "boards.json").read_text())


def test_paged_board_with_and_without_country(web):
    lumen = BOARDS["LumenLogistics1"]
    result = run_crawl(web, company="Lumen Logistics",
                       careers_url="https://careers.smartrecruiters.com/LumenLogistics1")
    assert result.returncode == 0, result.stderr
    assert {(p["id"], p["name"]) for p in lumen["postings"]} == {
        (k, v["title"]) for k, v in result.by_id().items()}
    listing = [r for r in web.requests_seen() if "/postings?" in r["url"]]
    assert len(listing) == 2  # 130 postings, 100 per page
    first = lumen["postings"][0]
    job = result.by_id()[first["id"]]
    assert job["country"] == first["country"].upper() and job["city"] == first["city"]
    assert job["department"] == first["department"]
    assert job["url"].startswith(f"https://jobs.smartrecruiters.com/LumenLogistics1/{first['id']}-")
    assert "depot" in job["description"]

    web.reset()
    result = run_crawl(web, company="Lumen Logistics", country="DE",
                       careers_url="https://jobs.smartrecruiters.com/LumenLogistics1/744000100000002-x")
    assert result.returncode == 0, result.stderr
    assert set(result.by_id()) == {p["id"] for p in lumen["postings"] if p["country"] == "de"}
    assert all("country=de" in r["url"] for r in web.requests_seen() if "/postings?" in r["url"])


def test_rate_limit_truncated_detail_and_fields(web):
    board = BOARDS["Bluefin"]
    result = run_crawl(web, company="Bluefin", careers_url="https://careers.smartrecruiters.com/Bluefin")
    assert result.returncode == 0, result.stderr
    jobs = result.by_id()
    assert {(p["id"], p["name"]) for p in board["postings"]} == {(k, v["title"]) for k, v in jobs.items()}
    assert result.stats.get("downloader/response_status_count/429") == 1
    backend = jobs["744000200000001"]
    assert backend["workplace"] == "hybrid" and backend["region"] == "TX" and backend["country"] == "US"
    assert backend["employment_type"] == "FULL_TIME"
    assert backend["apply_url"].endswith("?oga=true")
    assert "40k requests" in backend["description"]
    assert jobs["744000200000002"]["workplace"] == "remote"
    assert jobs["744000200000004"]["employment_type"] == "INTERN"
    assert jobs["744000200000003"].get("description") is None  # truncated detail, listing kept


def test_unknown_company_yields_nothing(web):
    result = run_crawl(web, company="Nobody", careers_url="https://careers.smartrecruiters.com/NoSuchCompany42")
    assert result.returncode == 0, result.stderr
    assert result.items == []
