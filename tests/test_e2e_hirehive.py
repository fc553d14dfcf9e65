"""End to end: the real `careers` spider reads stand-in HireHive feeds, following nextPage."""
from __future__ import annotations

import pytest

from tests.crawl import run_crawl

pytestmark = pytest.mark.timeout(300)


def test_all_pages_all_fields(web):
    result = run_crawl(web, company="Claddagh Software", careers_url="https://claddagh.hirehive.com/")
    assert result.returncode == 0, result.stderr[-2000:]
    jobs = result.by_id()
    assert {k: v["title"] for k, v in jobs.items()} == {
        "90011": "Product Analyst", "90012": "Support Engineer", "90013": "Sales Development Rep"}
    pages = [r["url"] for r in web.requests_seen() if "/api/v1/jobs" in r["url"]]
    assert pages == ["https://claddagh.hirehive.com/api/v1/jobs"] * 2 + ["https://claddagh.hirehive.com/api/v1/jobs?take=2&skip=2"]
    pa = jobs["90011"]
    assert (pa["source"], pa["url"]) == ("hirehive", "https://claddagh.hirehive.com/product-analyst-galway-Jr5HUI")
    assert (pa["city"], pa["country"], pa["employment_type"], pa["department"]) == ("Galway", "IE", "FULL_TIME", "Product")
    assert pa["posted_at"] == "2026-11-01" and pa["description"] == "Own our product metrics."
    se = jobs["90012"]
    assert (se["city"], se["region"], se["country"], se["posted_at"]) == ("Draper", "UT", "US", "2026-11-08")
    sdr = jobs["90013"]
    assert (sdr["workplace"], sdr["country"], sdr["employment_type"]) == ("remote", "IE", "CONTRACTOR")


def test_unknown_and_truncated(web):
    assert run_crawl(web, company="Nobody", careers_url="https://nosuchco.hirehive.com/").items == []
    broken = run_crawl(web, company="Broken Co", careers_url="https://brokenco.hirehive.com/")
    assert broken.items == []
    assert broken.stats.get("jobos/errors/bad_response") == 1, sorted(broken.stats)
