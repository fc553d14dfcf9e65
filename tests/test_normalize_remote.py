"""Remote and hybrid from evidence: ATS fields, location strings, statements in descriptions
(never perks), Workday's remote buckets, and the region a remote job is open to."""
from __future__ import annotations

from datetime import datetime, timezone

import pytest

from jobos.normalize.location import parse_locations
from jobos.normalize.record import normalize_item
from jobos.normalize.remote import arrangement_in_description, is_weak_remote_bucket, remote_scope, scope_in_description

NOW = datetime(2026, 9, 1, tzinfo=timezone.utc)

STATEMENTS = [
    # Sentences found in the corpus's postings (Greenhouse, Gem, Ashby descriptions).
    ("This is a fully remote role, but you must be located in the EMEA region for effective "
     "collaboration.", "remote"),
    ("NOTE: This is a FULLY remote role, but the candidate must be based in the UK to "
     "collaborate with their peers.", "remote"),
    ("This role is based 3 days per week out of our San Francisco, HQ and is not eligible for "
     "full-time remote work.", "hybrid"),
    # Perks and company policies are not this role's arrangement.
    ("Flexible work schedules with hybrid and remote working for certain roles as well as a "
     "Work From Anywhere program.", None),
    ("We offer work from anywhere 4 weeks a year.", None),
    ("Home office budget and a remote work allowance.", None),
    # Hand-written statements in the shapes boards use.
    ("This position is hybrid: you will be in the office twice a week.", "hybrid"),
    ("You will work 3 days a week in our Berlin office.", "hybrid"),
    ("This role is not eligible for remote work.", "onsite"),
    ("This is an on-site position in Austin.", "onsite"),
    ("Work location: Remote", "remote"),
    ("Diese Stelle ist vollständig remote.", "remote"),
    ("We are a remote-first company with offices in Berlin.", None),
    ("", None),
]


@pytest.mark.parametrize("text,expected", STATEMENTS)
def test_arrangement_in_description(text, expected):
    assert arrangement_in_description(text) == expected


@pytest.mark.parametrize("text,expected", [
    ("This is a fully remote role, but you must be located in the EMEA region.", "EMEA"),
    ("NOTE: This is a FULLY remote role, but the candidate must be within North America to "
     "collaborate with their team.", "North America"),
    ("NOTE: This is a FULLY remote role, but the candidate must be based in the UK.", "GB"),
    ("We are based in Berlin and hire remote engineers everywhere.", None),  # not a country/area
    ("Our office is located in Germany.", None),  # no remote statement
])
def test_scope_in_description(text, expected):
    assert scope_in_description(text) == expected


def test_workday_remote_bucket_is_weak_evidence():
    assert is_weak_remote_bucket("US, TX, Remote", "workday")
    assert is_weak_remote_bucket("USA.TX.Remote", "workday")
    assert not is_weak_remote_bucket("Remote - US", "workday")
    assert not is_weak_remote_bucket("US, TX, Remote", "greenhouse")


def _norm(**item) -> dict:
    item = {"title": "Engineer", "url": "https://jobs.example/1", "method": "api", **item}
    normalize_item(item, NOW)
    return item


def test_structured_field_beats_location_and_description():
    # Workday's remoteType "Onsite" on a job filed under a "Remote" bucket: on-site.
    item = _norm(source="workday", location="US, TX, Remote", remote_flag="Onsite",
                 description="This role is fully remote.")
    assert item["workplace"] == "onsite" and item["remote_scope"] is None


def test_workday_bucket_alone_is_not_remote():
    item = _norm(source="workday", location="US, TX, Remote",
                 description="We offer work from anywhere 4 weeks a year.")
    assert item["workplace"] is None
    assert (item["region"], item["country"]) == ("Texas", "US")


def test_workday_bucket_with_a_statement_is_remote():
    item = _norm(source="workday", location="US, TX, Remote", description="This role is fully remote.")
    assert item["workplace"] == "remote" and item["remote_scope"] == "US"


def test_perk_never_makes_a_job_remote():
    item = _norm(source="greenhouse", location="Berlin, Germany",
                 description="Perks: work from anywhere 4 weeks a year.")
    assert item["workplace"] is None and item["country"] == "DE"


@pytest.mark.parametrize("location,scope,display", [
    ("Remote - US", "US", "Remote (United States)"),
    ("Remote (EU)", "EU", "Remote (EU)"),
    ("Remote (EMEA)", "EMEA", "Remote (EMEA)"),
    ("Anywhere", None, "Remote"),
    ("Remote - US or Canada", "US,CA", "Remote (United States, Canada)"),
])
def test_remote_scope_from_the_location(location, scope, display):
    item = _norm(source="greenhouse", location=location)
    assert item["workplace"] == "remote"
    assert item["remote_scope"] == scope
    assert item["location_display"] == display


def test_remote_scope_from_the_description_when_the_location_gives_none():
    item = _norm(source="greenhouse", location="Remote",
                 description="This is a fully remote role, but you must be located in the EMEA region.")
    assert item["workplace"] == "remote" and item["remote_scope"] == "EMEA"


def test_remote_scope_of_locations():
    assert remote_scope(parse_locations("Remote - US; Remote - Canada")) == "US,CA"
    assert remote_scope([]) is None
