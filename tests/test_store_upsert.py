"""Upserts, both backends: one batch mixing every case, duplicates within a batch, sort dates;
on PostgreSQL the staged merge's search vector against the trigger's, a vector kept for
unchanged words, the inlined vector function, and a batch waiting on its boards' lock."""
from __future__ import annotations

import threading
import time
import zlib

import psycopg
import pytest

from jobos.store import open_store
from tests.pg import pg_cluster, pg_url, store_backend  # noqa: F401 - fixtures
from tests.test_store import BOARD, history_count, job_by_ext, make_job


@pytest.fixture()
def store(store_backend):
    s = open_store(**store_backend)
    yield s
    s.close()


def _column(store, ext: str, column: str):
    with store._read() as cur:
        cur.execute(f"SELECT {column} AS v FROM jobs WHERE board = %s AND external_id = %s", [BOARD, ext])
        return cur.fetchone()["v"]


def test_one_batch_of_every_case_counts_and_writes_history_as_each_alone(store):
    store.upsert_jobs([make_job(i) for i in range(6)], 1)
    assert store.close_missing(BOARD, {"0", "1", "2", "3", "4"}, None, 1) == 1
    closed_at = job_by_ext(store, "5")["closed_at"]
    batch = [
        make_job(0),                                  # unchanged
        make_job(1, title="Staff Engineer 1"),        # changed
        make_job(2, extraction_pending=True),         # unchanged, flag moves
        make_job(3, salary_min=None, city="Hamburg"),  # changed, two fields
        make_job(5),                                  # closed, listed again: reopened
        make_job(6),                                  # new
    ]
    result = store.upsert_jobs(batch, 2)
    assert (result.new, result.updated, result.unchanged, result.reopened) == (1, 2, 2, 1)
    assert history_count(store) == 3

    one = job_by_ext(store, "1")
    assert one["title"] == "Staff Engineer 1" and one["last_crawl_id"] == 2
    assert [(h["changed_fields"], h["old_values"], h["crawl_id"]) for h in one["history"]] == [
        (["title"], {"title": "Engineer 1"}, 2)]
    three = job_by_ext(store, "3")
    assert sorted(three["history"][0]["changed_fields"]) == ["city", "salary_min"]
    assert three["history"][0]["old_values"] == {"city": "Berlin", "salary_min": 50003.0}
    assert three["salary_min"] is None and three["city"] == "Hamburg"
    five = job_by_ext(store, "5")
    assert five["status"] == "open" and five["closed_at"] is None
    assert five["history"][-1]["changed_fields"] == ["status"]
    assert five["history"][-1]["old_values"] == {"status": "closed", "closed_at": closed_at}
    assert job_by_ext(store, "2")["extraction_pending"] is True
    assert job_by_ext(store, "0")["history"] == [] and job_by_ext(store, "0")["last_crawl_id"] == 2
    assert job_by_ext(store, "6")["first_seen"] == job_by_ext(store, "6")["last_seen"]
    assert store.job_count("open") == 7


def test_duplicates_within_a_batch_are_one_job_and_the_last_one_wins(store):
    result = store.upsert_jobs([make_job(1, title="First"), make_job(2), make_job(1, title="Second")], None)
    assert (result.new, result.updated) == (2, 0)
    assert store.job_count() == 2 and job_by_ext(store, "1")["title"] == "Second"
    again = store.upsert_jobs([make_job(1, title="Third"), make_job(1, title="Second")], None)
    assert (again.new, again.updated, again.unchanged) == (0, 0, 1)
    assert history_count(store) == 0


def test_an_undated_job_keeps_sorting_by_the_day_it_was_first_seen_when_it_changes(store):
    store.upsert_jobs([make_job(1, posted_at=None), make_job(2)], None)
    first_seen_day = job_by_ext(store, "1")["first_seen"][:10]
    assert str(_column(store, "1", "sort_date"))[:10] == first_seen_day
    store.upsert_jobs([make_job(1, posted_at=None, title="Changed"), make_job(2, posted_at="2024-01-02")], None)
    assert str(_column(store, "1", "sort_date"))[:10] == first_seen_day
    assert str(_column(store, "2", "sort_date"))[:10] == "2024-01-02"


