"""End to end: the real `careers` spider reads a Jobylon embed found on a company page."""
from __future__ import annotations

import pytest

from tests.crawl import run_crawl

pytestmark = pytest.mark.timeout(300)


def test_embed_on_company_page_all_fields(web):
    result = run_crawl(web, company="Fjällbacka Bageri", careers_url="https://www.fjallbackabageri.se/jobba-hos-oss/")
    assert result.returncode == 0, result.stderr[-2000:]
    jobs = result.by_id()
    assert {k: v["title"] for k, v in jobs.items()} == {
        "501001": "Bagare till vårt bageri i Göteborg", "501002": "Butikssäljare – Stockholm & Uppsala",
        "501003": "E-handelsansvarig (O'Neill-projektet)", "501004": "Digital Marketing Lead"}
    baker = jobs["501001"]
    assert (baker["source"], baker["method"]) == ("jobylon", "api")
    assert baker["url"] == "https://emp.jobylon.com/jobs/501001-fjallbacka-bageri-ab-bagare-till-var-bageri-i-goteborg/"
    assert (baker["city"], baker["country"], baker["workplace"]) == ("Gothenburg", "SE", "onsite")
    assert (baker["employment_type"], baker["department"], baker["posted_at"]) == ("FULL_TIME", "Produktion", "2026-11-03")
    shop = jobs["501002"]
    assert (shop["location"], shop["employment_type"], shop["posted_at"]) == ("Stockholm / Uppsala", "PART_TIME", "2026-10-28")
    ecom = jobs["501003"]
    assert (ecom["workplace"], ecom["employment_type"], ecom["posted_at"]) == ("hybrid", "TEMPORARY", "2026-05-15")
    lead = jobs["501004"]
    assert lead.get("location") is None and lead.get("workplace") is None and lead["posted_at"] == "2026-09-02"
    embeds = [r for r in web.requests_seen() if "cdn.jobylon.com/jobs/companies" in r["url"]]
    assert len(embeds) == 1  # one request lists the whole board


def test_unknown_and_truncated(web):
    assert run_crawl(web, company="Nobody", careers_url="https://cdn.jobylon.com/jobs/companies/1111/embed/v2/").items == []
    broken = run_crawl(web, company="Broken AB", careers_url="https://cdn.jobylon.com/jobs/companies/9999/embed/v2/")
    assert broken.items == []
    assert broken.stats.get("jobos/errors/bad_response") == 1, sorted(broken.stats)
