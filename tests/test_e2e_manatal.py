"""End to end: the real `careers` spider reads stand-in Manatal career pages, page by page."""
from __future__ import annotations

import pytest

from tests.crawl import run_crawl

pytestmark = pytest.mark.timeout(300)


def test_all_pages_all_fields(web):
    result = run_crawl(web, company="Tideways Marine", careers_url="https://www.careers-page.com/tidewaysmarine")
    assert result.returncode == 0, result.stderr[-2000:]
    jobs = result.by_id()
    assert {k: v["title"] for k, v in jobs.items()} == {
        "RY796WR6": "Marine Superintendent", "KQ22LM9A": "Crewing Officer", "ZP0X7TT3": "Remote HSE Analyst",
        "MM41QE8B": "Deck Cadet"}
    pages = [r["url"] for r in web.requests_seen() if "/open/v3/career-page/" in r["url"]]
    assert sorted(u.rsplit("=", 1)[1] for u in pages) == ["1", "1", "2", "3"]  # the 429 retried, 3 pages of 2
    sup = jobs["RY796WR6"]
    assert (sup["source"], sup["url"]) == ("manatal", "https://www.careers-page.com/tidewaysmarine/job/RY796WR6")
    assert (sup["country"], sup["employment_type"], sup["description"]) == ("SG", "FULL_TIME", "Oversee our vessel fleet.")
    assert (jobs["KQ22LM9A"]["city"], jobs["KQ22LM9A"]["country"], jobs["KQ22LM9A"]["employment_type"]) == ("Batam", "ID", "CONTRACTOR")
    assert (jobs["ZP0X7TT3"]["workplace"], jobs["ZP0X7TT3"]["country"]) == ("remote", "AE")
    assert jobs["MM41QE8B"]["employment_type"] == "INTERN"


def test_unknown_and_truncated(web):
    assert run_crawl(web, company="Nobody", careers_url="https://www.careers-page.com/nosuchco").items == []
    broken = run_crawl(web, company="Broken Co", careers_url="https://www.careers-page.com/brokenco")
    assert broken.items == []
    assert broken.stats.get("jobos/errors/bad_response") == 1, sorted(broken.stats)
