"""End to end: the real spider reads the stand-in Teamtailor career sites."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.crawl import run_crawl

pytestmark = pytest.mark.timeout(300)
BOARDS = json.loads((Path(__file__).parent / "web" / "data" / "teamtailor" / "boards.json").read_text())


def test_feed_pages_followed_and_fields(web):
    board = BOARDS["nordlys"]
    result = run_crawl(web, company="Nordlys Energi", careers_url="https://nordlys.teamtailor.com/jobs")
    assert result.returncode == 0, result.stderr
    jobs = result.by_id()
    assert {(str(j["num"]), j["title"]) for j in board["jobs"]} == {(k, v["title"]) for k, v in jobs.items()}
    feeds = [r for r in web.requests_seen() if "/jobs.json" in r["url"]]
    assert len(feeds) == 2  # six jobs, four per page
    eng = jobs["6100101"]
    assert eng["url"] == "https://nordlys.teamtailor.com/jobs/6100101-elektroingenior"
    assert eng["country"] == "NO" and eng["city"] == "Bergen"
    assert (eng["salary_min"], eng["salary_max"], eng["salary_currency"], eng["salary_period"]) == (650000, 780000, "NOK", "YEAR")
    assert jobs["6100104"]["employment_type"] == "TEMPORARY"
    assert jobs["6100103"]["workplace"] == "remote"


def test_country_filter_keeps_jobs_with_a_location_there(web):
    board = BOARDS["nordlys"]
    result = run_crawl(web, company="Nordlys Energi", country="SE", careers_url="https://nordlys.teamtailor.com/jobs/6100105-controller")
    assert result.returncode == 0, result.stderr
    expected = {str(j["num"]) for j in board["jobs"] if any(a["addressCountry"] == "SE" for a in j["locations"])}
    assert set(result.by_id()) == expected


def test_rate_limit_truncated_feed_and_unknown_site(web):
    result = run_crawl(web, company="Pixelforge", careers_url="https://pixelforge.teamtailor.com/")
    assert result.returncode == 0, result.stderr
    assert {str(j["num"]) for j in BOARDS["pixelforge"]["jobs"]} == set(result.by_id())
    assert result.stats.get("downloader/response_status_count/429") == 1
    broken = run_crawl(web, company="Glitchworks", careers_url="https://glitchworks.teamtailor.com/jobs")
    assert broken.returncode == 0 and broken.items == []
    assert broken.stats.get("jobos/partial") is True
    gone = run_crawl(web, company="Nobody", careers_url="https://nosuchsite.teamtailor.com/jobs")
    assert gone.returncode == 0 and gone.items == []
