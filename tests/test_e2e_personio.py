"""End to end: the real `careers` spider reads Personio XML feeds through the stand-in web."""
from __future__ import annotations

from pathlib import Path
from xml.etree import ElementTree

from tests.crawl import run_crawl

DATA = Path(__file__).resolve().parent / "web" / "data" / "personio"


def _positions() -> dict[str, str]:
    root = ElementTree.parse(DATA / "alpenwerk.xml").getroot()
    return {p.findtext("id"): p.findtext("name") for p in root.findall("position")}


def _ids(result) -> dict[str, str]:
    return {i["external_id"]: i["title"] for i in result.items}


def test_feed_after_a_429(web):
    result = run_crawl(web, company="Alpenwerk", careers_url="https://alpenwerk.jobs.personio.de/")
    assert result.returncode == 0, result.stderr[-2000:]
    assert _ids(result) == _positions()
    mech = result.by_id()["1900101"]
    assert mech["url"] == "https://alpenwerk.jobs.personio.de/job/1900101?language=en"
    assert (mech["salary_min"], mech["salary_max"], mech["salary_currency"], mech["salary_period"]) == (
        48000, 56000, "EUR", "YEAR")
    assert mech["department"] == "Produktion" and mech["employment_type"] == "FULL_TIME"
    assert mech["country"] == "DE"  # München
    student = result.by_id()["1900102"]
    assert student["salary_currency"] == "CHF" and student["salary_period"] == "HOUR"
    assert student["country"] == "CH"
    feeds = [e for e in web.requests_seen() if e["url"].split("?")[0].endswith("/xml")]
    assert [e["status"] for e in feeds] == [429, 200]  # the 429 and its retry


def test_country_filter_asks_in_the_country_language(web):
    result = run_crawl(web, company="Alpenwerk", country="CH", careers_url="https://alpenwerk.jobs.personio.com/")
    assert result.returncode == 0, result.stderr[-2000:]
    # Zürich, and the remote job with no country restriction
    assert set(_ids(result)) == {"1900102", "1900103"}
    assert any("xml?language=de" in e["url"] for e in web.requests_seen())


def test_unknown_and_truncated(web):
    assert run_crawl(web, company="Nobody", careers_url="https://nosuchco.jobs.personio.de/").items == []
    broken = run_crawl(web, company="Broken Co", careers_url="https://brokenco.jobs.personio.de/")
    assert broken.items == []
    assert any("bad_response" in k for k in broken.stats), sorted(broken.stats)
