"""End to end: the real spider reads stand-in Eightfold sites (apply/v2, and PCSX when closed)."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.crawl import run_crawl

pytestmark = pytest.mark.timeout(300)
BOARDS = json.loads((Path(__file__).parent / "web" / "data" / "eightfold" / "boards.json").read_text())


def _api(web, part: str) -> list[str]:
    return [r["url"] for r in web.requests_seen() if part in r["url"]]


def test_apply_v2_site_is_read_whole_with_one_detail_per_job(web):
    board = BOARDS["contoso.eightfold.ai"]
    result = run_crawl(web, company="Contoso", careers_url="https://contoso.eightfold.ai/careers?domain=contoso.com")
    assert result.returncode == 0, result.stderr[-2000:]
    jobs = result.by_id()
    assert {k: v["title"] for k, v in jobs.items()} == {str(j["id"]): j["name"] for j in board["jobs"]}
    assert len(_api(web, "/api/apply/v2/jobs?")) == 3  # 10 + 10 + 3: the tenant caps num at 10
    assert len(_api(web, "/api/apply/v2/jobs/")) == 23
    job = jobs["880101"]
    assert job["source"] == "eightfold" and job["method"] == "api"
    assert job["url"] == "https://contoso.eightfold.ai/careers/job/880101"
    assert (job["location"], job["city"], job["country"]) == ("Dublin, Ireland", "Dublin", "IE")
    assert job["department"] == "Finance" and job["workplace"] == "hybrid"
    assert job["posted_at"].startswith("2026-09-21")
    assert "Role 1 at the team" in job["description"]
    broken = jobs["880105"]  # truncated detail: the listing's fields are kept
    assert broken.get("description") is None and broken["location"] == "Dublin, Ireland"


def test_closed_apply_v2_is_read_through_pcsx_search(web):
    board = BOARDS["apply.woodgrovebank.com"]
    result = run_crawl(web, company="Woodgrove Bank",
                       careers_url="https://apply.woodgrovebank.com/api/pcsx/search?domain=woodgrovebank.com&start=0")
    assert result.returncode == 0, result.stderr[-2000:]
    jobs = result.by_id()
    assert {k: v["title"] for k, v in jobs.items()} == {str(j["id"]): j["name"] for j in board["jobs"]}
    assert len(_api(web, "/api/pcsx/search?")) == 2  # 10 + 2
    job = jobs["1970000000000101"]
    assert job["url"] == "https://apply.woodgrovebank.com/careers/job/1970000000000101"
    assert job["country"] == "FR" and job["workplace"] == "hybrid"
    assert "Role 1 at the team" in job["description"]


def test_unknown_tenant_yields_nothing(web):
    result = run_crawl(web, company="Nobody", careers_url="https://nobody.eightfold.ai/careers")
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.items == []
