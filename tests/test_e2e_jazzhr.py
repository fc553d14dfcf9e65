"""End to end: the real `careers` spider reads stand-in JazzHR listings and job pages."""
from __future__ import annotations

import pytest

from tests.crawl import run_crawl

pytestmark = pytest.mark.timeout(300)
D = "https://lumenroast.applytojob.com/apply/jobs/details/"


def test_listing_and_job_pages(web):
    result = run_crawl(web, company="Lumen Roasting Co", careers_url="https://lumenroast.applytojob.com/apply/jobs")
    assert result.returncode == 0, result.stderr[-2000:]
    jobs = result.by_id()
    assert {k: v["title"] for k, v in jobs.items()} == {
        "FFZLDWvD0h": "Head Roaster", "Zx8Cv6Bn4M": "Wholesale Account Manager", "Qw3Er5Ty7U": "Barista (Weekends)"}
    assert result.stats.get("downloader/response_status_count/429") == 1
    roaster = jobs["FFZLDWvD0h"]
    assert (roaster["source"], roaster["url"], roaster["apply_url"]) == ("jazzhr", D + "FFZLDWvD0h", D + "FFZLDWvD0h")
    assert (roaster["city"], roaster["region"], roaster["country"], roaster["employment_type"]) == ("Asheville", "NC", "US", "FULL_TIME")
    assert (roaster["salary_min"], roaster["salary_max"], roaster["salary_period"], roaster["posted_at"]) == (52000, 60000, "YEAR", "2026-10-29")
    assert "roasting floor" in roaster["description"]
    assert jobs["Zx8Cv6Bn4M"]["workplace"] == "remote"
    barista = jobs["Qw3Er5Ty7U"]  # its JSON-LD is cut: the listing's title is kept
    assert barista.get("description") is None and barista.get("employment_type") is None


def test_unknown_company(web):
    unknown = run_crawl(web, company="Nobody", careers_url="https://nosuchco.applytojob.com/apply/jobs")
    assert unknown.items == []
