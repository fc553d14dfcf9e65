"""End to end: the real spider reads a stand-in Avature portal (tests/web/data/avature)."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.crawl import run_crawl

pytestmark = pytest.mark.timeout(300)
BOARDS = json.loads((Path(__file__).parent / "web" / "data" / "avature" / "boards.json").read_text())


def test_portal_is_read_page_by_page_with_each_job_page(web):
    board = BOARDS["fourthcoffee.avature.net/careers"]
    result = run_crawl(web, company="Fourth Coffee",
                       careers_url="https://fourthcoffee.avature.net/careers/JobDetail/Roaster-1/5101")
    assert result.returncode == 0, result.stderr[-2000:]
    jobs = result.by_id()
    assert {k: v["title"] for k, v in jobs.items()} == {j["id"]: j["title"] for j in board["jobs"]}
    seen = [r["url"] for r in web.requests_seen() if "fourthcoffee.avature.net/careers/" in r["url"]]
    assert len([u for u in seen if "/SearchJobs/" in u]) == 3 and len([u for u in seen if "/JobDetail/" in u]) == 23
    job = jobs["5101"]
    assert job["source"] == "avature"
    assert job["url"] == "https://fourthcoffee.avature.net/careers/JobDetail/Roaster-1/5101"
    assert job["apply_url"] == "https://fourthcoffee.avature.net/careers/ApplicationMethods?jobId=5101"
    assert (job["location"], job["city"], job["country"]) == ("Lisbon, Lisbon, Portugal", "Lisbon", "PT")
    assert job["department"] == "Supply" and job["workplace"] == "hybrid"
    assert job["employment_type"] == "FULL_TIME" and job["posted_at"].startswith("2026-09-02")
    assert "Fourth Coffee role 1." in job["description"]
    paid = jobs["5100"]
    assert (paid["salary_min"], paid["salary_max"], paid["salary_period"]) == (20.0, 28.0, "HOUR")
    assert paid["employment_type"] == "PART_TIME" and paid["workplace"] == "onsite"
    missing = jobs["5107"]  # its page answers 404: the search row's data is kept
    assert missing["location"] == "Lisbon, Lisbon, Portugal" and missing.get("description") is None


def test_maintenance_page_and_unknown_tenant_yield_nothing(web):
    for url in ("https://maintenance.avature.net/careers/SearchJobs/",
                "https://nobody.avature.net/careers/SearchJobs/"):
        result = run_crawl(web, company="Nobody", careers_url=url)
        assert result.returncode == 0, result.stderr[-2000:]
        assert result.items == []
