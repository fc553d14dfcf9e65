"""Salary text and structured fields: every format found in the corpus plus hand-picked ones."""
from __future__ import annotations

import pytest

from jobos.normalize.salary import Salary, parse_salary, salary_from_fields, salary_in_description

TEXT_CASES = [
    # issue examples
    ("$120,000 - $150,000 a year", (120000, 150000, "USD", "YEAR")),
    ("EUR 60k-70k", (60000, 70000, "EUR", "YEAR")),
    ("£45/hour", (45, 45, "GBP", "HOUR")),
    ("60.000 € – 70.000 € brutto/Jahr", (60000, 70000, "EUR", "YEAR")),
    ("USD 150K – 180K", (150000, 180000, "USD", "YEAR")),
    # Ashby compensationTierSummary / scrapeableCompensationSalarySummary / summary
    ("$255K – $405K • Offers Equity", (255000, 405000, "USD", "YEAR")),
    ("$325K • Offers Equity", (325000, 325000, "USD", "YEAR")),
    ("$100K - $200K", (100000, 200000, "USD", "YEAR")),
    ("$297K – $495K • Multiple Ranges", (297000, 495000, "USD", "YEAR")),
    ("$130K – $290K • Offers Equity • Performance Based Bonus", (130000, 290000, "USD", "YEAR")),
    ("Compensation is determined based on career level, with the base salary for this role "
     "ranging from $130K – $290K", (130000, 290000, "USD", "YEAR")),
    # Greenhouse pay-range block (after markdown), double-encoded entity form
    ("$175,000&mdash;$175,000 USD", (175000, 175000, "USD", "YEAR")),
    ("Salary Range $134,000 — $175,100 USD", (134000, 175100, "USD", "YEAR")),
    # Workday job description
    ("Primary Location Base Pay Range:  $151,500 USD - $227,300 USD", (151500, 227300, "USD", "YEAR")),
    # Lever salaryDescriptionPlain
    ("The target OTE for this position ranges from $285,108/year to $309,000/year encompassing "
     "all zones.", (285108, 309000, "USD", "YEAR")),
    ("The on-target earnings (OTE) for this position is $309,000/year in New York.", (309000, 309000, "USD", "YEAR")),
    # hand-picked
    ("CA$90,000–110,000", (90000, 110000, "CAD", "YEAR")),
    ("45.000 - 55.000 EUR", (45000, 55000, "EUR", "YEAR")),
    ("$22 - $40 per hour", (22, 40, "USD", "HOUR")),
    ("€500/Tag", (500, 500, "EUR", "DAY")),
    ("Salary: 3.500 € monatlich", (3500, 3500, "EUR", "MONTH")),
    ("60-70k EUR", (60000, 70000, "EUR", "YEAR")),
    ("€ 60k - 70k p.a.", (60000, 70000, "EUR", "YEAR")),
    ("R$ 8.000 por mes", (8000, 8000, "BRL", "MONTH")),
    ("$150,000 - $120,000", (120000, 150000, "USD", "YEAR")),
]


@pytest.mark.parametrize("text,expected", TEXT_CASES)
def test_parse_salary(text, expected):
    assert parse_salary(text) == Salary(float(expected[0]), float(expected[1]), expected[2], expected[3])


@pytest.mark.parametrize("text", ["401k plan", "no salary", "ALL 2024 staff", "", None, "Team of 50"])
def test_no_salary(text):
    assert parse_salary(text) is None


FIELD_CASES = [
    # Lever salaryRange
    ((148800, 176400, "USD", "per-year-salary"), (148800, 176400, "USD", "YEAR")),
    # Ashby summaryComponents
    ((40000, 150000, "EUR", "1 YEAR"), (40000, 150000, "EUR", "YEAR")),
    ((50, 70, "USD", "1 HOUR"), (50, 70, "USD", "HOUR")),
    # Personio salaryInformation (empty max)
    (("100000.00", "", "GBP", "yearly"), (100000, 100000, "GBP", "YEAR")),
    # Recruitee salary
    (("60000", "75000", "EUR", "year"), (60000, 75000, "EUR", "YEAR")),
    # JSON-LD baseSalary (max only; hourly)
    ((None, 80000000, "VND", "MONTH"), (80000000, 80000000, "VND", "MONTH")),
    ((22.0, 40.0, "USD", "HOUR"), (22, 40, "USD", "HOUR")),
    ((90, 60, "EUR", "DAY"), (60, 90, "EUR", "DAY")),
]


