"""End to end: the real `careers` spider reads stand-in Freshteam career sites."""
from __future__ import annotations

import pytest

from tests.crawl import run_crawl

pytestmark = pytest.mark.timeout(300)


def test_feed_all_fields(web):
    result = run_crawl(web, company="Tandoor Labs", careers_url="https://tandoorlabs.freshteam.com/jobs")
    assert result.returncode == 0, result.stderr[-2000:]
    jobs = result.by_id()
    assert {k: v["title"] for k, v in jobs.items()} == {
        "hSxg4m": "Android Developer", "pQ7r2k": "Customer Support Executive", "m8n9o0": "Finance Intern"}
    assert result.stats.get("downloader/response_status_count/429") == 1
    dev = jobs["hSxg4m"]
    assert (dev["source"], dev["url"]) == ("freshteam", "https://tandoorlabs.freshteam.com/jobs/hSxg4m/android-developer")
    assert (dev["city"], dev["region"], dev["country"], dev["department"]) == ("Bengaluru", "Karnataka", "IN", "Engineering")
    assert dev["posted_at"] == "2026-10-05" and "ordering app" in dev["description"]
    assert jobs["pQ7r2k"]["workplace"] == "remote"
    assert jobs["m8n9o0"]["country"] == "AE"


def test_country_filter(web):
    result = run_crawl(web, company="Tandoor Labs", country="AE", careers_url="https://tandoorlabs.freshteam.com/jobs")
    assert result.returncode == 0, result.stderr[-2000:]
    assert set(result.by_id()) == {"m8n9o0"}


def test_unknown_and_truncated(web):
    unknown = run_crawl(web, company="Nobody", careers_url="https://nosuchco.freshteam.com/jobs")
    assert unknown.items == [] and "jobos/errors/bad_response" not in unknown.stats
    broken = run_crawl(web, company="Broken Co", careers_url="https://brokenco.freshteam.com/jobs")
    assert broken.items == []
    assert broken.stats.get("jobos/errors/bad_response") == 1, sorted(broken.stats)
