"""End to end: the real `careers` spider reads stand-in Gem job boards."""
from __future__ import annotations

import pytest

from tests.crawl import run_crawl

pytestmark = pytest.mark.timeout(300)


def test_board_all_fields(web):
    result = run_crawl(web, company="Lumen Labs", careers_url="https://jobs.gem.com/lumenlabs")
    assert result.returncode == 0, result.stderr[-2000:]
    jobs = result.by_id()
    assert {k: v["title"] for k, v in jobs.items()} == {
        "4801200001": "Optical Engineer", "am9icG9zdDpMdW1lbkxhYnNSZW1vdGUx": "Embedded Firmware Engineer",
        "4801200003": "Perception Intern"}
    assert result.stats.get("downloader/response_status_count/429") == 1
    opt = jobs["4801200001"]
    assert (opt["source"], opt["method"], opt["url"]) == ("gem", "api", "https://jobs.gem.com/lumenlabs/4801200001")
    assert (opt["city"], opt["country"], opt["workplace"]) == ("Munich", "DE", "hybrid")
    assert (opt["employment_type"], opt["department"], opt["posted_at"]) == ("FULL_TIME", "Hardware", "2026-09-02")
    assert "Design optics for our lidar sensors" in opt["description"]
    fw = jobs["am9icG9zdDpMdW1lbkxhYnNSZW1vdGUx"]
    assert (fw["workplace"], fw["employment_type"], fw["department"]) == ("remote", "CONTRACTOR", "Software")
    intern = jobs["4801200003"]
    assert (intern["workplace"], intern["employment_type"], intern["country"]) == ("onsite", "INTERN", "US")


def test_country_filter_and_api_url(web):
    result = run_crawl(web, company="Lumen Labs", country="DE",
                       careers_url="https://api.gem.com/job_board/v0/lumenlabs/job_posts")
    assert result.returncode == 0, result.stderr[-2000:]
    # Munich, the remote Europe job (open to DE) and the internship whose offices include Munich.
    assert set(result.by_id()) == {"4801200001", "am9icG9zdDpMdW1lbkxhYnNSZW1vdGUx", "4801200003"}


def test_country_filter_drops_other_countries(web):
    result = run_crawl(web, company="Lumen Labs", country="US", careers_url="https://jobs.gem.com/lumenlabs")
    assert result.returncode == 0, result.stderr[-2000:]
    # Boston; not the Munich-only job nor the job remote in Europe.
    assert set(result.by_id()) == {"4801200003"}


def test_unknown_and_truncated(web):
    assert run_crawl(web, company="Nobody", careers_url="https://jobs.gem.com/nosuchco").items == []
    broken = run_crawl(web, company="Broken Co", careers_url="https://jobs.gem.com/brokenco")
    assert broken.items == []
    assert broken.stats.get("jobos/errors/bad_response") == 1, sorted(broken.stats)