def test_a_changed_job_is_found_by_its_new_words_only(store):
    store.upsert_jobs([make_job(1, title="Haskell Engineer"), make_job(2, title="Rust Engineer")], None)
    store.upsert_jobs([make_job(1, title="Golang Engineer"), make_job(2, title="Rust Engineer")], None)
    assert [j["external_id"] for j in store.search_jobs(q="golang")["items"]] == ["1"]
    assert store.search_jobs(q="haskell")["items"] == []
    assert [j["external_id"] for j in store.search_jobs(q="rust")["items"]] == ["2"]


@pytest.mark.postgres
def test_postgres_merge_writes_the_search_vector_the_trigger_would(pg_url):
    store = open_store(pg_url)
    try:
        jobs = [make_job(1), make_job(2, language="de", title="Entwickler für Datenbanken",
                                      description="Wir entwickeln Datenbanken."),
                make_job(3, language="en", description="Engineers building engines.")]
        store.upsert_jobs(jobs, None)
        store.upsert_jobs([make_job(3, language="en", description="Engineers testing engines.")], None)
        with store._write() as cur:
            # Another writer (a plain INSERT, an UPDATE of the text) still gets the trigger's vector.
            cur.execute("INSERT INTO jobs (board, external_id, title, url, description, language,"
                        " content_hash, first_seen, last_seen, sort_date)"
                        " SELECT board, 'plain', title, url, description, language, content_hash,"
                        " first_seen, last_seen, sort_date FROM jobs WHERE external_id = '2'")
            cur.execute("UPDATE jobs SET title = 'Datenbankentwickler' WHERE external_id = '1'")
            cur.execute("SELECT external_id, search::text AS s,"
                        " jobs_search_of(title, description, language)::text AS expected,"
                        " (setweight(to_tsvector('simple', coalesce(title, '')), 'A')"
                        "  || setweight(to_tsvector('simple', coalesce(description, '')), 'B')"
                        "  || CASE WHEN language IS NULL THEN ''::tsvector ELSE"
                        "     setweight(to_tsvector(jobs_regconfig(language), coalesce(title, '')), 'A')"
                        "  || setweight(to_tsvector(jobs_regconfig(language), coalesce(description, '')), 'B')"
                        "  END)::text AS by_hand FROM jobs ORDER BY external_id")
            rows = cur.fetchall()
        assert [r["external_id"] for r in rows] == ["1", "2", "3", "plain"]
        for row in rows:
            assert row["s"] == row["expected"] == row["by_hand"], row["external_id"]
        assert "'datenbankentwickler':1A" in rows[0]["s"] and "'test':" in rows[2]["s"]
        assert [j["external_id"] for j in store.search_jobs(q="datenbanken", language="de")["items"]] == ["2", "plain"]
    finally:
        store.close()


def _search_text(store, ext: str, board: str = BOARD) -> str:
    with store._read() as cur:
        cur.execute("SELECT search::text AS s FROM jobs WHERE board = %s AND external_id = %s", [board, ext])
        return cur.fetchone()["s"]


@pytest.mark.postgres
def test_postgres_a_job_changed_outside_its_words_keeps_its_stored_vector(pg_url):
    store = open_store(pg_url)
    try:
        store.upsert_jobs([make_job(i, language="de") for i in (1, 2, 3)], None)
        with store._write() as cur:
            # A marker no text gives: only a vector taken over as stored can still be it.
            cur.execute("UPDATE jobs SET search = 'marker:1'::tsvector")
        store.upsert_jobs([make_job(1, language="de", city="Hamburg"),          # words as stored
                           make_job(2, language="de", title="Datenbankentwickler"),  # new title
                           make_job(3, language="en")], None)                     # new language
        assert job_by_ext(store, "1")["city"] == "Hamburg"
        assert _search_text(store, "1") == "'marker':1"
        with store._read() as cur:
            cur.execute("SELECT external_id, search::text AS s,"
                        " jobs_search_of(title, description, language)::text AS expected"
                        " FROM jobs WHERE external_id IN ('2', '3') ORDER BY external_id")
            rows = cur.fetchall()
        assert [r["s"] for r in rows] == [r["expected"] for r in rows]
        assert "'datenbankentwickl':" in rows[0]["s"] and "'engin':" in rows[1]["s"]
        # A job closed and listed again with the same words is reopened with its vector.
        assert store.close_missing(BOARD, {"2", "3"}, None, None) == 1
        store.upsert_jobs([make_job(1, language="de", city="Hamburg")], None)
        assert job_by_ext(store, "1")["status"] == "open" and _search_text(store, "1") == "'marker':1"
    finally:
        store.close()


