"""End to end: the real `careers` spider reads stand-in Polymer boards: list pages, then details."""
from __future__ import annotations

import pytest

from tests.crawl import run_crawl

pytestmark = pytest.mark.timeout(300)


def test_list_pages_and_details(web):
    result = run_crawl(web, company="BrightPath Tutoring", careers_url="https://jobs.polymer.co/brightpath")
    assert result.returncode == 0, result.stderr[-2000:]
    jobs = result.by_id()
    assert {k: v["title"] for k, v in jobs.items()} == {
        "38850": "Math Tutor (Part-Time)", "38851": "Curriculum Designer", "38852": "Center Director"}
    seen = [r["url"] for r in web.requests_seen() if "api.polymer.co" in r["url"] and "robots" not in r["url"]]
    assert len([u for u in seen if "/jobs?" in u]) == 3  # page 1, its 429 retry, page 2
    assert sorted(u.rsplit("/", 1)[1] for u in seen if "/jobs/" in u) == ["38850", "38851", "38852"]
    tutor = jobs["38850"]
    assert (tutor["source"], tutor["url"]) == ("polymer", "https://jobs.polymer.co/brightpath/38850")
    assert (tutor["city"], tutor["region"], tutor["country"]) == ("Austin", "Texas", "US")
    assert (tutor["employment_type"], tutor["department"]) == ("PART_TIME", "Academics")
    assert "master algebra" in tutor["description"]
    assert (jobs["38851"]["workplace"], jobs["38851"]["country"]) == ("remote", "US")
    director = jobs["38852"]  # its detail is cut: the list data are kept
    assert director.get("description") is None and director["department"] == "Operations"
    assert result.stats.get("jobos/errors/bad_response") == 1


def test_unknown_and_truncated(web):
    assert run_crawl(web, company="Nobody", careers_url="https://jobs.polymer.co/nosuchco").items == []
    broken = run_crawl(web, company="Broken Co", careers_url="https://jobs.polymer.co/brokenco")
    assert broken.items == []
    assert broken.stats.get("jobos/errors/bad_response") == 1, sorted(broken.stats)
