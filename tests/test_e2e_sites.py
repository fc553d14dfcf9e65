"""End to end: the real spider reads the four hand-made company sites through the stand-in web."""
from __future__ import annotations

import pytest

from tests.crawl import run_crawl
from tests.ui.live import require_browser

BRIGHTWAVE = "https://www.brightwave-energie.de/karriere/"
NORDLICHT = "https://karriere.nordlicht-logistik.de/"
KESTREL = "https://jobs.kestrel-analytique.fr/"
TIDEWATER = "https://www.tidewater-robotica.es/empleo/"

# The JavaScript-render tests need Chromium: skipped without one, failing under
# JOBOS_REQUIRE_BROWSER=1 (as CI sets), like every other browser test.
needs_chromium = pytest.mark.usefixtures("chromium_required")


@pytest.fixture()
def chromium_required() -> str:
    return require_browser()


def _renders(result) -> int:
    return result.stats.get("jobos/render/pages", 0)


def _urls_seen(web) -> list[str]:
    return [r["url"] for r in web.requests_seen()]


def test_jsonld_site_with_numbered_pagination(web):
    result = run_crawl(web, company="Brightwave Energie", careers_url=BRIGHTWAVE)
    assert result.returncode == 0, result.stderr
    by_title = {i["title"]: i for i in result.items}
    assert set(by_title) == {
        "Projektingenieur Photovoltaik (m/w/d)",
        "Elektroniker für Energie- und Gebäudetechnik (m/w/d)",
        "Werkstudent Datenanalyse (m/w/d)",
        "Teamleitung Netzanschluss (m/w/d)",
        "Ausbildung Kaufmann/-frau für Büromanagement (m/w/d)",
    }
    assert {i["method"] for i in result.items} == {"jsonld"}
    assert {i["source"] for i in result.items} == {"website"}
    pv = by_title["Projektingenieur Photovoltaik (m/w/d)"]
    assert pv["external_id"] == "BW-101"
    assert pv["url"] == "https://www.brightwave-energie.de/karriere/stellen/projektingenieur-photovoltaik.html"
    assert pv["city"] == "Hamburg" and pv["country"] == "DE"
    assert pv["company_domain"] == "brightwave-energie.de"
    assert (pv["salary_min"], pv["salary_max"], pv["salary_currency"]) == (58000, 72000, "EUR")
    assert _renders(result) == 0
    seen = _urls_seen(web)
    # Page 3 is only linked from page 2: pagination was followed, each page once.
    assert seen.count("https://www.brightwave-energie.de/karriere/seite/3/") == 1
    assert not any("initiativbewerbung" in u or "/bewerbung/" in u for u in seen)
    assert not result.stats.get("jobos/partial")


def test_html_only_site_yields_html_records_and_follows_page_param(web):
    result = run_crawl(web, company="Nordlicht Logistik", careers_url=NORDLICHT)
    assert result.returncode == 0, result.stderr
    by_title = {i["title"]: i for i in result.items}
    assert set(by_title) == {
        "Disponent Nahverkehr (m/w/d)",
        "Berufskraftfahrer CE im Fernverkehr (m/w/d)",
        "Lagerist Kommissionierung (m/w/d)",
        "Fachkraft für Lagerlogistik (m/w/d)",
        "IT-Systemadministrator (m/w/d)",
    }
    assert {i["method"] for i in result.items} == {"html"}
    fk = by_title["Fachkraft für Lagerlogistik (m/w/d)"]
    assert fk["location"] == "Osnabrück"
    assert fk["url"] == "https://karriere.nordlicht-logistik.de/stellen/fachkraft-lagerlogistik"
    assert "Deine Aufgaben" in (fk["description"] or "")
    assert _renders(result) == 0
    assert "https://karriere.nordlicht-logistik.de/?page=2" in _urls_seen(web)


def test_load_more_site_reads_the_endpoint_without_browser(web):
    result = run_crawl(web, company="Tidewater Robotica", careers_url=TIDEWATER)
    assert result.returncode == 0, result.stderr
    titles = result.titles()
    assert len(titles) == 7
    assert {"Ingeniero/a de visión artificial", "Analista de datos de producción"} <= titles
    seen = _urls_seen(web)
    assert sum("/api/vacantes" in u for u in seen) == 2  # offset 3 and 6; hasMore false ends it
    assert _renders(result) == 0
    ing = next(i for i in result.items if i["title"] == "Ingeniero/a de visión artificial")
    assert ing["location"] == "Valencia" and ing["method"] == "html"


@needs_chromium
def test_js_site_auto_renders_only_the_page_that_needs_it(web):
    result = run_crawl(web, company="Kestrel Analytique", careers_url=KESTREL)
    assert result.returncode == 0, result.stderr
    assert result.titles() == {
        "Ingénieur données confirmé (H/F)",
        "Développeuse front-end React (F/H)",
        "Chef de projet analytique (H/F)",
    }
    assert _renders(result) == 1  # the app shell; the server-rendered job pages need none
    assert result.stats.get("jobos/render/reason/app_shell") == 1
    assert {i["country"] for i in result.items} == {"FR"}
    # The browser called the site's JSON API itself, through the proxy.
    assert any("/api/offres" in u for u in _urls_seen(web))


