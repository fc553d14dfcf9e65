"""End to end: the real `careers` spider reads stand-in Breezy HR portals."""
from __future__ import annotations

import pytest

from tests.crawl import run_crawl

pytestmark = pytest.mark.timeout(300)


def test_portal_all_fields(web):
    result = run_crawl(web, company="Cobalt Bay Software", careers_url="https://cobaltbay.breezy.hr/")
    assert result.returncode == 0, result.stderr[-2000:]
    jobs = result.by_id()
    assert {k: v["title"] for k, v in jobs.items()} == {
        "a1b2c3d4e5f6": "Senior React Developer", "0f9e8d7c6b5a": "Customer Support Specialist",
        "9a8b7c6d5e4f": "Marketing Intern"}
    assert result.stats.get("downloader/response_status_count/429") == 1
    dev = jobs["a1b2c3d4e5f6"]
    assert (dev["source"], dev["method"]) == ("breezy", "api")
    assert dev["url"] == "https://cobaltbay.breezy.hr/p/a1b2c3d4e5f6-senior-react-developer"
    assert (dev["city"], dev["region"], dev["country"]) == ("Portland", "Oregon", "US")
    assert (dev["employment_type"], dev["department"], dev["posted_at"]) == ("FULL_TIME", "Engineering", "2026-10-21")
    support = jobs["0f9e8d7c6b5a"]
    assert (support["workplace"], support["country"], support["employment_type"]) == ("remote", "CA", "PART_TIME")
    intern = jobs["9a8b7c6d5e4f"]
    assert (intern["employment_type"], intern["city"], intern["country"]) == ("INTERN", "Dublin", "IE")


def test_country_filter(web):
    result = run_crawl(web, company="Cobalt Bay Software", country="IE",
                       careers_url="https://cobaltbay.breezy.hr/p/9a8b7c6d5e4f-marketing-intern")
    assert result.returncode == 0, result.stderr[-2000:]
    assert set(result.by_id()) == {"9a8b7c6d5e4f"}


def test_unknown_and_truncated(web):
    assert run_crawl(web, company="Nobody", careers_url="https://nosuchco.breezy.hr/").items == []
    broken = run_crawl(web, company="Broken Co", careers_url="https://brokenco.breezy.hr/")
    assert broken.items == []
    assert broken.stats.get("jobos/errors/bad_response") == 1, sorted(broken.stats)
