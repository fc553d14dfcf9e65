"""End to end: the real `careers` spider reads Greenhouse boards through the stand-in web."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.crawl import assert_429_then_retried, run_crawl

DATA = Path(__file__).resolve().parent / "web" / "data" / "greenhouse"


def _board(token: str) -> dict:
    return json.loads((DATA / f"{token}.json").read_text(encoding="utf-8"))


def _ids(result) -> dict[str, str]:
    return {i["external_id"]: i["title"] for i in result.items}


def test_whole_board_in_one_request(web):
    result = run_crawl(web, company="Northwind Traders",
                       careers_url="https://job-boards.greenhouse.io/northwind")
    assert result.returncode == 0, result.stderr[-2000:]
    assert _ids(result) == {str(j["id"]): j["title"] for j in _board("northwind")["jobs"]}
    job = result.by_id()["4100001001"]
    assert job["source"] == "greenhouse" and job["method"] == "api"
    assert job["url"] == "https://job-boards.greenhouse.io/northwind/jobs/4100001001"
    assert job["department"] == "Engineering"
    assert job["country"] == "DE"
    assert job["workplace"] == "hybrid"
    assert (job["salary_min"], job["salary_max"], job["salary_currency"]) == (75000, 95000, "EUR")
    assert job["employment_type"] == "FULL_TIME"
    assert "&lt;" not in (job["description_html"] or "") and "About the role" in job["description_html"]
    assert result.by_id()["4100001003"]["workplace"] == "remote"
    api_calls = [e for e in web.requests_seen() if "boards-api.greenhouse.io/v1/" in e["url"]]
    assert len(api_calls) == 1  # ?content=true: every job with its text in one response


def test_country_filter(web):
    result = run_crawl(web, company="Northwind Traders", country="DE",
                       careers_url="https://boards.greenhouse.io/northwind")
    assert result.returncode == 0, result.stderr[-2000:]
    assert set(_ids(result)) == {"4100001001"}


def test_eu_board_url(web):
    result = run_crawl(web, company="Fjord Labs",
                       careers_url="https://job-boards.eu.greenhouse.io/fjordlabs")
    assert result.returncode == 0, result.stderr[-2000:]
    assert _ids(result) == {str(j["id"]): j["title"] for j in _board("fjordlabs")["jobs"]}
    assert {i["country"] for i in result.items} == {"NO", "SE"}


def test_eu_board_embedded_in_a_company_page(web):
    # The crawl starts from the company's own careers page, which only embeds the board
    # (Greenhouse's embed script for the EU data centre); the board is read through its API.
    result = run_crawl(web, company="Fjord Labs", careers_url="https://www.fjordlabs.no/karriere/")
    assert result.returncode == 0, result.stderr[-2000:]
    assert _ids(result) == {str(j["id"]): j["title"] for j in _board("fjordlabs")["jobs"]}
    assert {i["source"] for i in result.items} == {"greenhouse"}
    assert {i["method"] for i in result.items} == {"api"}
    seen = [e["url"] for e in web.requests_seen()]
    assert seen.index(next(u for u in seen if "www.fjordlabs.no/karriere" in u)) < seen.index(
        next(u for u in seen if "greenhouse.io/v1/boards/fjordlabs" in u))


def test_429_is_retried_and_truncated_body_keeps_the_crawl_alive(web):
    result = run_crawl(web, company="Blue Harbor", careers_url="https://boards.greenhouse.io/blueharbor")
    assert result.returncode == 0, result.stderr[-2000:]
    assert _ids(result) == {str(j["id"]): j["title"] for j in _board("blueharbor")["jobs"]}
    assert_429_then_retried(web, "/v1/boards/blueharbor/")
    broken = run_crawl(web, company="Broken Co", careers_url="https://boards.greenhouse.io/brokenco")
    assert broken.items == []
    assert any("bad_response" in k for k in broken.stats), sorted(broken.stats)
