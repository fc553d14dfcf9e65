"""Keys that tell the same job on two boards: titles without gender tags and places."""
from __future__ import annotations

from datetime import date

import pytest

from jobos.normalize.duplicates import dates_close, place_key, title_key


@pytest.mark.parametrize("a,b", [
    ("Software Engineer (m/w/d)", "Software Engineer (f/m/x)"),
    ("Software-Engineer (all genders)", "Software Engineer"),
    ("Senior Developer m/f/d", "Senior Developer"),
    ("Entwickler*in Backend", "Entwickler Backend"),
    ("Data Analyst - Berlin", "Data Analyst"),
])
def test_same_title(a, b):
    assert title_key(a, "Berlin") == title_key(b, "Berlin")


def test_different_titles_stay_different():
    assert title_key("Senior Engineer") != title_key("Engineer")
    assert title_key("Berlin") == "berlin"  # a title that is only a place keeps it
    assert title_key(None) == ""


def test_place_and_dates():
    assert place_key("München", "de", "onsite") == ("DE", "munchen")
    assert place_key("Berlin", "DE", "remote") == ("DE", "")
    assert dates_close(date(2024, 3, 1), date(2024, 3, 30))
    assert not dates_close(date(2024, 3, 1), date(2024, 5, 1))
    assert dates_close(None, date(2024, 5, 1))
