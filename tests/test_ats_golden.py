"""Golden records: a few real corpus jobs per ATS, each field written out literally.

The other corpus tests compare every job with values derived from the raw response; these
check a handful of jobs against values read off the raw recordings by hand, so a parser and
its test cannot drift together. (The newer ATS modules carry their own golden records in
their test files.)
"""
from __future__ import annotations

import json

import pytest

from jobos.ats import ashby, greenhouse, lever, personio, recruitee, workable
from jobos.ats.base import BoardContext
from tests.corpus import corpus_dir

CTX = BoardContext(company="Acme")
VOLATILE = {"company", "company_domain", "scraped_at", "extraction_pending", "description",
            "description_html", "raw"}


def _fields(item) -> dict:
    return {k: v for k, v in dict(item).items() if k not in VOLATILE}


def _json(rel: str):
    return json.loads((corpus_dir() / rel).read_text(encoding="utf-8"))


GREENHOUSE = [
    {"source": "greenhouse", "method": "api", "board": "greenhouse:airtable", "external_id": "8403058002",
     "title": "Account Executive, Commercial",
     "url": "https://job-boards.greenhouse.io/airtable/jobs/8403058002",
     "apply_url": "https://job-boards.greenhouse.io/airtable/jobs/8403058002",
     "location": "Austin, TX", "locations": ["Austin, Texas, United States"], "department": "Sales",
     "posted_at": "2026-02-09T11:35:47-05:00"},
    {"source": "greenhouse", "method": "api", "board": "greenhouse:airtable", "external_id": "8403107002",
     "title": "Account Executive, Mid Market",
     "url": "https://job-boards.greenhouse.io/airtable/jobs/8403107002",
     "apply_url": "https://job-boards.greenhouse.io/airtable/jobs/8403107002",
     "location": "Austin, TX", "locations": ["Austin, Texas, United States"], "department": "Sales",
     "posted_at": "2026-03-03T11:25:37-05:00"},
]

WORKABLE = [
    {"source": "workable", "method": "api", "board": "workable:zego", "external_id": "0897A038EC",
     "title": "Claims Fraud Triage Handler", "url": "https://apply.workable.com/j/0897A038EC",
     "apply_url": "https://apply.workable.com/j/0897A038EC/apply",
     "location": "Halifax, England, United Kingdom", "locations": ["Halifax, England, United Kingdom"],
     "city": "Halifax", "region": "England", "country": "GB", "remote_flag": False,
     "department": "Claims and Fraud", "posted_at": "2026-06-02"},
    {"source": "workable", "method": "api", "board": "workable:zego", "external_id": "450EC5C378",
     "title": "Claims Handler - Third Party", "url": "https://apply.workable.com/j/450EC5C378",
     "apply_url": "https://apply.workable.com/j/450EC5C378/apply",
     "location": "Halifax, England, United Kingdom", "locations": ["Halifax, England, United Kingdom"],
     "city": "Halifax", "region": "England", "country": "GB", "remote_flag": False,
     "employment_type": "Full-time", "department": "Claims and Fraud", "posted_at": "2025-09-04"},
]

LEVER = {
    "source": "lever", "method": "api", "board": "lever:plaid",
    "external_id": "529e32e5-d849-498f-b313-29b6cc99e593", "title": "Account Executive - Fintech Named",
    "url": "https://jobs.lever.co/plaid/529e32e5-d849-498f-b313-29b6cc99e593",
    "apply_url": "https://jobs.lever.co/plaid/529e32e5-d849-498f-b313-29b6cc99e593/apply",
    "location": "New York", "locations": ["New York", "San Francisco"], "country": "US",
    "remote_flag": "onsite", "employment_type": "Full-time", "department": "Sales",
    "posted_at": 1753824031587, "salary_min": 309000.0, "salary_max": 309000.0,
    "salary_currency": "USD", "salary_period": "YEAR",
}

