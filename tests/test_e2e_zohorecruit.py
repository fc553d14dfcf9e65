"""End to end: the real `careers` spider reads stand-in Zoho Recruit careers pages."""
from __future__ import annotations

import pytest

from tests.crawl import run_crawl

pytestmark = pytest.mark.timeout(300)


def test_page_all_fields(web):
    result = run_crawl(web, company="Meridian Labs", careers_url="https://meridianlabs.zohorecruit.com/jobs/Careers")
    assert result.returncode == 0, result.stderr[-2000:]
    jobs = result.by_id()
    assert {k: v["title"] for k, v in jobs.items()} == {
        "741923000037955058": "QA Automation Engineer", "741923000037955071": "Remote Marketing Specialist",
        "741923000037955099": "Finance Intern"}
    assert result.stats.get("downloader/response_status_count/429") == 1
    qa = jobs["741923000037955058"]
    assert (qa["source"], qa["url"]) == ("zohorecruit", "https://meridianlabs.zohorecruit.com/jobs/Careers/741923000037955058")
    assert (qa["city"], qa["country"], qa["employment_type"], qa["posted_at"]) == ("Pune", "IN", "FULL_TIME", "2026-10-20")
    assert qa["description"] == "Automate our regression suites & more."
    mk = jobs["741923000037955071"]
    assert (mk["workplace"], mk["country"], mk["employment_type"]) == ("remote", "GB", "CONTRACTOR")
    assert jobs["741923000037955099"]["employment_type"] == "INTERN"


def test_unknown_and_truncated(web):
    assert run_crawl(web, company="Nobody", careers_url="https://nosuchco.zohorecruit.com/jobs/Careers").items == []
    broken = run_crawl(web, company="Broken Co", careers_url="https://brokenco.zohorecruit.com/jobs/Careers")
    assert broken.items == []
    assert broken.stats.get("jobos/errors/bad_response") == 1, sorted(broken.stats)
