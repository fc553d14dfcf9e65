"""End to end: the real spider reads stand-in Taleo career sections (tests/web/data/taleo)."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.crawl import run_crawl

pytestmark = pytest.mark.timeout(300)
BOARDS = json.loads((Path(__file__).parent / "web" / "data" / "taleo" / "boards.json").read_text())


def _searches(web, host: str) -> list[dict]:
    return [r for r in web.requests_seen() if f"{host}/careersection/rest/jobboard/searchjobs" in r["url"]]


def test_section_is_read_page_by_page_from_its_rest_search(web):
    board = BOARDS["fabrikam.taleo.net"]
    result = run_crawl(web, company="Fabrikam",
                       careers_url="https://fabrikam.taleo.net/careersection/ex/jobsearch.ftl?lang=en&portal=101430233")
    assert result.returncode == 0, result.stderr[-2000:]
    jobs = result.by_id()
    assert {k: v["title"] for k, v in jobs.items()} == {j["contestNo"]: j["title"] for j in board["jobs"]}
    assert len(_searches(web, "fabrikam.taleo.net")) == 3  # 25 + 25 + 10, bounded by the count
    job = jobs["2601001"]
    assert job["source"] == "taleo"
    assert job["url"] == "https://fabrikam.taleo.net/careersection/ex/jobdetail.ftl?job=2601001"
    assert job["location"] == "US-Texas-Fort Worth; CA-Quebec-Mirabel"
    assert job["posted_at"].startswith("2026-10-02")
    assert jobs["2601000"]["location"] == "US-Kansas-Wichita"


def test_portal_read_from_the_section_page_and_title_only_layout(web):
    board = BOARDS["contoso.taleo.net"]
    result = run_crawl(web, company="Contoso", careers_url="https://contoso.taleo.net/careersection/2/jobsearch.ftl")
    assert result.returncode == 0, result.stderr[-2000:]
    assert {k: v["title"] for k, v in result.by_id().items()} == {j["contestNo"]: j["title"] for j in board["jobs"]}
    assert len(_searches(web, "contoso.taleo.net")) == 1


def test_unknown_portal_yields_nothing(web):
    result = run_crawl(web, company="Fabrikam",
                       careers_url="https://fabrikam.taleo.net/careersection/ex/jobsearch.ftl?lang=en&portal=999")
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.items == []


def test_business_edition_rows_and_job_pages(web):
    board = BOARDS["phf.tbe.taleo.net"]
    result = run_crawl(web, company="Harbor Medical",
                       careers_url="https://phf.tbe.taleo.net/phf02/ats/careers/v2/searchResults?org=HARBORMED&cws=41")
    assert result.returncode == 0, result.stderr[-2000:]
    jobs = result.by_id()
    assert {k: v["title"] for k, v in jobs.items()} == {j["rid"]: j["title"] for j in board["jobs"]}
    assert len([r for r in web.requests_seen() if "/searchResults?" in r["url"]]) == 4  # 10 + 10 + 4 + an empty page
    job = jobs["311"]
    assert job["url"] == "https://phf.tbe.taleo.net/phf02/ats/careers/v2/viewRequisition?org=HARBORMED&cws=41&rid=311"
    assert (job["location"], job["city"], job["region"], job["country"]) == ("Bangor, ME", "Bangor", "ME", "US")
    assert job["department"] == "Administration" and job["employment_type"] == "FULL_TIME"
    assert job["posted_at"].startswith("2026-09-02") and "Care for patients, shift 311." in job["description"]
