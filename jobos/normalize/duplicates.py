"""The same job on two boards of one company: a key and a date rule to tell (pure functions).

A company's own site and its ATS, or two ATSs during a migration, publish one job twice. Two
open jobs are the same job when they belong to the same company (normalized name; never across
companies), come from different boards, have the same title once gender tags, punctuation and a
trailing place are removed, the same place (country and city, folded; remote jobs by country
alone), and dates at most DUPLICATE_DAYS apart (posted dates when both have one, else the days
first seen). The oldest stored job is the one shown; the others point at it (`duplicate_of`).
"""
from __future__ import annotations

import re
from datetime import date

from jobos.normalize.places import fold

DUPLICATE_DAYS = 30
_GENDER = re.compile(
    r"\(\s*(?:[mwfdxh]\s*[/|,]\s*){1,3}[mwfdxh]\s*\)|\b(?:[mwfdxh]\s*/\s*){1,3}[mwfdxh]\b|"
    r"\(\s*(?:all\s+genders?|alle\s+geschlechter|gn|w/m/d|h/f|f/h|m/f|f/m)\s*\)|\*(?:in|innen)\b",
    re.I,
)


def title_key(title: str | None, city: str | None = None) -> str:
    """Return a title folded for comparison: no gender tags, no punctuation, no trailing city."""
    if not title:
        return ""
    text = fold(_GENDER.sub(" ", title))
    text = re.sub(r"[^\w ]+", " ", text)
    text = " ".join(text.split())
    place = fold(city) if city else ""
    if place:
        for suffix in (f" {place}", f" in {place}"):
            if text.endswith(suffix) and len(text) > len(suffix):
                text = text[: -len(suffix)].rstrip()
    return text


def place_key(city: str | None, country: str | None, workplace: str | None) -> tuple[str, str]:
    """Return (country, city) folded; a remote job's city does not count."""
    return ((country or "").upper(), "" if workplace == "remote" else fold(city or ""))


def dates_close(a: date | None, b: date | None, days: int = DUPLICATE_DAYS) -> bool:
    """Return True when two dates are at most `days` apart (an unknown date does not object)."""
    if a is None or b is None:
        return True
    return abs((a - b).days) <= days
