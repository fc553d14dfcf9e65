"""End to end: the real `careers` spider reads stand-in Keka portals, from a company page's embed."""
from __future__ import annotations

import pytest

from tests.crawl import run_crawl

pytestmark = pytest.mark.timeout(300)


def test_embed_on_company_page_all_fields(web):
    result = run_crawl(web, company="Sarvam Foods", careers_url="https://www.sarvamfoods.in/careers/")
    assert result.returncode == 0, result.stderr[-2000:]
    jobs = result.by_id()
    assert {k: v["title"] for k, v in jobs.items()} == {
        "134831": "Devops Engineer - SDE 2", "134239": "HR Operations Lead", "133990": "Food Technologist"}
    assert result.stats.get("downloader/response_status_count/429") == 1
    api = [r["url"] for r in web.requests_seen() if "keka.com" in r["url"] and "robots" not in r["url"]]
    assert all("/embedjobs/default/active/" in u for u in api)  # the embed named the portal: no careers page read
    dev = jobs["134831"]
    assert (dev["source"], dev["url"]) == ("keka", "https://sarvamfoods.keka.com/careers/jobdetails/134831")
    assert (dev["city"], dev["country"], dev["department"], dev["posted_at"]) == ("Bengaluru", "IN", "Engineering", "2026-10-15")
    assert "scalable AWS" in dev["description"]


def test_careers_page_first_then_country_filter(web):
    result = run_crawl(web, company="Sarvam Foods", country="AE", careers_url="https://sarvamfoods.keka.com/careers")
    assert result.returncode == 0, result.stderr[-2000:]
    # The HR lead is also in Dubai; the food technologist names no place (kept by the contract).
    assert set(result.by_id()) == {"134239", "133990"}


def test_unknown_and_truncated(web):
    assert run_crawl(web, company="Nobody", careers_url="https://nosuchco.keka.com/careers").items == []
    broken = run_crawl(web, company="Broken Co",
                       careers_url="https://brokenco.keka.com/careers/api/embedjobs/js/00000000-1111-4222-8333-444444444444")
    assert broken.items == []
    assert broken.stats.get("jobos/errors/bad_response") == 1, sorted(broken.stats)
