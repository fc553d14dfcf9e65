"""Employment type spellings (as found in the corpus and common ATSs) -> schema.org values."""
from __future__ import annotations

import pytest

from jobos.normalize.employment import employment_type

CASES = [
    # corpus: Ashby/SmartRecruiters/Workday, Lever commitment, Personio, Recruitee, BambooHR
    ("FullTime", "FULL_TIME"), ("FULL_TIME", "FULL_TIME"), ("Full-time", "FULL_TIME"),
    ("Full-Time", "FULL_TIME"), ("Full Time", "FULL_TIME"), ("Perm - Full-time", "FULL_TIME"),
    ("fulltime_permanent", "FULL_TIME"), ("permanent", "FULL_TIME"), ("full-time", "FULL_TIME"),
    ("full-or-part-time", "FULL_TIME"), ("part-time", "PART_TIME"), ("Contract", "CONTRACTOR"),
    ("Permanent / Contract", "FULL_TIME"), ("Fixed Term Contract", "TEMPORARY"),
    ("Fixed Time Contractor (FTC) (UK Only)", "TEMPORARY"), ("Intern", "INTERN"),
    ("intern", "INTERN"), ("Internship", "INTERN"),
    # other ATS and languages
    ("PartTime", "PART_TIME"), ("Vollzeit", "FULL_TIME"), ("Teilzeit", "PART_TIME"),
    ("Werkstudent (m/w/d)", "INTERN"), ("Praktikum", "INTERN"), ("befristet", "TEMPORARY"),
    ("CDI", "FULL_TIME"), ("CDD", "TEMPORARY"), ("Stage", "INTERN"), ("Freelance", "CONTRACTOR"),
    ("temporary", "TEMPORARY"), ("Volunteer", "VOLUNTEER"), ("per diem", "PER_DIEM"),
    ("PER_DIEM", "PER_DIEM"), ("Other", "OTHER"), (["", "PART_TIME"], "PART_TIME"),
    ("Vollzeit, unbefristet", "FULL_TIME"), ("Apprenticeship", "INTERN"),
    ("xyz", None), ("", None), (None, None), (42, None),
]


@pytest.mark.parametrize("text,expected", CASES)
def test_employment_type(text, expected):
    assert employment_type(text) == expected
