"""End to end: a careers URL on an ATS whose board cannot be read is read as a page.

The ATS's API answers 404 for these boards (unknown to the stand-in): the crawl says so in its
stats, stays partial (a board it could not read closes nothing), and reads the URL itself, the
posting's JSON-LD first, else the page's own rules.
"""
from __future__ import annotations

from tests.crawl import run_crawl


def _crawl(web, company: str, careers_url: str):
    result = run_crawl(web, company=company, careers_url=careers_url, render="never",
                       settings={"JOBOS_LLM_LISTING": "0", "JOBOS_LLM_ENABLED": "0"})
    assert result.returncode == 0, result.stderr[-3000:]
    return result


def _seen(web) -> list[str]:
    return [r["url"] for r in web.requests_seen()]


def test_ats_job_page_with_jsonld_when_its_board_404s(web):
    page = "https://jobs.ashbyhq.com/vellamo/3d1f0b52-7c4e-4a7b-9d2e-6a1c2b9e8f10"
    result = _crawl(web, "Vellamo", page)
    (item,) = result.items
    assert (item["title"], item["url"]) == ("Hardware Test Engineer", page)
    assert item["method"] == "jsonld"
    assert (item["city"], item["country"]) == ("Helsinki", "FI")
    assert result.stats.get("jobos/listing/ats_page_fallback") == 1
    assert result.stats.get("jobos/partial")
    seen = _seen(web)
    assert any(u.startswith("https://api.ashbyhq.com/posting-api/job-board/vellamo") for u in seen)
    assert seen.count(page) == 1  # the page once, after the board failed


def test_ats_job_page_without_jsonld_when_its_board_404s(web):
    page = "https://job-boards.greenhouse.io/saltmarsh/jobs/4417001003"
    result = _crawl(web, "Saltmarsh Robotics", page)
    (item,) = result.items
    assert (item["title"], item["url"]) == ("Field Service Technician", page)
    assert item["method"] == "html"
    assert item["location"] == "Rotterdam, Netherlands"
    assert item["apply_url"] == page + "/apply"
    assert result.stats.get("jobos/listing/ats_page_fallback") == 1
    assert any(u.startswith("https://boards-api.greenhouse.io/v1/boards/saltmarsh/") for u in _seen(web))


def test_readable_board_is_not_read_again_as_a_page(web):
    # The same kind of URL on a board the API knows: the API alone, no page request.
    result = _crawl(web, "Havnegade Medico", "https://job-boards.greenhouse.io/havnegademedico/jobs/5100001001")
    assert result.items and {i["method"] for i in result.items} == {"api"}
    assert not result.stats.get("jobos/listing/ats_page_fallback")
    assert not any(u.startswith("https://job-boards.greenhouse.io/") for u in _seen(web))
