"""End to end: the real spider reads a stand-in Dayforce candidate portal."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.crawl import run_crawl

pytestmark = pytest.mark.timeout(300)
BOARDS = json.loads((Path(__file__).parent / "web" / "data" / "dayforce" / "boards.json").read_text())
PORTAL = "https://jobs.dayforcehcm.com/en-US/asrcfh/CANDIDATEPORTAL"


def test_portal_is_read_through_its_csrf_guarded_search(web):
    board = BOARDS["asrcfh"]
    result = run_crawl(web, company="ASRC Federal", careers_url=f"{PORTAL}/jobs/24907")
    assert result.returncode == 0, result.stderr[-2000:]
    jobs = result.by_id()
    assert {k: v["title"] for k, v in jobs.items()} == {str(j["jobPostingId"]): j["jobTitle"] for j in board["jobs"]}
    searches = [r for r in web.requests_seen() if "/jobposting/search" in r["url"]]
    assert len(searches) == 2  # 25 + 5, after the portal page and the CSRF call
    job = jobs["24901"]
    assert job["source"] == "dayforce" and job["url"] == f"{PORTAL}/jobs/24901"
    assert (job["location"], job["city"], job["region"], job["country"]) == ("Calgary, AB", "Calgary", "AB", "CA")
    assert job["posted_at"].startswith("2026-09-02") and "Build reliable platforms, part 1." in job["description"]
    assert jobs["24900"]["workplace"] == "remote"


def test_unknown_portal_yields_nothing(web):
    result = run_crawl(web, company="Nobody", careers_url="https://jobs.dayforcehcm.com/en-US/nobody/CANDIDATEPORTAL")
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.items == []


def test_a_short_link_that_redirects_to_the_portal_reads_the_board(web):
    result = run_crawl(web, company="ASRC Federal", careers_url="https://go.asrcfederal.example/careers")
    assert result.returncode == 0, result.stderr[-2000:]
    assert set(result.by_id()) == {str(j["jobPostingId"]) for j in BOARDS["asrcfh"]["jobs"]}
    assert all(item["source"] == "dayforce" for item in result.items)
