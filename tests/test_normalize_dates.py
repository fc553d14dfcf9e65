"""Posted dates: ISO strings, epoch values, relative text anchored on the crawl time."""
from __future__ import annotations

from datetime import datetime, timezone

import pytest

from jobos.normalize.dates import parse_date

NOW = datetime(2026, 3, 10, 12, 0, tzinfo=timezone.utc)

CASES = [
    # corpus formats: Greenhouse updated_at/first_published, Ashby publishedAt, Lever createdAt,
    # Personio createdAt, Workday postedOn, JSON-LD datePosted, yc-radar createdAt
    ("2024-11-13T14:10:41+00:00", "2024-11-13"),
    ("2025-05-28T17:29:19.123Z", "2025-05-28"),
    ("2025-05-28 17:29:19.123456", "2025-05-28"),
    ("2026-06-22T17:56:03-05:00", "2026-06-22"),
    ("2024-01-15", "2024-01-15"),
    (1700000000000, "2023-11-14"),
    (1700000000, "2023-11-14"),
    ("1700000000000", "2023-11-14"),
    ("Posted Today", "2026-03-10"),
    ("Posted Yesterday", "2026-03-09"),
    ("Posted 3 Days Ago", "2026-03-07"),
    ("Posted 30+ Days Ago", "2026-02-08"),
    ("13 days", "2026-02-25"),
    ("about 1 month", "2026-02-10"),
    ("over 2 years", "2024-03-10"),
    # other languages and shapes
    ("vor 3 Tagen", "2026-03-07"),
    ("il y a 2 jours", "2026-03-08"),
    ("hace 3 días", "2026-03-07"),
    ("Posted 2 weeks ago", "2026-02-24"),
    ("an hour ago", "2026-03-10"),
    ("Jan 5, 2024", "2024-01-05"),
    ("5 January 2024", "2024-01-05"),
    ("05.01.2024", "2024-01-05"),
    ("Mar 20", "2025-03-20"),  # no year, in the future: last year
    ("garbage", None),
    ("2024-02-30", None),
    ("", None),
    (None, None),
    (12, None),
    (True, None),
]


@pytest.mark.parametrize("value,expected", CASES)
def test_parse_date(value, expected):
    assert parse_date(value, NOW) == expected


def test_relative_dates_follow_the_crawl_time():
    later = datetime(2026, 4, 1, tzinfo=timezone.utc)
    assert parse_date("Posted 3 Days Ago", later) == "2026-03-29"
    assert parse_date("Posted 3 Days Ago", later.replace(tzinfo=None)) == "2026-03-29"


@pytest.mark.parametrize("text,expected", [
    # Relative and localized spellings, anchored to the crawl time (2026-09-01 here).
    ("vor 3 Tagen", "2026-08-29"),
    ("il y a 2 semaines", "2026-08-18"),
    ("hace 5 días", "2026-08-27"),
    ("Posted 30+ Days Ago", "2026-08-02"),
    ("Posted Today", "2026-09-01"),
    ("för 2 veckor sedan", "2026-08-18"),  # dateparser
    ("12. März 2026", "2026-03-12"),  # dateparser
    ("1 mars 2026", "2026-03-01"),  # dateparser
    ("Req 12345", None),
    ("Full time", None),
])
def test_localized_and_relative_dates(text, expected):
    from datetime import datetime, timezone

    assert parse_date(text, datetime(2026, 9, 1, 12, tzinfo=timezone.utc)) == expected