@pytest.mark.postgres
def test_postgres_the_search_vector_function_is_inlined_and_unchanged(pg_url):
    store = open_store(pg_url)
    try:
        with store._read() as cur:
            # Inlined: the statement's plan shows the expression, not a call (a PL/pgSQL body
            # would run through its interpreter for every row).
            cur.execute("CREATE TEMP TABLE t (title text, description text, language text)")
            cur.execute("EXPLAIN VERBOSE SELECT jobs_search_of(title, description, language) FROM t")
            plan = " ".join(r["QUERY PLAN"] for r in cur.fetchall())
            assert "jobs_search_of" not in plan and "to_tsvector" in plan
            cur.execute(
                "SELECT l, jobs_search_of(ti, de, l)::text AS got, (setweight(to_tsvector('simple', coalesce(ti, '')), 'A')"
                " || setweight(to_tsvector('simple', coalesce(de, '')), 'B')"
                " || CASE WHEN c = 'simple' THEN ''::tsvector ELSE"
                "    setweight(to_tsvector(c::regconfig, coalesce(ti, '')), 'A')"
                " || setweight(to_tsvector(c::regconfig, coalesce(de, '')), 'B') END)::text AS want,"
                " jobs_regconfig(l)::text AS cfg, c"
                " FROM (VALUES ('Data Engineers', 'Building engines daily.', 'en', 'english'),"
                " ('Entwickler', 'Wir entwickeln Datenbanken.', 'de', 'german'),"
                " ('Ingénieurs', 'Nous développons.', 'fr', 'french'),"
                " ('Utvecklare', NULL, 'nb', 'norwegian'),"
                " (NULL, 'Only a description', NULL, 'simple'),"
                " ('Title', 'text', 'xx', 'simple')) AS v(ti, de, l, c)")
            rows = cur.fetchall()
        assert len(rows) == 6
        for row in rows:
            assert row["got"] == row["want"] and row["cfg"] == row["c"], row["l"]
    finally:
        store.close()


@pytest.mark.postgres
def test_postgres_a_batch_waits_for_the_lock_of_a_board_it_writes(pg_url):
    from jobos.store.postgres import BOARD_LOCK_SPACE

    boards = [f"greenhouse:b{i}" for i in range(5)]
    store = open_store(pg_url)
    holder = psycopg.connect(pg_url, autocommit=True)
    try:
        key = zlib.crc32(boards[3].encode("utf-8")) - 2**31
        holder.execute("SELECT pg_advisory_lock(%s, %s)", [BOARD_LOCK_SPACE, key])
        done = threading.Event()
        thread = threading.Thread(target=lambda: (store.upsert_jobs(
            [make_job(i, board=b) for i, b in enumerate(boards)], None), done.set()))
        thread.start()
        # The upsert is seen waiting on that board's lock (not merely slow).
        deadline = time.monotonic() + 60  # a loaded machine may take long to start the thread
        while time.monotonic() < deadline:
            waiting = holder.execute(
                "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted"
                " AND classid::bigint = %s AND objid::bigint = (%s::bigint & 4294967295)",
                [BOARD_LOCK_SPACE, key]).fetchone()[0]
            if waiting:
                break
            time.sleep(0.05)
        assert waiting == 1 and not done.is_set() and store.job_count() == 0
        holder.execute("SELECT pg_advisory_unlock(%s, %s)", [BOARD_LOCK_SPACE, key])
        thread.join(60)
        assert done.is_set() and store.job_count() == 5
    finally:
        holder.close()
        store.close()
