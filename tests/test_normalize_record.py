"""normalize_item and validation on records shaped like the producers' output."""
from __future__ import annotations

from datetime import datetime, timezone

import pytest

from jobos.items import EMPLOYMENT_TYPES, SALARY_PERIODS, WORKPLACES, JobItem
from jobos.normalize.record import normalize_item
from jobos.normalize.validate import problems

NOW = datetime(2026, 3, 10, 12, tzinfo=timezone.utc)


def test_website_record_is_filled_from_text():
    item = JobItem(
        title=" Senior&nbsp;Engineer &amp; Lead\u200b ", url="HTTPS://Acme.com/jobs/1?utm_source=li#x",
        location="München", source="website", method="jsonld", employment_type="Vollzeit",
        salary_text="60.000 € – 70.000 € brutto/Jahr", posted_text="vor 3 Tagen",
    )
    codes = normalize_item(item, NOW)
    assert item["title"] == "Senior Engineer & Lead"
    assert item["url"] == "https://acme.com/jobs/1"
    assert (item["city"], item["region"], item["country"]) == ("Munich", "Bayern", "DE")
    assert item["employment_type"] == "FULL_TIME"
    assert (item["salary_min"], item["salary_max"], item["salary_currency"], item["salary_period"]) == (
        60000.0, 70000.0, "EUR", "YEAR")
    assert item["posted_at"] == "2026-03-07"
    assert item["company_domain"] == "acme.com"
    assert len(item["external_id"]) == 16 and "external_id_missing" in codes
    assert item["scraped_at"] == "2026-03-10T12:00:00Z"


def test_invalid_values_are_nulled_and_reported():
    item = {
        "title": "x", "url": "https://a.com/j", "country": "XX", "workplace": "moon",
        "employment_type": "weird", "salary_min": "abc", "salary_max": 100,
        "salary_currency": "EURO", "salary_period": "fortnight", "posted_at": "not a date",
        "locations": ["Remote - US", "London, UK"], "external_id": "1",
    }
    codes = normalize_item(item, NOW)
    assert set(codes) >= {"country_invalid", "workplace_invalid", "employment_type_unknown",
                          "salary_not_numeric", "salary_currency_invalid", "salary_period_invalid",
                          "posted_at_invalid"}
    assert item["country"] == "US"  # nulled, then taken from the first location
    assert item["workplace"] == "hybrid"  # remote in the US or the London office
    assert item["employment_type"] is None and item["posted_at"] is None
    assert item["salary_currency"] is None and item["salary_period"] is None


def test_valid_values_are_kept_and_min_max_swapped():
    item = {"title": "x", "url": "https://a.com/j", "external_id": "7", "country": "de",
            "city": "Hamburg", "location": "Berlin, Germany", "salary_min": 90, "salary_max": 60,
            "salary_currency": "eur", "salary_period": "DAY", "posted_at": 1700000000000,
            "workplace": "OnSite", "remote_flag": True}
    codes = normalize_item(item, NOW)
    assert item["country"] == "DE" and "country_fixed" in codes
    assert item["city"] == "Hamburg"  # never overwrite a set value
    assert (item["salary_min"], item["salary_max"]) == (60.0, 90.0) and "salary_min_gt_max" in codes
    assert item["salary_currency"] == "EUR" and item["salary_period"] == "DAY"
    assert item["posted_at"] == "2023-11-14"
    assert item["workplace"] == "onsite"  # the ATS's own workplace field wins over the flag


@pytest.mark.parametrize(
    "fields,expected",
    [
        ({"remote_flag": True}, "remote"),
        ({"remote_flag": "Hybrid"}, "hybrid"),
        ({"location": "Hybrid - Paris"}, "hybrid"),
        ({"location": "Télétravail"}, "remote"),
        ({"title": "Backend Engineer (Remote)"}, "remote"),
        ({"location": "Berlin"}, None),
        ({"workplace": "on-site"}, "onsite"),
    ],
)
def test_workplace_sources(fields, expected):
    item = {"title": "Engineer", "url": "https://a.com/j", "external_id": "1", **fields}
    normalize_item(item, NOW)
    assert item["workplace"] == expected


def test_salary_from_description_only_when_unambiguous():
    one = {"title": "x", "url": "https://a.com/1", "method": "html",
           "description": "Pay: $120,000 - $150,000 a year. Benefits: 401k."}
    two = {"title": "x", "url": "https://a.com/2", "method": "html",
           "description": "Zone 1: $120,000 - $150,000 a year. Zone 2: $100,000 - $130,000 a year."}
    normalize_item(one, NOW), normalize_item(two, NOW)
    assert (one["salary_min"], one["salary_currency"]) == (120000.0, "USD")
    assert two["salary_min"] is None and two["salary_currency"] is None


def test_normalized_record_satisfies_the_contract():
    item = JobItem(title="t", url="https://b.com/j", external_id="1", location="Toronto, ON, Canada",
                   employment_type="FullTime", salary_text="CA$90,000–110,000", posted_at="2025-05-28T17:29:19.123Z")
    normalize_item(item, NOW)
    assert item["country"] == "CA" and item["region"] == "Ontario"
    assert item["employment_type"] in EMPLOYMENT_TYPES
    assert item["salary_period"] in SALARY_PERIODS and item["salary_currency"] == "CAD"
    assert item.get("workplace") in (None, *WORKPLACES)
    assert item["posted_at"] == "2025-05-28"


@pytest.mark.parametrize(
    "item,reason",
    [
        ({"title": "x", "url": "https://a.com/"}, None),
        ({"title": "  ", "url": "https://a.com/"}, "no_title"),
        ({"url": "https://a.com/"}, "no_title"),
        ({"title": "x"}, "no_url"),
        ({"title": "x", "url": ""}, "no_url"),
        ({"title": "x", "url": "javascript:alert(1)"}, "bad_url_scheme"),
        ({"title": "x", "url": "ftp://a.com/x"}, "bad_url_scheme"),
        ({"title": "x", "url": "/jobs/1"}, "bad_url_scheme"),
    ],
)
def test_validation(item, reason):
    assert problems(item) == reason