@needs_chromium
def test_js_site_render_always_renders_every_page(web):
    result = run_crawl(web, company="Kestrel Analytique", careers_url=KESTREL, render="always")
    assert result.returncode == 0, result.stderr
    assert len(result.items) == 3
    assert _renders(result) == 4  # listing + three job pages, each exactly once
    assert result.stats.get("jobos/render/reason/render_always") == 4


def test_js_site_render_never_finds_nothing_and_says_why(web):
    result = run_crawl(web, company="Kestrel Analytique", careers_url=KESTREL, render="never")
    assert result.returncode == 0, result.stderr
    assert result.items == []
    assert _renders(result) == 0
    assert result.stats.get("jobos/render/skipped_never") == 1
    assert not any("/api/offres" in u for u in _urls_seen(web))


HARTWIG = "https://www.hartwig-feinmechanik.de/karriere/"
LUMENFOIL = "https://www.lumenfoil.io/"


def test_accordion_roles_without_pages_become_records_of_the_listing(web):
    result = run_crawl(web, company="Hartwig Feinmechanik", careers_url=HARTWIG, render="never")
    assert result.returncode == 0, result.stderr
    by_title = {i["title"]: i for i in result.items}
    assert set(by_title) == {"Industriemechaniker (m/w/d)", "Qualitätsprüfer Messraum (m/w/d)",
                             "Ausbildung Feinwerkmechaniker (m/w/d)"}
    assert {i["url"] for i in result.items} == {HARTWIG}  # no page of their own
    assert len({i["external_id"] for i in result.items}) == 3  # one job each, stable ids
    assert "Montage und Inbetriebnahme" in by_title["Industriemechaniker (m/w/d)"]["description"]
    assert result.stats.get("jobos/listing/inline/group") == 1
    assert not any("/karriere/stellen/" in u for u in _urls_seen(web))  # an "all jobs" link is no job


def test_card_grid_and_html_load_more_fragment(web):
    result = run_crawl(web, company="Hartwig Feinmechanik", careers_url=HARTWIG + "stellen/", render="never")
    assert result.returncode == 0, result.stderr
    by_title = {i["title"]: i for i in result.items}
    assert set(by_title) == {"CNC-Fräser (m/w/d)", "Konstrukteur Vorrichtungsbau (m/w/d)",
                             "Industriekaufmann im Einkauf (m/w/d)", "Elektroniker für Betriebstechnik (m/w/d)"}
    cnc = by_title["CNC-Fräser (m/w/d)"]
    assert cnc["url"] == HARTWIG + "stellen/cnc-fraeser/"
    assert cnc["method"] == "html" and cnc["employment_type"] == "FULL_TIME"
    assert cnc["city"] == "Schwäbisch Gmünd" and cnc["posted_at"] == "2026-03-02"
    seen = _urls_seen(web)
    assert not any("/news/" in u for u in seen)  # the news teasers beside the jobs are not jobs
    # Page 2 of the endpoint carries no "load more" button (or page 3 only repeats it): the end.
    assert result.stats.get("jobos/listing/fragment") in (1, 2)
    assert not result.stats.get("jobos/partial")


def test_careers_url_that_is_one_posting(web):
    url = HARTWIG + "zerspanungsmechaniker/"
    result = run_crawl(web, company="Hartwig Feinmechanik", careers_url=url, render="never")
    assert result.returncode == 0, result.stderr
    assert [(i["title"], i["url"]) for i in result.items] == [("Zerspanungsmechaniker (m/w/d)", url)]
    item = result.items[0]
    assert item["location"] == "Schwäbisch Gmünd" and item["employment_type"] == "FULL_TIME"
    assert result.stats.get("jobos/listing/page_is_posting") == 1


def test_roles_only_in_a_route_chunk_of_an_app_shell(web):
    result = run_crawl(web, company="Lumenfoil", careers_url=LUMENFOIL + "careers", render="never")
    assert result.returncode == 0, result.stderr
    assert {i["title"] for i in result.items} == {"Optical Engineer", "Composites Technician"}
    assert all(i["url"] == LUMENFOIL + "careers" for i in result.items)
    assert {i["city"] for i in result.items} == {"Denver"}
    seen = _urls_seen(web)
    assert LUMENFOIL + "_next/static/chunks/app/careers/page-5c1e9b.js" in seen
    assert not any("webpack" in u for u in seen)  # only the route's own chunk is read
    assert _renders(result) == 0


def test_unreadable_embedded_board_falls_back_to_the_pages_own_links(web):
    result = run_crawl(web, company="Lumenfoil", careers_url=LUMENFOIL + "jobs/")
    assert result.returncode == 0, result.stderr
    assert {(i["title"], i["url"]) for i in result.items} == {
        ("Mission Operations Engineer", LUMENFOIL + "jobs/mission-operations-engineer/"),
        ("Procurement Specialist", LUMENFOIL + "jobs/procurement-specialist/"),
    }
    assert result.stats.get("jobos/listing/ats_fallback") == 1
    assert result.stats.get("jobos/partial")  # the board itself failed: nothing is closed
