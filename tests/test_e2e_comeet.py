"""End to end: the real `careers` spider reads stand-in Comeet hosted careers pages."""
from __future__ import annotations

import pytest

from tests.crawl import run_crawl

pytestmark = pytest.mark.timeout(300)


def test_hosted_page_all_fields(web):
    result = run_crawl(web, company="Galil Sense",
                       careers_url="https://www.comeet.com/jobs/galilsense/A3.00F/algorithm-engineer/B7.1C2")
    assert result.returncode == 0, result.stderr[-2000:]
    jobs = result.by_id()
    assert {k: v["title"] for k, v in jobs.items()} == {
        "B7.1C2": "Algorithm Engineer", "B7.1C3": "Field Application Engineer", "B7.1C4": "Student - QA"}
    algo = jobs["B7.1C2"]
    assert (algo["source"], algo["method"]) == ("comeet", "api")
    assert algo["url"] == "https://www.comeet.com/jobs/galilsense/A3.00F/algorithm-engineer/B7.1C2"
    assert (algo["city"], algo["country"], algo["workplace"]) == ("Haifa", "IL", "hybrid")
    assert (algo["employment_type"], algo["department"], algo["posted_at"]) == ("FULL_TIME", "R&D", "2026-10-30")
    assert "Design tracking algorithms" in algo["description"] and "Requirements" in algo["description"]
    fae = jobs["B7.1C3"]
    assert (fae["workplace"], fae["country"], fae["region"]) == ("remote", "DE", "Bavaria")
    student = jobs["B7.1C4"]
    assert (student["workplace"], student["employment_type"]) == ("onsite", "PART_TIME")


def test_country_filter(web):
    result = run_crawl(web, company="Galil Sense", country="DE", careers_url="https://www.comeet.com/jobs/galilsense/A3.00F")
    assert result.returncode == 0, result.stderr[-2000:]
    assert set(result.by_id()) == {"B7.1C3"}


def test_unknown_and_truncated(web):
    assert run_crawl(web, company="Nobody", careers_url="https://www.comeet.com/jobs/nosuchco/A1.001").items == []
    broken = run_crawl(web, company="Broken Co", careers_url="https://www.comeet.com/jobs/brokenco/A3.0AA")
    assert broken.items == []
    assert broken.stats.get("jobos/errors/bad_response") == 1, sorted(broken.stats)
