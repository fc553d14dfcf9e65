"""End to end: the real spider reads stand-in iCIMS boards (Talent Cloud API, classic portal)."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.crawl import run_crawl

pytestmark = pytest.mark.timeout(300)
BOARDS = json.loads((Path(__file__).parent / "web" / "data" / "icims" / "boards.json").read_text())


def _seen(web, part: str) -> list[str]:
    return [r["url"] for r in web.requests_seen() if part in r["url"]]


def test_talent_cloud_site_found_by_its_front_end_is_read_whole_from_its_api(web):
    board = BOARDS["careers.litwareinc.com"]
    result = run_crawl(web, company="Litware", careers_url="https://careers.litwareinc.com/jobs")
    assert result.returncode == 0, result.stderr[-2000:]
    jobs = result.by_id()
    assert {k: v["title"] for k, v in jobs.items()} == {j["req_id"]: j["title"] for j in board["jobs"]}
    assert len(_seen(web, "careers.litwareinc.com/api/jobs")) == 3  # 10 + 10 + 3, no detail calls
    job = jobs["4101"]
    assert job["source"] == "icims" and job["url"] == "https://careers.litwareinc.com/jobs/4101"
    assert job["apply_url"] == "https://careers-litwareinc.icims.com/jobs/4101/login"
    assert (job["city"], job["region"], job["country"]) == ("Denver", "Colorado", "US")
    assert job["workplace"] == "hybrid" and job["employment_type"] == "FULL_TIME"
    assert job["department"] == "Nursing" and job["posted_at"].startswith("2026-09-02")
    assert "Litware is hiring for role 1 & more." in job["description"]
    assert jobs["4100"]["employment_type"] == "PART_TIME" and jobs["4102"]["workplace"] == "remote"


def test_classic_portal_cards_and_job_pages(web):
    board = BOARDS["careers-litware.icims.com"]
    result = run_crawl(web, company="Litware",
                       careers_url="https://careers-litware.icims.com/jobs/search?ss=1")
    assert result.returncode == 0, result.stderr[-2000:]
    jobs = result.by_id()
    assert {k: v["title"] for k, v in jobs.items()} == {j["req_id"]: j["title"] for j in board["jobs"]}
    assert len(_seen(web, "/jobs/search?")) == 2 and len(_seen(web, "/job?in_iframe=1")) == 14
    job = jobs["2201"]
    assert job["url"] == "https://careers-litware.icims.com/jobs/2201/nurse-1/job"
    assert (job["city"], job["region"], job["country"]) == ("Calgary", "AB", "CA")
    assert job["employment_type"] == "FULL_TIME" and job["posted_at"].startswith("2026-09-02")
    assert "hiring for role 1" in job["description"]
    bare = jobs["2203"]  # its page has no JobPosting: the card's data is kept
    assert bare["location"] == "CA-AB-Calgary" and bare.get("description") is None


def test_truncated_answer_and_unknown_portal_yield_nothing(web):
    result = run_crawl(web, company="Fabrikam Robotics", careers_url="https://jobs.fabrikam-robotics.com/jobs")
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.items == [] and result.stats.get("jobos/errors/bad_response") == 1
    result = run_crawl(web, company="Nobody", careers_url="https://careers-nobody.icims.com/jobs/search?ss=1")
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.items == []
