"""Store: the record fields of the gazetteer/pay/language work, their filters, and duplicates
across boards, on SQLite and on a real PostgreSQL cluster."""
from __future__ import annotations

import pytest

from jobos.store import open_store
from jobos.store.records import prepare
from tests.pg import pg_cluster, pg_url, store_backend  # noqa: F401 - fixtures
from tests.test_store import make_job


@pytest.fixture()
def store(store_backend):
    s = open_store(**store_backend)
    yield s
    s.close()


def _ids(page) -> list[str]:
    return sorted(f"{j['board']}/{j['external_id']}" for j in page["items"])


def test_new_fields_are_stored_and_served(store):
    store.upsert_jobs([make_job(1, location_display="Berlin, Germany", remote_scope=None,
                                salary_min_yearly=50001.0, salary_max_yearly=70001.0, language="de")])
    job = store.search_jobs()["items"][0]
    assert job["location_display"] == "Berlin, Germany" and job["language"] == "de"
    assert job["salary_min_yearly"] == 50001.0 and job["salary_max_yearly"] == 70001.0
    assert job["duplicate_of"] is None
    # A change of a new field is a change of the job (history written).
    result = store.upsert_jobs([make_job(1, location_display="Berlin, Germany", language="en",
                                         salary_min_yearly=50001.0, salary_max_yearly=70001.0)])
    assert result.updated == 1
    history = store.get_job(job["id"])["history"]
    assert history[-1]["changed_fields"] == ["language"]


def test_content_hash_of_a_job_without_new_fields_is_unchanged():
    # Stored digests decide "unchanged": a job stored before the new fields keeps its digest.
    plain = prepare(make_job(1))
    assert plain.content_hash == "c97aff1c78da5d7b316ccc6e6065b45d051bb5dfd375065b74994d8ea3ed871f"
    assert prepare(make_job(1, language="de")).content_hash != plain.content_hash


def test_language_filter(store):
    store.upsert_jobs([make_job(1, language="de"), make_job(2, language="en"), make_job(3)])
    assert _ids(store.search_jobs(language="de")) == ["greenhouse:acme/1"]
    assert _ids(store.search_jobs(language="EN")) == ["greenhouse:acme/2"]
    assert store.search_jobs()["total"] == "3"


def test_full_text_in_the_postings_language(store):
    store.upsert_jobs([
        make_job(1, title="Engineers wanted", description="Come build with us.", language="en"),
        make_job(2, title="Entwickler gesucht", description="Wir entwickeln Software.", language="de"),
    ])
    assert _ids(store.search_jobs(q="engineers", language="en")) == ["greenhouse:acme/1"]
    if store.dialect == "pg":
        # Postgres stems in the posting's language: "engineer" finds "Engineers".
        assert _ids(store.search_jobs(q="engineer", language="en")) == ["greenhouse:acme/1"]
        assert _ids(store.search_jobs(q="entwicklern", language="de")) == ["greenhouse:acme/2"]
    else:
        # SQLite's FTS5 has no per-row stemming language: exact words only.
        assert store.search_jobs(q="engineer", language="en")["total"] == "0"
    assert store.search_jobs(q="engineers", language="de")["total"] == "0"


def test_unknown_country_is_included_by_default_and_can_be_excluded(store):
    store.upsert_jobs([make_job(1, country="DE"), make_job(2, country="FR", city="Paris"),
                       make_job(3, country=None, city=None, location="Remote")])
    assert _ids(store.search_jobs(country="DE")) == ["greenhouse:acme/1", "greenhouse:acme/3"]
    assert _ids(store.search_jobs(country="DE", unknown_country=False)) == ["greenhouse:acme/1"]


def test_same_job_on_two_boards_is_linked_and_listed_once(store):
    site = "website:acme.com"
    store.upsert_jobs([
        make_job(1, title="Software Engineer (m/w/d)"),
        make_job(2, title="Data Analyst"),
    ])
    store.upsert_jobs([
        # The company's own site lists the same two jobs (spelled its way) and one of its own.
        make_job(101, board=site, source="website", title="Software Engineer (f/m/x) - Berlin",
                 posted_at="2024-03-05"),
        make_job(102, board=site, source="website", title="Data Analyst", posted_at="2024-03-10"),
        make_job(103, board=site, source="website", title="Office Manager"),
    ])
    # A company's own site is stored under a company-scoped board key (website:<domain>/<company>).
    site = next(j["board"] for j in store.search_jobs(include_duplicates=True)["items"]
                if j["external_id"] == "103")
    assert site.startswith("website:acme.com/")
    assert store.link_duplicates([site]) == 2
    listed = _ids(store.search_jobs())
    assert listed == ["greenhouse:acme/1", "greenhouse:acme/2", f"{site}/103"]
    shown = {j["title"]: j["id"] for j in store.search_jobs()["items"]}
    every = store.search_jobs(include_duplicates=True)["items"]
    dups = {j["external_id"]: j["duplicate_of"] for j in every if j["duplicate_of"]}
    assert dups == {"101": shown["Software Engineer (m/w/d)"], "102": shown["Data Analyst"]}
    assert store.link_duplicates([site]) == 0  # idempotent


def test_duplicates_need_the_same_company_place_and_close_dates(store):
    store.upsert_jobs([make_job(1, title="Engineer"), make_job(2, title="Analyst"),
                       make_job(3, title="Designer")])
    store.upsert_jobs([
        make_job(1, board="greenhouse:other", company="Other AG", title="Engineer"),  # other company
        make_job(2, board="lever:acme", title="Analyst", city="Munich", location="Munich"),  # other city
        make_job(3, board="lever:acme", title="Designer", posted_at="2024-09-01"),  # months apart
    ])
    assert store.link_duplicates(["greenhouse:other", "lever:acme"]) == 0
    assert store.search_jobs()["total"] == "6"


def test_a_duplicate_is_listed_again_when_the_job_it_points_to_closes(store):
    store.upsert_jobs([make_job(1, title="Engineer")])
    store.upsert_jobs([make_job(1, board="lever:acme", title="Engineer")])
    assert store.link_duplicates(["lever:acme"]) == 1
    assert _ids(store.search_jobs()) == ["greenhouse:acme/1"]
    store.close_missing("greenhouse:acme", set())
    assert _ids(store.search_jobs()) == ["lever:acme/1"]
    assert store.link_duplicates(["lever:acme"]) == 1  # the stale link is removed
    assert store.search_jobs(include_duplicates=True)["items"][0]["duplicate_of"] is None
