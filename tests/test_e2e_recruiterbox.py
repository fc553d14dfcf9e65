"""End to end: the real `careers` spider reads stand-in Trakstar Hire openings, page by page."""
from __future__ import annotations

import pytest

from tests.crawl import run_crawl

pytestmark = pytest.mark.timeout(300)


def test_all_pages_all_fields(web):
    result = run_crawl(web, company="Lakeshore Labs", careers_url="https://lakeshorelabs.hire.trakstar.com/jobs/fk0hmz1/")
    assert result.returncode == 0, result.stderr[-2000:]
    jobs = result.by_id()
    assert {k: v["title"] for k, v in jobs.items()} == {
        "fk0hmz1": "Lab Technician", "fk0hmz2": "Bioinformatics Scientist", "fk0hmz3": "Office Coordinator",
        "fk0hmz5": "Summer Intern"}
    pages = [r["url"] for r in web.requests_seen() if "jsapi.recruiterbox.com/v1/openings" in r["url"]]
    assert sorted(u.rsplit("offset=", 1)[1] for u in pages) == ["0", "0", "2", "4"]  # 429 retried, 3 pages
    lab = jobs["fk0hmz1"]
    assert (lab["source"], lab["url"]) == ("recruiterbox", "https://lakeshorelabs.hire.trakstar.com/jobs/fk0hmz1/")
    assert (lab["city"], lab["region"], lab["country"], lab["employment_type"]) == ("Chicago", "IL", "US", "FULL_TIME")
    assert lab["department"] == "Operations" and "Run assays" in lab["description"]
    bio = jobs["fk0hmz2"]
    assert (bio["workplace"], bio["country"], bio["employment_type"]) == ("remote", "CA", "CONTRACTOR")
    assert jobs["fk0hmz5"]["employment_type"] == "INTERN"


def test_unknown_and_truncated(web):
    assert run_crawl(web, company="Nobody", careers_url="https://nosuchco.hire.trakstar.com/").items == []
    broken = run_crawl(web, company="Broken Co", careers_url="https://brokenco.hire.trakstar.com/")
    assert broken.items == []
    assert broken.stats.get("jobos/errors/bad_response") == 1, sorted(broken.stats)
