"""End to end: the real `careers` spider reads Recruitee career sites through the stand-in web."""
from __future__ import annotations

import json
from pathlib import Path

from tests.crawl import assert_429_then_retried, run_crawl

DATA = Path(__file__).resolve().parent / "web" / "data" / "recruitee"


def _offers(sub: str) -> dict[str, str]:
    return {str(o["id"]): o["title"] for o in json.loads((DATA / f"{sub}.json").read_text())["offers"]}


def _ids(result) -> dict[str, str]:
    return {i["external_id"]: i["title"] for i in result.items}


def test_offers_after_a_429(web):
    result = run_crawl(web, company="Tulpen Software", careers_url="https://tulpen.recruitee.com/")
    assert result.returncode == 0, result.stderr[-2000:]
    assert _ids(result) == _offers("tulpen")
    assert_429_then_retried(web, "tulpen.recruitee.com/api/offers")
    dev = result.by_id()["3100001"]
    assert (dev["salary_min"], dev["salary_max"], dev["salary_currency"], dev["salary_period"]) == (
        4500, 6000, "EUR", "MONTH")
    assert dev["country"] == "NL" and dev["city"] == "Amsterdam" and dev["workplace"] == "hybrid"
    assert dev["employment_type"] == "FULL_TIME" and dev["department"] == "Engineering"
    assert dev["posted_at"].startswith("2026-10-03")
    assert result.by_id()["3100002"]["workplace"] == "remote"
    assert result.by_id()["3100003"]["employment_type"] == "INTERN"


def test_country_filter(web):
    result = run_crawl(web, company="Tulpen Software", country="NL",
                       careers_url="https://tulpen.recruitee.com/o/backend-developer-amsterdam")
    assert result.returncode == 0, result.stderr[-2000:]
    assert set(_ids(result)) == {"3100001", "3100003"}


def test_unknown_and_truncated(web):
    assert run_crawl(web, company="Nobody", careers_url="https://nosuchco.recruitee.com/").items == []
    broken = run_crawl(web, company="Broken Co", careers_url="https://brokenco.recruitee.com/")
    assert broken.items == []
    assert any("bad_response" in k for k in broken.stats), sorted(broken.stats)
