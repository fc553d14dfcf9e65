"""One crawl of a company at a time, and overlapping crawls never close live jobs (both backends)."""
from __future__ import annotations

import threading
from datetime import timedelta

import pytest

from jobos.store import open_store
from jobos.store.common import utcnow
from tests.pg import pg_cluster, pg_url, store_backend  # noqa: F401 - fixtures
from tests.test_store import BOARD, make_job


@pytest.fixture()
def store(store_backend):
    s = open_store(**store_backend)
    yield s
    s.close()


def _all_runs(store) -> list[dict]:
    return store.list_crawl_runs(limit=500)


def test_concurrent_starts_of_one_company_make_one_run(store_backend):
    stores = [open_store(**store_backend) for _ in range(4)]
    barrier = threading.Barrier(len(stores))
    results: list = [None] * len(stores)

    def start(i: int) -> None:
        barrier.wait()
        results[i] = stores[i].start_crawl_run({"company": "Acme GmbH", "country": "de"}, f"user:{i}", "api")

    threads = [threading.Thread(target=start, args=(i,)) for i in range(len(stores))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    try:
        ids = {run["id"] for run, _ in results}
        assert len(ids) == 1, results
        assert sum(1 for _, created in results if created) == 1
        assert len(_all_runs(stores[0])) == 1
    finally:
        for s in stores:
            s.close()


def test_the_active_run_index_holds_for_every_writer(store):
    run, created = store.start_crawl_run({"company": "Acme GmbH", "country": "DE"}, "user:1", "api")
    assert created
    again, created = store.start_crawl_run({"company": "ACME", "country": "de"}, "user:2", "api")
    assert not created and again["id"] == run["id"]
    # Another country, or no country, is another crawl.
    assert store.start_crawl_run({"company": "Acme", "country": "US"}, "user:2", "api")[1]
    assert store.start_crawl_run({"company": "Acme"}, "user:2", "api")[1]
    # create_crawl_run (the command line's) cannot add a second active run either.
    from jobos.store.crawls import CrawlActive

    with pytest.raises(CrawlActive) as exc:
        store.create_crawl_run({"company": "Acme GmbH", "country": "DE"}, "bob", "cli")
    assert exc.value.run["id"] == run["id"] and "already" in str(exc.value)
    # Once it ended, a new run may start.
    store.update_crawl_run(run["id"], status="finished")
    assert store.start_crawl_run({"company": "Acme GmbH", "country": "DE"}, "user:2", "api")[1]


def test_retry_is_a_compare_and_set(store):
    run, _ = store.start_crawl_run({"company": "Acme"}, "user:1", "api")
    store.update_crawl_run(run["id"], status="failed", attempts=1, node="n1")
    assert store.retry_crawl_run(run["id"], attempts=1) is True
    assert store.retry_crawl_run(run["id"], attempts=1) is False  # the second worker loses
    fresh = store.get_crawl_run(run["id"])
    assert (fresh["status"], fresh["attempts"]) == ("pending", 2)
    # A retry never makes a second active run of the company.
    store.update_crawl_run(run["id"], status="failed")
    other, created = store.start_crawl_run({"company": "Acme"}, "user:2", "api")
    assert created
    assert store.retry_crawl_run(run["id"], attempts=2) is False
    assert store.get_crawl_run(run["id"])["status"] == "failed"


def _age(store, crawl_id: int, seconds: float) -> None:
    with store._write() as cur:
        cur.execute("UPDATE crawl_runs SET updated_at = %s WHERE id = %s",
                    [store._ts_in(utcnow() - timedelta(seconds=seconds)), crawl_id])


def test_a_run_without_heartbeat_is_failed_and_unblocks_its_company(store):
    running, _ = store.start_crawl_run({"company": "Acme"}, "user:1", "api")
    store.update_crawl_run(running["id"], status="running")
    queued, _ = store.start_crawl_run({"company": "Beta"}, "user:1", "api")  # waiting on scrapyd
    store.update_crawl_run(queued["id"], scrapyd_job_id="jobos-2-1", node="n1")
    orphan, _ = store.start_crawl_run({"company": "Epsilon"}, "user:1", "api")  # never dispatched
    fresh, _ = store.start_crawl_run({"company": "Gamma"}, "user:1", "api")
    store.update_crawl_run(fresh["id"], status="running")
    _age(store, running["id"], 900)
    _age(store, queued["id"], 900)
    _age(store, orphan["id"], 900)
    failed = store.fail_stale_crawl_runs(timedelta(minutes=5))
    assert sorted(r["id"] for r in failed) == sorted([running["id"], orphan["id"]])
    run = store.get_crawl_run(running["id"])
    assert run["status"] == "failed" and "progress" in run["error_summary"] and run["finished_at"]
    assert "never started" in store.get_crawl_run(orphan["id"])["error_summary"]
    assert store.get_crawl_run(queued["id"])["status"] == "pending"
    assert store.get_crawl_run(fresh["id"])["status"] == "running"
    # A stale run never blocks a new crawl of its company.
    stale, _ = store.start_crawl_run({"company": "Delta"}, "user:1", "api")
    store.update_crawl_run(stale["id"], status="running")
    _age(store, stale["id"], 900)
    new, created = store.start_crawl_run({"company": "Delta"}, "user:2", "api")
    assert created and new["id"] != stale["id"]
    assert store.get_crawl_run(stale["id"])["status"] == "failed"


def test_an_overlapping_crawl_never_closes_a_job_another_crawl_just_saw(store):
    store.upsert_jobs([make_job(i) for i in range(5)])
    with store._write() as cur:  # jobs 0-4 were last seen an hour ago
        cur.execute("UPDATE jobs SET last_seen = %s", [store._ts_in(utcnow() - timedelta(hours=1))])
    started_a = utcnow()  # crawl A starts and reads the listing: 0-3 (4 is gone, 5 not yet out)
    store.upsert_jobs([make_job(i) for i in range(4)], None)
    # Crawl B, started later, sees job 4 again and a new job 5 while A is still running.
    store.upsert_jobs([make_job(4), make_job(5)], None)
    # A ends: everything B saw since A started stays open.
    assert store.close_missing(BOARD, {"0", "1", "2", "3"}, since=started_a) == 0
    assert store.job_count("open") == 6
    # Without a newer sighting, a job A did not list is closed.
    with store._write() as cur:
        cur.execute("UPDATE jobs SET last_seen = %s WHERE external_id = '5'",
                    [store._ts_in(utcnow() - timedelta(hours=1))])
    assert store.close_missing(BOARD, {"0", "1", "2", "3", "4"}, since=utcnow()) == 1
    assert store.job_count("open") == 5
