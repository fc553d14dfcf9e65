"""End to end: the real spider reads a stand-in Oracle Recruiting Cloud site (tests/web/data/oracle)."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.crawl import run_crawl

pytestmark = pytest.mark.timeout(300)
BOARD = json.loads((Path(__file__).parent / "web" / "data" / "oracle" / "boards.json").read_text())[
    "northwind.fa.us2.oraclecloud.com/CX_1"]
SITE = "https://northwind.fa.us2.oraclecloud.com/hcmUI/CandidateExperience/en/sites/CX_1"


def test_whole_site_is_read_page_by_page_with_one_detail_call_per_job(web):
    result = run_crawl(web, company="Northwind Energy", careers_url=f"{SITE}/job/30103")
    assert result.returncode == 0, result.stderr[-2000:]
    jobs = result.by_id()
    assert {k: v["title"] for k, v in jobs.items()} == {j["Id"]: j["Title"] for j in BOARD["jobs"]}
    seen = [r["url"] for r in web.requests_seen() if "/hcmRestApi/" in r["url"]]
    assert len([u for u in seen if "recruitingCEJobRequisitions?" in u]) == 2  # 25 + 2
    assert len([u for u in seen if "recruitingCEJobRequisitionDetails?" in u]) == 27
    job = jobs["30101"]
    assert job["source"] == "oracle" and job["method"] == "api"
    assert job["url"] == f"{SITE}/job/30101"
    assert (job["location"], job["city"], job["country"]) == ("Toronto, ON, Canada", "Toronto", "CA")
    assert job["workplace"] == "hybrid" and job["employment_type"] == "FULL_TIME"
    assert job["department"] == "Finance"
    assert job["posted_at"].startswith("2026-10-02")
    assert "Northwind Energy is hiring a Substation Technician" in job["description"]
    assert "Valid driver's licence" in job["description"]
    assert jobs["30102"]["workplace"] == "remote" and jobs["30102"]["country"] == "GB"
    assert jobs["30100"]["employment_type"] == "PART_TIME"
    assert jobs["30104"]["location"] == "Toronto, ON, Canada"
    broken = jobs["30107"]  # truncated detail: the listing's fields are kept
    assert broken["location"] == "Toronto, ON, Canada" and broken["description"] == "Short summary 7."
    assert broken.get("employment_type") is None
    assert result.stats.get("jobos/errors/bad_response") == 1


def test_unknown_site_yields_nothing(web):
    result = run_crawl(web, company="Nobody",
                       careers_url="https://nobody.fa.us2.oraclecloud.com/hcmUI/CandidateExperience/en/sites/CX_9")
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.items == []
    assert any("recruitingCEJobRequisitions?" in r["url"] for r in web.requests_seen())


def test_a_company_page_linking_the_site_is_read_through_the_api(web):
    result = run_crawl(web, company="Northwind Energy", careers_url="https://www.northwind-energy.example/careers")
    assert result.returncode == 0, result.stderr[-2000:]
    assert set(result.by_id()) == {j["Id"] for j in BOARD["jobs"]}
    assert {item["source"] for item in result.items} == {"oracle"}