@pytest.mark.parametrize("fields,expected", FIELD_CASES)
def test_salary_from_fields(fields, expected):
    assert salary_from_fields(*fields) == Salary(float(expected[0]), float(expected[1]), expected[2], expected[3])


def test_fields_without_amount():
    assert salary_from_fields(None, None, "USD", "YEAR") is None
    assert salary_from_fields(None, None, None, None) is None
    assert salary_from_fields(1, 2, "EURO", "fortnight") == Salary(1.0, 2.0, None, None)


def test_description_only_when_unambiguous():
    assert salary_in_description("We pay $100K - $120K a year. Again: $100K - $120K a year.") == Salary(
        100000.0, 120000.0, "USD", "YEAR"
    )
    assert salary_in_description("Zone 1: $100K - $120K. Zone 2: $90K - $110K.") is None
    assert salary_in_description("Our 401k plan and 25 days off") is None


# Local number formats, bounds said in words, the symbol read with the job's country.
LOCAL_CASES = [
    ("60.000 € brutto im Jahr", None, (60000, 60000, "EUR", "YEAR")),
    ("60 000 € par an", None, (60000, 60000, "EUR", "YEAR")),
    ("₹12,00,000 per annum", None, (1200000, 1200000, "INR", "YEAR")),
    ("₹8,50,000 - ₹12,00,000 per annum", None, (850000, 1200000, "INR", "YEAR")),
    ("up to $80k", None, (None, 80000, "USD", "YEAR")),
    ("Up to 45.000 EUR", None, (None, 45000, "EUR", "YEAR")),
    ("From €60k", None, (60000, None, "EUR", "YEAR")),
    ("ab 60.000 € im Jahr", None, (60000, None, "EUR", "YEAR")),
    ("$90,000 - $110,000", "CA", (90000, 110000, "CAD", "YEAR")),
    ("$90,000 - $110,000", "AU", (90000, 110000, "AUD", "YEAR")),
    ("$90,000 - $110,000", None, (90000, 110000, "USD", "YEAR")),
    ("USD 90,000 - 110,000", "CA", (90000, 110000, "USD", "YEAR")),  # a code beats the country
    ("40 000 kr/mån", "SE", (40000, 40000, "SEK", "MONTH")),
    ("45 000 kr per måned", "NO", (45000, 45000, "NOK", "MONTH")),
    # Pinpoint compensation texts from the corpus.
    ("£70,000 - £90,000 / year", "GB", (70000, 90000, "GBP", "YEAR")),
    ("$17.00 - $18.00 / hour", "US", (17, 18, "USD", "HOUR")),
]


def _f(value):
    return None if value is None else float(value)


@pytest.mark.parametrize("text,country,expected", LOCAL_CASES)
def test_parse_salary_local_formats_and_bounds(text, country, expected):
    low, high, cur, period = expected
    assert parse_salary(text, country) == Salary(_f(low), _f(high), cur, period)


@pytest.mark.parametrize("salary,expected", [
    (Salary(17.0, 18.0, "USD", "HOUR"), (35360.0, 37440.0)),  # 2,080 hours a year
    (Salary(500.0, 500.0, "EUR", "DAY"), (130000.0, 130000.0)),  # 260 days
    (Salary(1000.0, 1200.0, "EUR", "WEEK"), (52000.0, 62400.0)),  # 52 weeks
    (Salary(4500.0, 5000.0, "EUR", "MONTH"), (54000.0, 60000.0)),
    (Salary(60000.0, 70000.0, "EUR", "YEAR"), (60000.0, 70000.0)),
    (Salary(None, 80000.0, "USD", "YEAR"), (None, 80000.0)),
    (Salary(50.0, 60.0, "USD", None), (None, None)),  # no period: no yearly figure
])
def test_yearly_figures_by_one_rule(salary, expected):
    from jobos.normalize.salary import yearly

    assert yearly(salary) == expected


def test_record_keeps_published_figures_and_adds_yearly_ones():
    from datetime import datetime, timezone

    from jobos.normalize.record import normalize_item

    item = {"title": "Nurse", "url": "https://jobs.example/1", "method": "html",
            "location": "Toronto, ON", "salary_text": "$40 - $35 an hour"}
    normalize_item(item, datetime(2026, 9, 1, tzinfo=timezone.utc))
    assert (item["salary_min"], item["salary_max"]) == (35.0, 40.0)  # min <= max
    assert (item["salary_currency"], item["salary_period"]) == ("CAD", "HOUR")  # "$" in Canada
    assert (item["salary_min_yearly"], item["salary_max_yearly"]) == (72800.0, 83200.0)
