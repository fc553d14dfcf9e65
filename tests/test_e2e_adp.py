"""End to end: the real spider reads a stand-in ADP Workforce Now career center."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.crawl import run_crawl

pytestmark = pytest.mark.timeout(300)
BOARDS = json.loads((Path(__file__).parent / "web" / "data" / "adp" / "boards.json").read_text())
PAGE = ("https://workforcenow.adp.com/mascsr/default/mdf/recruitment/recruitment.html"
        "?cid=fc87c3e5-bb17-4857-9e3a-28a4049196cb&ccId=9203358411273_3")


def test_career_center_is_read_with_one_detail_per_requisition(web):
    board = BOARDS["fc87c3e5-bb17-4857-9e3a-28a4049196cb/9203358411273_3"]
    result = run_crawl(web, company="Harbor Hotels", careers_url=PAGE + "&lang=en_US")
    assert result.returncode == 0, result.stderr[-2000:]
    jobs = result.by_id()
    assert {k: v["title"] for k, v in jobs.items()} == {j["itemID"]: j["requisitionTitle"] for j in board["jobs"]}
    seen = [r["url"] for r in web.requests_seen() if "/job-requisitions" in r["url"]]
    assert len([u for u in seen if "/job-requisitions?" in u]) == 3  # 20 + 20 + 5 (the server caps $top)
    assert len([u for u in seen if "/job-requisitions/" in u]) == 45
    job = jobs["9201054459837_2"]
    assert job["source"] == "adp" and job["url"] == PAGE + "&jobId=583601&lang=en_US"
    assert (job["location"], job["city"], job["region"], job["country"]) == (
        "Harbor, Portland, ME, US", "Portland", "ME", "US")
    assert job["employment_type"] == "FULL_TIME" and job["posted_at"].startswith("2026-09-02")
    assert "Welcome guests, shift 1." in job["description"]
    broken = jobs["9201054459837_3"]  # truncated detail: the list's fields are kept
    assert broken.get("description") is None and broken["city"] == "Boston"


def test_unknown_client_yields_nothing(web):
    result = run_crawl(web, company="Nobody", careers_url=PAGE.replace("fc87c3e5", "00000000"))
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.items == []
