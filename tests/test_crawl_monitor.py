"""The crawl monitor against a real store (both backends) and a scripted scrapyd cluster.

Two API workers each run a monitor: a failed run is retried once, never twice; a crawler
that stopped reporting progress is marked failed so its company is not blocked forever.
"""
from __future__ import annotations

import threading
from datetime import timedelta

import pytest

from api.crawls import CrawlService
from api.monitor import CrawlMonitor
from jobos.args import CrawlArgs
from jobos.store import open_store
from jobos.store.common import utcnow
from tests.pg import pg_cluster, pg_url, store_backend  # noqa: F401 - fixtures

NODE = "http://node-a.invalid:6800"


class ScriptedCluster:
    """Answers like scrapyd nodes: schedule() records each call; listjobs() shows them running."""

    def __init__(self) -> None:
        self.urls = [NODE]
        self.scheduled: list[tuple[str, dict]] = []
        self._lock = threading.Lock()

    def schedule(self, spider: str, args: dict, jobid: str) -> tuple[str, str]:
        with self._lock:
            self.scheduled.append((jobid, dict(args)))
        return NODE, jobid

    def listjobs(self, url: str) -> dict[str, list[dict]]:
        with self._lock:
            return {"pending": [], "running": [{"id": j} for j, _ in self.scheduled], "finished": []}

    def cancel(self, url: str, jobid: str) -> str:
        return "running"


@pytest.fixture()
def stores(store_backend):
    opened = [open_store(**store_backend) for _ in range(2)]
    yield opened
    for s in opened:
        s.close()


def _monitor(store, cluster) -> CrawlMonitor:
    return CrawlMonitor(CrawlService(store, cluster), retry_delay=0, interval=60)


def test_two_monitors_retry_a_failed_run_once(stores):
    cluster = ScriptedCluster()
    a, b = _monitor(stores[0], cluster), _monitor(stores[1], cluster)
    started = a.service.start(CrawlArgs(company="Acme GmbH", country="DE"), "user:1")
    stores[0].update_crawl_run(started.crawl_id, status="failed", error_summary="killed",
                               finished_at=utcnow() - timedelta(minutes=5))
    # Both workers list the failed run before either acts on it.
    snapshot = stores[1].list_crawl_runs(status="failed")
    assert a.retry_due() == 1
    stores[1].list_crawl_runs = lambda status=None, limit=50: snapshot if status == "failed" else []
    assert b.retry_due() == 0
    assert [j for j, _ in cluster.scheduled] == [f"jobos-{started.crawl_id}-1", f"jobos-{started.crawl_id}-2"]
    run = stores[0].get_crawl_run(started.crawl_id)
    assert run["status"] == "pending" and run["attempts"] == 2


def test_two_monitors_at_once_retry_once(stores):
    cluster = ScriptedCluster()
    monitors = [_monitor(s, cluster) for s in stores]
    started = monitors[0].service.start(CrawlArgs(company="Beta"), "user:1")
    stores[0].update_crawl_run(started.crawl_id, status="failed", finished_at=utcnow() - timedelta(minutes=5))
    barrier = threading.Barrier(2)
    done = [0, 0]

    def run(i: int) -> None:
        barrier.wait()
        done[i] = monitors[i].retry_due()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sum(done) == 1
    assert len(cluster.scheduled) == 2  # the first attempt and one retry


def test_a_crawler_without_heartbeat_is_failed_and_its_company_unblocked(stores):
    store = stores[0]
    cluster = ScriptedCluster()
    monitor = _monitor(store, cluster)
    # A command-line crawl (no scrapyd node) that stopped reporting, and a live one.
    dead = store.create_crawl_run({"company": "Acme"}, "alice", "cli")
    store.update_crawl_run(dead, status="running")
    live = store.create_crawl_run({"company": "Beta"}, "alice", "cli")
    store.update_crawl_run(live, status="running")
    with store._write() as cur:
        cur.execute("UPDATE crawl_runs SET updated_at = %s WHERE id = %s",
                    [store._ts_in(utcnow() - timedelta(minutes=30)), dead])
    result = monitor.tick()
    assert result["died"] == 1
    assert store.get_crawl_run(dead)["status"] == "failed"
    assert store.get_crawl_run(live)["status"] == "running"
    again = monitor.service.start(CrawlArgs(company="Acme"), "user:2")
    assert not again.existing and again.crawl_id != dead
