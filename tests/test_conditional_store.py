"""The store side of conditional re-crawls, on SQLite and PostgreSQL: http_cache and touch_board."""
from __future__ import annotations

import time

import pytest

from jobos.store import open_store
from tests.pg import pg_cluster, pg_url, store_backend  # noqa: F401 - fixtures
from tests.test_store import make_job


@pytest.fixture()
def store(store_backend):
    s = open_store(**store_backend)
    yield s
    s.close()


def _job(store, board: str, ext: str) -> dict:
    with store._read() as cur:
        cur.execute("SELECT status, last_seen, content_hash, last_crawl_id FROM jobs"
                    " WHERE board = %s AND external_id = %s", [board, ext])
        return dict(cur.fetchone())


def _history(store) -> int:
    with store._read() as cur:
        cur.execute("SELECT count(*) AS n FROM job_history")
        return int(cur.fetchone()["n"])


def test_touch_board_moves_last_seen_of_its_open_jobs_only(store):
    store.upsert_jobs([make_job(i) for i in range(3)] + [make_job(9, board="lever:other")], None)
    store.close_missing("greenhouse:acme", {"0", "1"})  # job 2 closed
    before = {ext: _job(store, "greenhouse:acme", ext) for ext in ("0", "1", "2")}
    other = _job(store, "lever:other", "9")
    history = _history(store)
    time.sleep(1.1)  # last_seen has second precision on SQLite
    crawl = store.create_crawl_run({"company": "Acme"})
    assert store.touch_board("greenhouse:acme", crawl) == 2
    after = {ext: _job(store, "greenhouse:acme", ext) for ext in ("0", "1", "2")}
    for ext in ("0", "1"):
        assert str(after[ext]["last_seen"]) > str(before[ext]["last_seen"])
        assert after[ext]["content_hash"] == before[ext]["content_hash"]
        assert after[ext]["last_crawl_id"] == crawl
    assert after["2"] == before["2"] and after["2"]["status"] == "closed"
    assert _job(store, "lever:other", "9") == other
    assert _history(store) == history


def test_http_cache_round_trip_and_fingerprint_follows_the_stored_jobs(store):
    url = "https://boards-api.greenhouse.io/v1/boards/acme/jobs?content=true"
    assert store.http_cache_get(url) is None
    store.upsert_jobs([make_job(i) for i in range(2)], None)
    fp = store.board_fingerprint("greenhouse:acme")
    store.http_cache_put([{"url": url, "board": "greenhouse:acme", "etag": '"v1"',
                           "last_modified": None, "body_hash": "h1", "jobs_fingerprint": fp}])
    store.http_cache_put([{"url": url, "board": "greenhouse:acme", "etag": '"v2"',
                           "last_modified": "Sat, 05 Dec 2026 03:00:00 GMT", "body_hash": "h2",
                           "jobs_fingerprint": fp}])
    entry = store.http_cache_get(url)
    assert (entry["etag"], entry["last_modified"], entry["body_hash"]) == (
        '"v2"', "Sat, 05 Dec 2026 03:00:00 GMT", "h2")
    assert entry["jobs_fingerprint"] == fp == store.board_fingerprint("greenhouse:acme")
    store.upsert_jobs([make_job(1, title="Changed title")], None)
    assert store.board_fingerprint("greenhouse:acme") != fp
    assert store.board_fingerprint("lever:none") != fp


def test_a_listing_entry_read_too_long_ago_is_not_returned(store):
    from datetime import timedelta

    from jobos.store.common import utcnow

    store.listing_entries_put([("https://www.acme.example/jobs/7", "abc")])
    assert store.listing_entry_get("https://www.acme.example/jobs/7") == "abc"
    assert store.listing_entry_get("https://www.acme.example/jobs/7", utcnow() - timedelta(days=7)) == "abc"
    # a page last read before the re-read age is read again: the entry does not count
    assert store.listing_entry_get("https://www.acme.example/jobs/7", utcnow() + timedelta(minutes=5)) is None
    assert store.listing_entry_get("https://www.acme.example/jobs/8") is None


def test_a_site_page_entry_round_trip_and_its_age(store):
    from datetime import timedelta

    from jobos.store.common import utcnow

    url = "https://www.acme.example/careers/"
    store.http_cache_put([{"url": "https://boards.example/acme", "board": "greenhouse:acme", "body_hash": "b"}])
    store.http_cache_put([{"url": url, "board": "site:acme", "etag": '"p1"', "body_hash": "h",
                           "page_state": '{"company": "acme", "jobs": []}'}])
    assert store.site_page_get("https://boards.example/acme", utcnow() - timedelta(days=7)) is None  # a board's
    entry = store.site_page_get(url, utcnow() - timedelta(days=7))
    assert (entry["etag"], entry["body_hash"], entry["page_state"]) == ('"p1"', "h", '{"company": "acme", "jobs": []}')
    assert store.http_cache_get(url)["page_state"] == entry["page_state"]
    assert store.site_page_get(url, utcnow() + timedelta(minutes=5)) is None  # stored too long ago


def test_touch_site_jobs_touches_all_of_the_companys_open_jobs_or_none(store):
    mine, other = "website:acme.example/acme", "website:acme.example/other co"
    jobs = [make_job(i, board=mine, url=f"https://www.acme.example/careers/{i}") for i in range(3)]
    # Another company's job at the same URL as job 0; job 2 closed.
    jobs.append(make_job(7, board=other, url="https://www.acme.example/careers/0"))
    store.upsert_jobs(jobs, None)
    store.close_missing(mine, {"0", "1"})
    before = {ext: _job(store, mine, ext) for ext in ("0", "1", "2")}
    theirs = _job(store, other, "7")
    time.sleep(1.1)  # last_seen has second precision on SQLite
    urls = [f"https://www.acme.example/careers/{i}" for i in range(3)]
    assert store.touch_site_jobs(urls, "acme") is None  # job 2 is closed: nothing touched
    assert all(_job(store, mine, ext)["last_seen"] == before[ext]["last_seen"] for ext in ("0", "1"))
    crawl = store.create_crawl_run({"company": "Acme"})
    touched = store.touch_site_jobs(urls[:2], "acme", crawl)
    assert touched == {urls[0]: {"board": mine, "external_id": "0"}, urls[1]: {"board": mine, "external_id": "1"}}
    for ext in ("0", "1"):
        job = _job(store, mine, ext)
        assert job["last_seen"] > before[ext]["last_seen"] and job["last_crawl_id"] == crawl
        assert job["content_hash"] == before[ext]["content_hash"]
    assert _job(store, other, "7") == theirs  # the other company's job at that URL is not touched
    assert store.touch_site_jobs([], "acme") == {}
