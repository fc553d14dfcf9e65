"""End to end: the real spider reads a stand-in UKG Pro board (tests/web/data/ukg)."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.crawl import run_crawl

pytestmark = pytest.mark.timeout(300)
BOARDS = json.loads((Path(__file__).parent / "web" / "data" / "ukg" / "boards.json").read_text())
BOARD = "https://recruiting2.ultipro.com/NOR1001NORTH/JobBoard/f11a0b52-5153-4c12-ad2c-b7f3b0a74112"


def test_board_is_read_fifty_at_a_time(web):
    board = BOARDS[BOARD.split("//", 1)[1]]
    result = run_crawl(web, company="Northwind Precision", careers_url=f"{BOARD}/?q=&o=postedDateDesc")
    assert result.returncode == 0, result.stderr[-2000:]
    jobs = result.by_id()
    assert {k: v["title"] for k, v in jobs.items()} == {j["Id"]: j["Title"] for j in board["jobs"]}
    assert len([r for r in web.requests_seen() if "LoadSearchResults" in r["url"]]) == 2  # 50 + 7
    first = board["jobs"][1]
    job = jobs[first["Id"]]
    assert job["source"] == "ukg" and job["url"] == f"{BOARD}/OpportunityDetail?opportunityId={first['Id']}"
    assert job["apply_url"] == f"{BOARD}/OpportunityApply?opportunityId={first['Id']}"
    assert (job["location"], job["city"], job["region"], job["country"]) == ("Tempe, AZ, US", "Tempe", "AZ", "US")
    assert job["employment_type"] == "FULL_TIME" and job["department"] == "Operations"
    assert job["posted_at"].startswith("2026-09-02") and "Service role 1 for lithography" in job["description"]
    assert jobs[board["jobs"][0]["Id"]]["employment_type"] == "PART_TIME"
    two = jobs[board["jobs"][5]["Id"]]
    assert two["location"] == "Tempe, AZ, US; Phoenix, AZ"


def test_truncated_answer_and_unknown_board(web):
    result = run_crawl(web, company="Broken Board",
                       careers_url="https://recruiting.ultipro.com/BRK1001BROKE/JobBoard/0f0f0f0f-5153-4c12-ad2c-b7f3b0a74112/")
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.items == [] and result.stats.get("jobos/errors/bad_response") == 1
    result = run_crawl(web, company="Nobody",
                       careers_url="https://recruiting.ultipro.com/NOB1001NOBODY/JobBoard/11111111-2222-4333-8444-555555555555/")
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.items == []
