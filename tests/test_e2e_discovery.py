"""From a company name (and country) alone to its jobs, through the stand-in web.

The boards are the ATS stand-ins' (tests/web/data/); the company sites are tests/web/sites/
(www.tulpensoftware.nl, www.fjordlabs.no, www.orbitalkinetics.fr, www.northwind.dk) and the
search results tests/web/handlers/ddg.py.
"""
from __future__ import annotations

import pytest

from tests.crawl import run_crawl

pytestmark = pytest.mark.slow


def _ids(result) -> set[str]:
    return {item["external_id"] for item in result.items}


def _assert_clean(result):
    assert result.returncode == 0, result.stderr[-2000:]
    # Unreachable guessed hosts log Scrapy's own connection tracebacks; callbacks must not fail.
    assert "Spider error processing" not in result.log
    assert "error parsing" not in result.log


def test_search_finds_careers_page_linking_an_ats(web):
    # Results: an ad, Indeed, LinkedIn, Glassdoor, a namesake consultancy, the official page.
    r = run_crawl(web, company="Tulpen Software B.V.", country="NL")
    _assert_clean(r)
    assert _ids(r) == {"3100001", "3100003"}  # the Berlin job is outside NL
    assert {i["source"] for i in r.items} == {"recruitee"}
    assert all(i["company_domain"] == "tulpensoftware.nl" for i in r.items)
    s = r.stats
    assert s["jobos/discovery/chosen_by"] == "search"
    assert s["jobos/discovery/careers_url"] == "https://www.tulpensoftware.nl/werken-bij"
    assert "official domain tulpensoftware.nl" in s["jobos/discovery/reason"]
    assert s["jobos/discovery/search/ads_skipped"] == 1
    assert s["jobos/discovery/search/requests"] == 1
    # The search named the page: no ATS slug probe was sent (they cost a request or two each).
    assert "jobos/discovery/probe/sent" not in s
    assert s["downloader/request_count"] <= 2 * len(r.items) + 4
    assert not s.get("jobos/partial")
    assert "career page for 'Tulpen Software B.V.'" in r.log
    ddg = [q for q in web.control("GET", "/state").get("ddg_queries", [])]
    assert ddg == [{"q": "Tulpen Software B.V. werken bij", "kl": "nl-nl"}]


def test_captcha_falls_back_to_domain_guess_and_greenhouse_embed(web):
    r = run_crawl(web, company="Fjord Labs AS", country="NO")
    _assert_clean(r)
    assert _ids(r) == {"4200002001"}
    s = r.stats
    assert s["jobos/discovery/search/blocked/captcha"] == 1
    assert s["jobos/discovery/chosen_by"] == "guess"
    assert s["jobos/discovery/careers_url"] == "https://www.fjordlabs.no/karriere/"
    assert s["jobos/board"] == "greenhouse:fjordlabs"
    assert not s.get("jobos/partial"), s.get("jobos/partial_reasons")


def test_202_falls_back_to_guess_and_footer_link(web):
    # The careers page is linked only from the homepage footer ("Nous rejoindre").
    r = run_crawl(web, company="Orbital Kinetics SAS", country="FR")
    _assert_clean(r)
    assert _ids(r) == {"5b2c9f10-aaaa-4bbb-8ccc-000000000002", "5b2c9f10-aaaa-4bbb-8ccc-000000000003"}
    s = r.stats
    assert s["jobos/discovery/search/blocked/http_202"] == 1
    assert s["jobos/discovery/careers_url"] == "https://www.orbitalkinetics.fr/nous-rejoindre"
    assert "in footer" in s["jobos/discovery/reason"]
    assert s["jobos/board"] == "ashby:orbital"
    assert not s.get("jobos/partial"), s.get("jobos/partial_reasons")


def test_namesake_board_under_the_slug_is_rejected(web):
    # greenhouse:northwind is Northwind Traders' board (live jobs, wrong company).
    r = run_crawl(web, company="Northwind A/S", country="DK")
    _assert_clean(r)
    assert {i["source"] for i in r.items} == {"teamtailor"}
    assert _ids(r) == {"6100103"}
    assert not any(i["external_id"].startswith("41000010") for i in r.items)
    s = r.stats
    # The search lists the namesake's board too; the official homepage outranks it.
    assert s["jobos/discovery/chosen_by"] == "homepage"
    assert s["jobos/board"] == "teamtailor:nordlys"
    assert s.get("jobos/boards/greenhouse") is None
    # Without the search, the slug probes find the namesake's board and reject it.
    r = run_crawl(web, company="Northwind A/S", country="DK", env={"JOBOS_MAX_SEARCH_REQUESTS": "0"})
    _assert_clean(r)
    assert _ids(r) == {"6100103"}
    s = r.stats
    assert s["jobos/discovery/probe/rejected"] >= 1
    assert "board of a namesake ('Northwind Traders')" in r.log
    assert s["jobos/board"] == "teamtailor:nordlys"
    assert s.get("jobos/boards/greenhouse") is None


def test_search_obeys_robots_when_told(web):
    r = run_crawl(web, company="Tulpen Software B.V.", country="NL",
                  env={"JOBOS_SEARCH_IGNORES_ROBOTS": "False"})
    _assert_clean(r)
    assert not web.control("GET", "/state").get("ddg_queries")  # robots.txt forbids /html/: never sent
    assert r.stats["jobos/discovery/chosen_by"] == "guess"
    assert _ids(r) == {"3100001", "3100003"}


def test_no_career_page_found_is_partial_with_zero_jobs(web):
    r = run_crawl(web, company="Quuxly Widgets Ltd", country="GB")
    _assert_clean(r)
    assert r.items == []
    s = r.stats
    assert s["jobos/discovery/not_found"] == 1
    assert s["jobos/discovery/search/requests"] == 2  # careers query, then the name alone
    assert s["jobos/partial"] is True
    assert "no career page found" in s.get("jobos/partial_reasons", [])
    assert "no career page found for 'Quuxly Widgets Ltd'" in r.log


def test_probes_stop_at_the_first_wave_with_an_accepted_board(web):
    # No search: the slug probes go in waves (JOBOS_PROBE_WAVE, 4); Greenhouse is in the first.
    r = run_crawl(web, company="Blue Harbor", env={"JOBOS_MAX_SEARCH_REQUESTS": "0"})
    _assert_clean(r)
    s = r.stats
    assert s["jobos/discovery/chosen_by"] == "probe"
    assert s["jobos/board"] == "greenhouse:blueharbor"
    assert r.items and {i["source"] for i in r.items} == {"greenhouse"}
    assert s["jobos/discovery/probe/waves"] == 1
    assert s["jobos/discovery/probe/sent"] == 4
    assert s["jobos/discovery/probe/not_sent"] == 8  # the rest of the budget of 12, never sent
