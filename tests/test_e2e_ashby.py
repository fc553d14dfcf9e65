"""End to end: the real `careers` spider reads Ashby boards through the stand-in web."""
from __future__ import annotations

import json
from pathlib import Path

from tests.crawl import assert_429_then_retried, run_crawl

DATA = Path(__file__).resolve().parent / "web" / "data" / "ashby"


def _listed(name: str) -> dict[str, str]:
    jobs = json.loads((DATA / f"{name}.json").read_text(encoding="utf-8"))["jobs"]
    return {j["id"]: j["title"] for j in jobs if j["isListed"]}


def _ids(result) -> dict[str, str]:
    return {i["external_id"]: i["title"] for i in result.items}


def test_board_with_compensation(web):
    result = run_crawl(web, company="Orbital", careers_url="https://jobs.ashbyhq.com/orbital")
    assert result.returncode == 0, result.stderr[-2000:]
    assert _ids(result) == _listed("orbital")
    assert "5b2c9f10-aaaa-4bbb-8ccc-000000000004" not in result.by_id()  # unlisted
    ml = result.by_id()["5b2c9f10-aaaa-4bbb-8ccc-000000000001"]
    assert (ml["salary_min"], ml["salary_max"], ml["salary_currency"], ml["salary_period"]) == (
        180000, 240000, "USD", "YEAR")
    assert ml["country"] == "US" and ml["city"] == "San Francisco" and ml["workplace"] == "onsite"
    assert ml["employment_type"] == "FULL_TIME" and ml["department"] == "Engineering"
    paris = result.by_id()["5b2c9f10-aaaa-4bbb-8ccc-000000000002"]
    assert paris["country"] == "FR" and paris["workplace"] == "hybrid"
    assert [e for e in web.requests_seen() if "posting-api" in e["url"]].__len__() == 1


def test_country_filter_and_429(web):
    result = run_crawl(web, company="Orbital", country="FR", careers_url="https://jobs.ashbyhq.com/orbital")
    assert result.returncode == 0, result.stderr[-2000:]
    # Paris, and the remote job open to Europe with no country of its own
    assert set(_ids(result)) == {"5b2c9f10-aaaa-4bbb-8ccc-000000000002", "5b2c9f10-aaaa-4bbb-8ccc-000000000003"}
    kestrel = run_crawl(web, company="Kestrel", careers_url="https://jobs.ashbyhq.com/kestrel")
    assert _ids(kestrel) == _listed("kestrel")
    assert_429_then_retried(web, "posting-api/job-board/kestrel")
    intern = kestrel.by_id()["7c3d0e21-bbbb-4ccc-9ddd-000000000001"]
    assert intern["employment_type"] == "INTERN" and intern["country"] == "SG"


def test_truncated_board(web):
    broken = run_crawl(web, company="Broken Co", careers_url="https://jobs.ashbyhq.com/brokenco")
    assert broken.items == []
    assert any("bad_response" in k for k in broken.stats), sorted(broken.stats)
