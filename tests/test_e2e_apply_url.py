"""End to end: a posting page's apply link or button becomes the record's apply_url.

Through the stand-in web with the real spider: relative apply links in several languages are
made absolute; an application by email (mailto:) leaves apply_url empty.
"""
from __future__ import annotations

from tests.crawl import run_crawl


def _crawl(web, company: str, careers_url: str):
    result = run_crawl(web, company=company, careers_url=careers_url, render="never",
                       settings={"JOBOS_LLM_LISTING": "0", "JOBOS_LLM_ENABLED": "0"})
    assert result.returncode == 0, result.stderr[-3000:]
    assert result.items
    return result


def test_apply_links_in_four_languages_are_absolute(web):
    # German ("Jetzt bewerben" -> /bewerbung/<slug>), a listing and its detail pages.
    result = _crawl(web, "Nordlicht Logistik", "https://karriere.nordlicht-logistik.de/")
    assert len(result.items) == 5
    for item in result.items:
        slug = item["url"].rstrip("/").rsplit("/", 1)[-1]
        assert item["apply_url"] == f"https://karriere.nordlicht-logistik.de/bewerbung/{slug}"
    # Norwegian ("Søk stillingen"), pages found through the site's sitemaps.
    base = "https://www.fjellvind-kraft.no"
    result = _crawl(web, "Fjellvind Kraft", f"{base}/karriere/ledige-stillinger")
    assert {i["apply_url"] for i in result.items} == {
        f"{base}/apply?job={slug}" for slug in ("driftstekniker-vindpark", "prosjektleder-nettilknytning",
                                                "hms-radgiver")}
    # Portuguese ("Candidatar-me", "./candidatura"), the careers URL being the posting itself;
    # its place is written without a label under the title.
    page = "https://www.marisco-robotica.pt/vagas/engenheiro-de-controlo"
    (item,) = _crawl(web, "Marisco Robótica", page).items
    assert item["apply_url"] == "https://www.marisco-robotica.pt/vagas/candidatura"
    assert (item["city"], item["country"]) == ("Lisbon", "PT")


def test_an_application_by_email_is_no_apply_url(web):
    result = run_crawl(web, company="Lumenfoil", careers_url="https://www.lumenfoil.io/jobs/",
                       settings={"JOBOS_LLM_LISTING": "0", "JOBOS_LLM_ENABLED": "0"})
    assert result.returncode == 0, result.stderr[-3000:]
    assert len(result.items) == 2
    assert all(not item.get("apply_url") for item in result.items)
