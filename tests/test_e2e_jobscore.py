"""End to end: the real `careers` spider reads stand-in JobScore feeds."""
from __future__ import annotations

import pytest

from tests.crawl import run_crawl

pytestmark = pytest.mark.timeout(300)


def test_feed_all_fields(web):
    result = run_crawl(web, company="Orchard Veterinary Partners", careers_url="https://careers.jobscore.com/careers/orchardvet")
    assert result.returncode == 0, result.stderr[-2000:]
    jobs = result.by_id()
    assert {k: v["title"] for k, v in jobs.items()} == {
        "aB3dE5fG7h": "Veterinary Technician", "cD4eF6gH8i": "Practice Operations Analyst",
        "eF5gH7iJ9k": "Relief Veterinarian"}
    assert result.stats.get("downloader/response_status_count/429") == 1
    tech = jobs["aB3dE5fG7h"]
    assert (tech["source"], tech["url"]) == ("jobscore", "https://careers.jobscore.com/careers/orchardvet/jobs/veterinary-technician-aB3dE5fG7h")
    assert (tech["city"], tech["country"], tech["workplace"], tech["employment_type"]) == ("Portland", "US", "onsite", "FULL_TIME")
    assert (tech["salary_min"], tech["salary_max"], tech["salary_period"], tech["posted_at"]) == (22, 28, "HOUR", "2026-10-12")
    assert (jobs["cD4eF6gH8i"]["workplace"], jobs["cD4eF6gH8i"]["salary_min"]) == ("remote", 70000)
    assert (jobs["eF5gH7iJ9k"]["workplace"], jobs["eF5gH7iJ9k"]["country"], jobs["eF5gH7iJ9k"]["employment_type"]) == ("hybrid", "CA", "CONTRACTOR")


def test_unknown_and_truncated(web):
    assert run_crawl(web, company="Nobody", careers_url="https://careers.jobscore.com/careers/nosuchco").items == []
    broken = run_crawl(web, company="Broken Co", careers_url="https://careers.jobscore.com/careers/brokenco")
    assert broken.items == []
    assert broken.stats.get("jobos/errors/bad_response") == 1, sorted(broken.stats)
