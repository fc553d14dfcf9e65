"""End to end: the real spider reads a stand-in Cornerstone career site."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.crawl import run_crawl

pytestmark = pytest.mark.timeout(300)
BOARDS = json.loads((Path(__file__).parent / "web" / "data" / "cornerstone" / "boards.json").read_text())


def test_site_is_read_with_its_page_token(web):
    board = BOARDS["fourthbank.csod.com/3"]
    result = run_crawl(web, company="Fourth Bank",
                       careers_url="https://fourthbank.csod.com/ux/ats/careersite/3/home?c=fourthbank&country=ro")
    assert result.returncode == 0, result.stderr[-2000:]
    jobs = result.by_id()
    assert {k: v["title"] for k, v in jobs.items()} == {str(j["requisitionId"]): j["displayJobTitle"] for j in board["jobs"]}
    assert len([r for r in web.requests_seen() if "uk.api.csod.com/rec-job-search" in r["url"]]) == 2  # 100 + 30
    job = jobs["2101"]
    assert job["source"] == "cornerstone"
    assert job["url"] == "https://fourthbank.csod.com/ux/ats/careersite/3/home/requisition/2101?c=fourthbank"
    assert (job["location"], job["city"], job["country"]) == ("Cluj-Napoca, Cluj, RO", "Cluj-Napoca", "RO")
    assert job["posted_at"].startswith("2026-09-02") and "Serve clients in branch 1." in job["description"]


def test_unknown_site_yields_nothing(web):
    result = run_crawl(web, company="Fourth Bank", careers_url="https://fourthbank.csod.com/ux/ats/careersite/9/home?c=fourthbank")
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.items == []
