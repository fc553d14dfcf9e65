"""End to end: the real `careers` spider reads stand-in JOIN company pages and the paged API."""
from __future__ import annotations

import pytest

from tests.crawl import run_crawl

pytestmark = pytest.mark.timeout(300)


def test_company_all_pages_all_fields(web):
    result = run_crawl(web, company="Nordwerk", careers_url="https://join.com/companies/nordwerk")
    assert result.returncode == 0, result.stderr[-2000:]
    jobs = result.by_id()
    assert {k: v["title"] for k, v in jobs.items()} == {
        "9100001": "Werkstudent Marketing (m/w/d)", "9100002": "Senior Backend Engineer (m/w/d)",
        "9100003": "Customer Success Manager (m/w/d)", "9100004": "Lagerhelfer (m/w/d)",
        "9100005": "Buchhalter (m/w/d)", "9100006": "Praktikum Produktdesign (m/w/d)",
        "9100007": "Fahrer Auslieferung (m/w/d)"}
    assert result.stats.get("downloader/response_status_count/429") == 1
    api = [r for r in web.requests_seen() if "/api/public/companies/" in r["url"]]
    assert len(api) == 3  # page 1, its 429 retry, page 2
    be = jobs["9100002"]
    assert (be["source"], be["method"], be["url"]) == (
        "join", "api", "https://join.com/companies/nordwerk/9100002-senior-backend-engineer")
    assert (be["city"], be["region"], be["country"], be["workplace"]) == ("München", "Bayern", "DE", "onsite")
    assert (be["employment_type"], be["department"], be["posted_at"]) == ("FULL_TIME", "Engineering", "2026-10-11")
    assert (be["salary_min"], be["salary_max"], be["salary_currency"]) == (65000, 80000, "EUR")
    assert jobs["9100001"]["workplace"] == "hybrid" and jobs["9100001"]["employment_type"] == "INTERN"
    csm = jobs["9100003"]
    assert (csm["workplace"], csm["country"], csm["salary_min"]) == ("remote", "AT", 48000)
    assert jobs["9100005"]["salary_currency"] == "CHF" and jobs["9100005"]["country"] == "CH"


def test_country_filter(web):
    result = run_crawl(web, company="Nordwerk", country="AT",
                       careers_url="https://join.com/companies/nordwerk/9100003-customer-success-manager")
    assert result.returncode == 0, result.stderr[-2000:]
    assert set(result.by_id()) == {"9100003"}


def test_unknown_gone_and_truncated(web):
    assert run_crawl(web, company="Nobody", careers_url="https://join.com/companies/nosuchco").items == []
    gone = run_crawl(web, company="Gone GmbH", careers_url="https://join.com/companies/goneco")
    assert gone.items == [] and not [r for r in web.requests_seen() if "/api/public/companies/616161" in r["url"]]
    broken = run_crawl(web, company="Broken GmbH", careers_url="https://join.com/companies/brokenco")
    assert broken.items == []
    assert broken.stats.get("jobos/errors/bad_response") == 1, sorted(broken.stats)
