"""End to end: the real `careers` spider reads stand-in HiBob careers sites."""
from __future__ import annotations

import pytest

from tests.crawl import run_crawl

pytestmark = pytest.mark.timeout(300)
A, B, C = "11111111-aaaa-4aaa-8aaa-111111111111", "22222222-bbbb-4bbb-8bbb-222222222222", "33333333-cccc-4ccc-8ccc-333333333333"


def test_feed_all_fields(web):
    result = run_crawl(web, company="La Fromagerie", careers_url="https://fromagerie.careers.hibob.com/jobs")
    assert result.returncode == 0, result.stderr[-2000:]
    jobs = result.by_id()
    assert {k: v["title"] for k, v in jobs.items()} == {
        A: "Développeur Full Stack", B: "Account Manager DACH", C: "Affineur (H/F)"}
    assert result.stats.get("downloader/response_status_count/429") == 1
    dev = jobs[A]
    assert (dev["source"], dev["url"]) == ("hibob", f"https://fromagerie.careers.hibob.com/jobs/{A}")
    assert (dev["city"], dev["country"], dev["workplace"], dev["employment_type"]) == ("Lyon", "FR", "hybrid", "FULL_TIME")
    assert (dev["salary_min"], dev["salary_max"], dev["salary_currency"], dev["salary_period"]) == (45000, 55000, "EUR", "YEAR")
    assert dev["posted_at"] == "2026-10-28" and "Missions" in dev["description"]
    assert (jobs[B]["workplace"], jobs[B]["country"]) == ("remote", "DE")
    assert (jobs[C]["workplace"], jobs[C]["employment_type"], jobs[C]["salary_period"]) == ("onsite", "PART_TIME", "HOUR")


def test_country_filter(web):
    result = run_crawl(web, company="La Fromagerie", country="DE", careers_url="https://fromagerie.careers.hibob.com/jobs")
    assert result.returncode == 0, result.stderr[-2000:]
    assert set(result.by_id()) == {B}


def test_unknown_and_truncated(web):
    unknown = run_crawl(web, company="Nobody", careers_url="https://nosuchco.careers.hibob.com/jobs")
    assert unknown.items == [] and unknown.stats.get("downloader/response_status_count/401") == 1
    broken = run_crawl(web, company="Broken Co", careers_url="https://brokenco.careers.hibob.com/jobs")
    assert broken.items == []
    assert broken.stats.get("jobos/errors/bad_response") == 1, sorted(broken.stats)
