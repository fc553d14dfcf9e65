"""From the name and country alone, the career sites without an ATS yield exactly the jobs a
crawl given their careers page yields (search -> ranked official page -> the site read)."""
from __future__ import annotations

import pytest

from tests.crawl import run_crawl

SITES = [  # company, country, careers page, jobs on it
    ("Brightwave Energie", "DE", "https://www.brightwave-energie.de/karriere/", 5),
    ("Nordlicht Logistik", "DE", "https://karriere.nordlicht-logistik.de/", 5),
    ("Tidewater Robotica", "ES", "https://www.tidewater-robotica.es/empleo/", 7),
    ("Kestrel Analytique", "FR", "https://jobs.kestrel-analytique.fr/", 3),
]

AGGREGATORS = ("indeed.", "linkedin.", "stepstone.", "wikipedia.")


def _jobs(result) -> set[tuple[str, str]]:
    return {(item["external_id"], item["title"]) for item in result.items}


@pytest.mark.slow
@pytest.mark.parametrize("company,country,careers_url,count", SITES, ids=[s[0] for s in SITES])
def test_name_only_finds_the_same_jobs_as_the_careers_url(web, company, country, careers_url, count):
    given = run_crawl(web, company=company, country=country, careers_url=careers_url)
    found = run_crawl(web, company=company, country=country)
    assert given.returncode == 0 and found.returncode == 0, found.stderr[-2000:]
    assert len(given.items) == count
    assert _jobs(found) == _jobs(given)
    assert found.stats.get("jobos/discovery/careers_url", "").startswith(careers_url.rstrip("/"))
    assert not any(a in item["url"] for item in found.items for a in AGGREGATORS)
    assert not found.stats.get("jobos/partial"), found.stats.get("jobos/partial_reasons")
