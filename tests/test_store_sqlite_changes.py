"""SQLite: the generic upsert of changed jobs (each UPDATE sets only the columns that changed,
and the row, its full-text entry and its history end as a rewrite of every column left them),
and the connection settings the upsert relies on."""
from __future__ import annotations

import re

import pytest

from jobos.store import open_store
from jobos.store import sqlite as sqlite_store
from jobos.store.records import CONTENT_FIELDS
from tests.test_store import BOARD, job_by_ext, make_job


@pytest.fixture()
def store(tmp_path):
    s = open_store(data_dir=str(tmp_path), database_url=None)
    yield s
    s.close()


def _job_updates(store, batch, crawl_id, monkeypatch):
    """Return the SET column names of each statement that updated jobs' content in the upsert."""
    statements: list[str] = []
    executemany = sqlite_store._Cursor.executemany

    def spy(self, sql, rows):
        statements.append(sql)
        return executemany(self, sql, rows)

    monkeypatch.setattr(sqlite_store._Cursor, "executemany", spy)
    store.upsert_jobs(batch, crawl_id)
    monkeypatch.undo()
    sets = []
    for sql in statements:
        m = re.match(r"UPDATE jobs SET (.*) WHERE id = %s$", sql, re.S)
        if m and "content_hash" in m.group(1):
            sets.append(set(re.findall(r"(\w+) = ", m.group(1))))
    return sets


def _fts_ids(store, word):
    with store._read() as cur:
        cur.execute("SELECT rowid AS id FROM jobs_fts WHERE jobs_fts MATCH %s", [f'"{word}"'])
        return {row["id"] for row in cur.fetchall()}


def test_a_title_change_sets_the_title_and_no_other_content_column(store, monkeypatch):
    store.upsert_jobs([make_job(1)], 1)
    sets = _job_updates(store, [make_job(1, title="Staff Engineer")], 2, monkeypatch)
    assert len(sets) == 1
    written = sets[0] & set(CONTENT_FIELDS)
    assert written == {"title"}
    assert not {"company_norm", "company_id", "status", "closed_at"} & sets[0]


def test_rows_end_as_if_every_column_was_written(store, monkeypatch):
    store.upsert_jobs([make_job(i) for i in range(5)], 1)
    assert store.close_missing(BOARD, {"0", "1", "2", "3"}, None, 1) == 1
    before = {i: job_by_ext(store, str(i)) for i in range(5)}
    batch = [
        make_job(0, title="Quantum Gardener"),                          # title only
        make_job(1, description="Now we build things with Rust."),      # description only
        make_job(2, country="at", salary_min=None, posted_at="2024-01-02"),  # no full-text column
        make_job(3, company="Acme Robotics", title="Engineer 3"),       # company, same title
        make_job(4, city="Hamburg"),                                    # closed, listed again
    ]
    sets = _job_updates(store, batch, 2, monkeypatch)
    assert len(sets) == 5 and len({frozenset(s) for s in sets}) == 5  # one statement per column set
    for item in batch:
        job = job_by_ext(store, item["external_id"])
        old = before[int(item["external_id"])]
        for f in CONTENT_FIELDS:
            if f in ("posted_at",):
                assert job[f] == item[f]
            elif f in item and f not in ("salary_min", "salary_max", "country", "salary_currency"):
                assert job[f] == item[f], f
        assert job["status"] == "open" and job["closed_at"] is None
        assert job["last_crawl_id"] == 2 and job["last_seen"] > old["last_seen"]
        assert job["first_seen"] == old["first_seen"]
    assert job_by_ext(store, "2")["country"] == "AT" and job_by_ext(store, "2")["salary_min"] is None
    assert job_by_ext(store, "3")["company_norm"] == "acme robotics"
    assert job_by_ext(store, "4")["history"][-1]["changed_fields"] == ["city", "status"]
    # The full-text index follows title and description, and only those jobs' entries moved.
    ids = {i: job_by_ext(store, str(i))["id"] for i in range(5)}
    assert _fts_ids(store, "Quantum") == {ids[0]}
    assert _fts_ids(store, "Rust") == {ids[1]}
    assert ids[1] not in _fts_ids(store, "Python") and ids[0] in _fts_ids(store, "Python")
    assert _fts_ids(store, "Engineer") == {ids[1], ids[2], ids[3], ids[4]}
    with store._read() as cur:
        cur.execute("INSERT INTO jobs_fts (jobs_fts, rank) VALUES ('integrity-check', 1)")
    # Sorting by date follows the changed posted_at.
    page = store.search_jobs(sort="posted_at", order="asc", limit=1)
    assert page["items"][0]["external_id"] == "2"


def test_a_company_known_later_is_linked_on_the_next_change(store):
    store.upsert_jobs([make_job(1)], 1)
    assert job_by_ext(store, "1")["company_id"] is None
    company_id = store.upsert_company("Acme GmbH", board=BOARD, domain="acme.com")
    store.upsert_jobs([make_job(1, title="Principal Engineer")], 2)
    assert job_by_ext(store, "1")["company_id"] == company_id


def test_connections_take_the_configured_page_cache_and_checkpoint_interval(tmp_path, monkeypatch):
    monkeypatch.setenv("JOBOS_SQLITE_CACHE_MB", "48")
    s = open_store(data_dir=str(tmp_path), database_url=None)
    try:
        conn = s._conn()
        assert conn.execute("PRAGMA cache_size").fetchone()["cache_size"] == -48 * 1024
        assert conn.execute("PRAGMA wal_autocheckpoint").fetchone()["wal_autocheckpoint"] == 8000
        assert conn.execute("PRAGMA journal_mode").fetchone()["journal_mode"] == "wal"
    finally:
        s.close()


def test_a_page_cache_size_that_is_no_number_is_refused_in_a_sentence(tmp_path, monkeypatch):
    monkeypatch.setenv("JOBOS_SQLITE_CACHE_MB", "lots")
    with pytest.raises(ValueError, match="JOBOS_SQLITE_CACHE_MB must be a whole number"):
        open_store(data_dir=str(tmp_path), database_url=None)