ASHBY = {
    "source": "ashby", "method": "api", "board": "ashby:serif",
    "external_id": "fd42333a-f5ac-4db4-8e9c-c4c39435f71e", "title": "Head of Growth",
    "url": "https://jobs.ashbyhq.com/serif/fd42333a-f5ac-4db4-8e9c-c4c39435f71e",
    "apply_url": "https://jobs.ashbyhq.com/serif/fd42333a-f5ac-4db4-8e9c-c4c39435f71e/application",
    "location": "San Francisco", "locations": ["San Francisco"], "country": "US",
    "city": "San Francisco", "region": "California", "remote_flag": False,
    "employment_type": "FullTime", "department": "Growth", "posted_at": "2025-07-30T23:23:40.242+00:00",
}

RECRUITEE = {
    "source": "recruitee", "method": "api", "board": "recruitee:acme", "external_id": "2700825",
    "title": "(Senior) Financial Accountant (f/m/d) - Berlin/Brandenburg Region, Germany",
    "url": "https://jobs.acme.com/o/senior-financial-accountant-fmd-berlinbrandenburg-region-germany",
    "apply_url": "https://jobs.acme.com/o/senior-financial-accountant-fmd-berlinbrandenburg-region-germany/c/new",
    "location": "Berlin, Berlin, Germany", "locations": ["Berlin, Berlin, Germany"], "country": "DE",
    "city": "Berlin", "region": "Berlin", "remote_flag": "hybrid", "employment_type": "fulltime_permanent",
    "department": "Finance", "posted_at": "2026-08-05T10:10:39Z", "salary_min": 60000.0,
    "salary_max": 75000.0, "salary_currency": "EUR", "salary_period": "YEAR",
}

PERSONIO = {
    "source": "personio", "method": "api", "board": "personio:acme", "external_id": "2140231",
    "title": "Copy of Junior Compliance and Immigrations Manager",
    "url": "https://acme.jobs.personio.de/job/2140231?language=en",
    "apply_url": "https://acme.jobs.personio.de/job/2140231?language=en#apply",
    "location": "London", "locations": ["London"], "employment_type": "full-time",
    "department": "Management", "posted_at": "2024-09-24T11:00:15+00:00", "salary_min": 100000.0,
    "salary_currency": "GBP", "salary_period": "YEAR",
}


@pytest.mark.parametrize("index", [0, 1])
def test_greenhouse_golden(index):
    data = _json("greenhouse/orozcolazaro__nova-analytics__greenhouse_airtable.json")
    items = greenhouse.parse_board_json(data, greenhouse.detect("https://job-boards.greenhouse.io/airtable"), CTX)
    assert _fields(items[index]) == GREENHOUSE[index]


@pytest.mark.parametrize("index", [0, 1])
def test_workable_golden(index):
    data = _json("workable/konstantinosanagn__ergon__workable_zego_sample.json")
    items = workable.parse_jobs(data, workable.detect("https://apply.workable.com/zego/"), CTX)
    assert _fields(items[index]) == WORKABLE[index]


def test_lever_golden():
    data = _json("lever/orozcolazaro__nova-analytics__lever_plaid.json")
    items = lever.parse_postings_json(data, lever.detect("https://jobs.lever.co/plaid"), CTX)
    assert _fields(items[0]) == LEVER


def test_ashby_golden():
    data = _json("ashby/stapply-ai__ats-scrapers__serif.json")
    items = ashby.parse_board_json(data, ashby.detect("https://jobs.ashbyhq.com/serif"), CTX)
    assert _fields(items[0]) == ASHBY


def test_recruitee_golden():
    data = _json("recruitee/omoji-personal__careerkit__recruitee_offers.json")
    items = recruitee.parse_offers_json(data, recruitee.detect("https://acme.recruitee.com/"), CTX)
    assert _fields(items[0]) == RECRUITEE


def test_personio_golden():
    body = (corpus_dir() / "personio/threadi__wp-personio-integration-light__personio_positions.xml").read_bytes()
    items = personio.parse_feed_xml(body, personio.detect("https://acme.jobs.personio.de/"), CTX)
    assert _fields(items[0]) == PERSONIO
