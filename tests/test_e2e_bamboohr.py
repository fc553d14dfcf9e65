"""End to end: the real spider reads the stand-in BambooHR careers sites."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.crawl import run_crawl

pytestmark = pytest.mark.timeout(300)
BOARDS = json.loads((Path(__file__).parent / "web" / "data" / "bamboohr" / "boards.json").read_text())


def test_list_and_one_detail_per_job(web):
    board = BOARDS["harborhealth"]
    result = run_crawl(web, company="Harbor Health", careers_url="https://harborhealth.bamboohr.com/careers")
    assert result.returncode == 0, result.stderr
    jobs = result.by_id()
    assert {(o["id"], o["jobOpeningName"]) for o in board["openings"]} == {(k, v["title"]) for k, v in jobs.items()}
    details = [r for r in web.requests_seen() if r["url"].endswith("/detail")]
    assert len(details) == len(board["openings"])
    rn = jobs["101"]
    assert rn["url"] == "https://harborhealth.bamboohr.com/careers/101"
    assert rn["country"] == "US" and rn["city"] == "Tampa" and rn["department"] == "Nursing"
    assert (rn["salary_min"], rn["salary_max"], rn["salary_currency"], rn["salary_period"]) == (38, 52, "USD", "HOUR")
    assert "24-bed ICU" in rn["description"]
    assert jobs["102"]["workplace"] == "remote"
    assert jobs["103"]["workplace"] == "hybrid" and jobs["103"]["country"] == "CA"
    assert jobs["105"].get("description") is None  # truncated detail: list fields kept


def test_country_filter_and_rate_limit(web):
    result = run_crawl(web, company="Oakline Studio", country="IE", careers_url="https://oakline.bamboohr.com/careers/8")
    assert result.returncode == 0, result.stderr
    assert set(result.by_id()) == {"8"}
    assert result.stats.get("downloader/response_status_count/429") == 1


def test_missing_tenant_redirect_is_not_followed(web):
    result = run_crawl(web, company="Nobody", careers_url="https://nosuchtenant.bamboohr.com/careers")
    assert result.returncode == 0, result.stderr
    assert result.items == []
    assert not [r for r in web.requests_seen() if "www.bamboohr.com" in r["url"]]
