"""End to end: the real `careers` spider reads stand-in Gusto-hosted boards and posting pages."""
from __future__ import annotations

import pytest

from tests.crawl import run_crawl

pytestmark = pytest.mark.timeout(300)
BOARD = "https://jobs.gusto.com/boards/sagebrush-dental-group-3c9a1f20-7b4e-4d8a-9f61-2e5d8c7b6a41"
P = "https://jobs.gusto.com/postings/"


def test_board_and_posting_pages(web):
    result = run_crawl(web, company="Sagebrush Dental Group", careers_url=BOARD)
    assert result.returncode == 0, result.stderr[-2000:]
    jobs = result.by_id()
    assert {k: v["title"] for k, v in jobs.items()} == {
        "b2c3d4e5-0001-4abc-8def-000000000001": "Dental Hygienist",
        "b2c3d4e5-0002-4abc-8def-000000000002": "Billing Specialist",
        "b2c3d4e5-0003-4abc-8def-000000000003": "Front Desk Coordinator"}
    hyg = jobs["b2c3d4e5-0001-4abc-8def-000000000001"]
    url = P + "sagebrush-dental-group-dental-hygienist-b2c3d4e5-0001-4abc-8def-000000000001"
    assert (hyg["source"], hyg["url"], hyg["apply_url"]) == ("gusto", url, url + "/applicants/new")
    assert (hyg["city"], hyg["region"], hyg["country"], hyg["employment_type"]) == ("Santa Fe", "New Mexico", "US", "FULL_TIME")
    assert "Provide preventive care" in hyg["description"] and "family dental clinics" in hyg["description"]
    billing = jobs["b2c3d4e5-0002-4abc-8def-000000000002"]  # its page answers 500: board data kept
    assert (billing["workplace"], billing["employment_type"]) == ("remote", "PART_TIME")
    assert billing.get("description") is None
    assert jobs["b2c3d4e5-0003-4abc-8def-000000000003"]["location"] == "Santa Fe, NM / Taos, NM"
    assert result.stats.get("downloader/response_status_count/429") == 1


def test_unknown_and_broken(web):
    assert run_crawl(web, company="Nobody", careers_url="https://jobs.gusto.com/boards/nobody-11111111-2222-4333-8444-555555555555").items == []
    broken = run_crawl(web, company="Broken Co", careers_url="https://jobs.gusto.com/boards/broken-co-00000000-0000-4000-8000-000000000000")
    assert broken.items == []
    assert broken.stats.get("jobos/errors/bad_response") == 1, sorted(broken.stats)


def test_a_posting_url_reads_its_own_posting_and_the_board(web):
    # A user pastes one posting's URL: the board the page links is read for every job, and the
    # pasted posting comes from the page in hand (the board's request for it is the same page:
    # dropped as a duplicate, not fetched twice), with the board's identity.
    url = P + "sagebrush-dental-group-dental-hygienist-b2c3d4e5-0001-4abc-8def-000000000001"
    result = run_crawl(web, company="Sagebrush Dental Group", careers_url=url)
    assert result.returncode == 0, result.stderr[-2000:]
    assert sorted((i["external_id"], i["title"]) for i in result.items) == [
        ("b2c3d4e5-0001-4abc-8def-000000000001", "Dental Hygienist"),
        ("b2c3d4e5-0002-4abc-8def-000000000002", "Billing Specialist"),
        ("b2c3d4e5-0003-4abc-8def-000000000003", "Front Desk Coordinator")]
    hyg = result.by_id()["b2c3d4e5-0001-4abc-8def-000000000001"]
    assert (hyg["source"], hyg["method"], hyg["url"], hyg["apply_url"]) == ("gusto", "api", url, url + "/applicants/new")
    assert (hyg["city"], hyg["region"], hyg["employment_type"]) == ("Santa Fe", "New Mexico", "FULL_TIME")
    assert "Provide preventive care" in hyg["description"]
    assert result.stats.get("jobos/listing/ats_page_posting") == 1
    assert result.stats.get("dupefilter/filtered") == 1
    assert result.stats.get("jobos/dropped/duplicate") is None
