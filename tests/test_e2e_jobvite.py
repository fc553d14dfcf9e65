"""End to end: the real `careers` spider reads stand-in Jobvite career sites from a company page."""
from __future__ import annotations

import pytest

from tests.crawl import run_crawl

pytestmark = pytest.mark.timeout(300)
J = "https://jobs.jobvite.com/tallgrass/job/"


def test_embedded_listing_and_job_pages(web):
    result = run_crawl(web, company="Tallgrass Trust", careers_url="https://www.tallgrasstrust.com/careers/")
    assert result.returncode == 0, result.stderr[-2000:]
    jobs = result.by_id()
    assert {k: v["title"] for k, v in jobs.items()} == {
        "oAbC1dEf": "Relationship Banker", "oGhI2jKl": "Branch Manager", "oXyZ3kLm": "Security Analyst"}
    assert result.stats.get("downloader/response_status_count/429") == 1
    banker = jobs["oAbC1dEf"]
    assert (banker["source"], banker["url"], banker["department"]) == ("jobvite", J + "oAbC1dEf", "Banking")
    assert (banker["city"], banker["region"], banker["country"]) == ("Wichita", "Kansas", "US")
    assert "Serve our branch clients" in banker["description"]
    analyst = jobs["oXyZ3kLm"]  # its page answers 500: the listing's data are kept
    assert (analyst["workplace"], analyst["department"], analyst.get("description")) == ("remote", "Technology", None)


def test_unknown_site(web):
    assert run_crawl(web, company="Nobody", careers_url="https://jobs.jobvite.com/nosuchco/jobs").items == []
