"""End to end: the real `careers` spider reads stand-in Pinpoint career sites."""
from __future__ import annotations

import pytest

from tests.crawl import run_crawl

pytestmark = pytest.mark.timeout(300)


def test_company_page_links_the_board_all_fields(web):
    result = run_crawl(web, company="Harbourline", careers_url="https://www.harbourline.co.uk/careers/")
    assert result.returncode == 0, result.stderr[-2000:]
    jobs = result.by_id()
    assert {k: v["title"] for k, v in jobs.items()} == {
        "700101": "Backend Engineer (Ruby)", "700102": "Marina Operations Lead",
        "700103": "Customer Success Manager"}
    assert result.stats.get("downloader/response_status_count/429") == 1  # retried, not lost
    be = jobs["700101"]
    assert be["source"] == "pinpoint" and be["method"] == "api"
    assert be["url"] == "https://harbourline.pinpointhq.com/en/postings/0b1d7a52-5f0e-4c55-9a41-6f3f8e2a7c01"
    assert (be["location"], be["city"], be["region"], be["country"]) == ("United Kingdom", "Bristol", "England", "GB")
    assert (be["workplace"], be["employment_type"], be["department"]) == ("remote", "FULL_TIME", "Engineering")
    assert (be["salary_min"], be["salary_max"], be["salary_currency"], be["salary_period"]) == (60000, 75000, "GBP", "YEAR")
    assert "What you'll do" in be["description"] and "Own the bookings API end to end" in be["description"]
    assert "30 days of holiday" in be["description"]
    ops = jobs["700102"]
    assert (ops["workplace"], ops["employment_type"], ops["city"]) == ("onsite", "PART_TIME", "Plymouth")
    assert (ops["salary_min"], ops["salary_max"], ops["salary_period"]) == (18.5, 21, "HOUR")
    cs = jobs["700103"]
    assert (cs["workplace"], cs["employment_type"], cs["country"]) == ("hybrid", "CONTRACTOR", "US")
    assert cs.get("salary_min") is None and cs["department"] == "Customer Success"


def test_country_filter(web):
    result = run_crawl(web, company="Harbourline", country="US",
                       careers_url="https://harbourline.pinpointhq.com/en/postings/9f8e7d6c-5b4a-4392-8170-abcdefabcd03")
    assert result.returncode == 0, result.stderr[-2000:]
    # Boston; and the Plymouth job, whose location names no country (the contract keeps jobs
    # whose country cannot be determined); not the Bristol job in the United Kingdom.
    assert set(result.by_id()) == {"700103", "700102"}


def test_unknown_and_truncated(web):
    assert run_crawl(web, company="Nobody", careers_url="https://nosuchco.pinpointhq.com/").items == []
    broken = run_crawl(web, company="Broken Co", careers_url="https://brokenco.pinpointhq.com/")
    assert broken.items == []
    assert broken.stats.get("jobos/errors/bad_response") == 1, sorted(broken.stats)
