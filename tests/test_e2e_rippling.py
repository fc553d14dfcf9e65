"""End to end: the real `careers` spider reads stand-in Rippling boards."""
from __future__ import annotations

import pytest

from tests.crawl import run_crawl

pytestmark = pytest.mark.timeout(300)


def test_board_all_fields(web):
    result = run_crawl(web, company="Quarry Tech", careers_url="https://ats.rippling.com/quarrytech/jobs")
    assert result.returncode == 0, result.stderr[-2000:]
    jobs = result.by_id()
    assert {k: v["title"] for k, v in jobs.items()} == {
        "6a1c0f52-3e7d-4b8a-9c21-5d4e3f2a1b01": "Site Reliability Engineer",
        "7b2d1a63-4f8e-4c9b-8d32-6e5f4a3b2c02": "Account Executive",
        "8c3e2b74-5a9f-4dac-9e43-7f6a5b4c3d03": "Payroll Specialist"}
    assert result.stats.get("downloader/response_status_count/429") == 1
    sre = jobs["6a1c0f52-3e7d-4b8a-9c21-5d4e3f2a1b01"]
    assert (sre["source"], sre["method"]) == ("rippling", "api")
    assert sre["url"] == "https://ats.rippling.com/quarrytech/jobs/6a1c0f52-3e7d-4b8a-9c21-5d4e3f2a1b01"
    assert (sre["city"], sre["region"], sre["country"], sre["department"]) == ("Toronto", "Ontario", "CA", "Platform")
    ae = jobs["7b2d1a63-4f8e-4c9b-8d32-6e5f4a3b2c02"]
    assert (ae["workplace"], ae["country"], ae["department"]) == ("remote", "US", "Sales")
    assert jobs["8c3e2b74-5a9f-4dac-9e43-7f6a5b4c3d03"]["country"] == "US"
    api = [r for r in web.requests_seen() if r["url"].startswith("https://api.rippling.com/platform/")]
    assert len(api) == 2  # the 429 and its retry: one list request, no detail calls


def test_unknown_and_truncated(web):
    assert run_crawl(web, company="Nobody", careers_url="https://ats.rippling.com/nosuchco/jobs").items == []
    broken = run_crawl(web, company="Broken Co", careers_url="https://ats.rippling.com/brokenco/jobs")
    assert broken.items == []
    assert broken.stats.get("jobos/errors/bad_response") == 1, sorted(broken.stats)
