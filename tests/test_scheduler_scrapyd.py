"""The scheduler against REAL scrapyd nodes: a due company goes to the least busy node that takes it."""
from __future__ import annotations

from datetime import timedelta

import pytest

from api.crawls import CrawlService
from api.nodes import ScrapydCluster
from jobos.scheduler import Scheduler, SchedulePolicy
from jobos.store import open_store
from jobos.store.common import utcnow
from tests.pg import free_port
from tests.test_scrapyd_nodes import CREDS, _load_until_busier, _node, egg  # noqa: F401 - egg is a fixture

pytestmark = pytest.mark.slow


def _due(store, name: str, domain: str) -> int:
    cid = store.upsert_company(name, domain, f"greenhouse:{domain.split('.')[0]}",
                               f"https://boards.greenhouse.io/{domain.split('.')[0]}")
    with store._write() as cur:
        cur.execute("UPDATE companies SET last_crawl_at = %s WHERE id = %s",
                    [store._ts_in(utcnow() - timedelta(days=3)), cid])
    return cid


def test_scheduler_sends_a_due_company_to_the_least_busy_node_and_fails_over(tmp_path_factory, egg, tmp_path):  # noqa: F811
    busy = _node(tmp_path_factory, "sched-busy", egg)
    idle = _node(tmp_path_factory, "sched-idle", egg)
    # Answers daemonstatus with nothing queued (the least busy), but has no project: refuses.
    empty = _node(tmp_path_factory, "sched-empty", egg, deploy=False)
    store = open_store(data_dir=str(tmp_path))
    try:
        _load_until_busier(busy.url, idle.url, "sched")
        dead = f"http://127.0.0.1:{free_port()}"  # nothing listens: down
        cluster = ScrapydCluster([dead, busy.url, empty.url, idle.url], auth=CREDS)
        up, down = cluster.ranked()
        assert up[0].url == empty.url and dead in down  # the least busy answering node would refuse
        cid = _due(store, "Acme Robotics", "acme.example")
        scheduler = Scheduler(store, CrawlService(store, cluster), SchedulePolicy())

        result = scheduler.tick()
        assert (result["due"], result["started"]) == (1, 1), result
        run = store.list_crawl_runs()[0]
        assert run["requested_by"] == "scheduler" and run["node"] == idle.url, run
        pending = cluster.listjobs(idle.url)["pending"]
        assert run["scrapyd_job_id"] in {j["id"] for j in pending}
        assert run["scrapyd_job_id"] not in {j["id"] for j in cluster.listjobs(busy.url)["pending"]}
        assert store.get_company(cid)["scheduled_run_id"] == run["id"]

        # Once the idle node is the busier one, the next due company goes to the other.
        _load_until_busier(idle.url, busy.url, "sched-2")
        _due(store, "Beta Labs", "beta.example")
        assert scheduler.tick()["started"] == 1
        second = store.list_crawl_runs()[0]
        assert second["args"]["company"] == "Beta Labs" and second["node"] == busy.url, second
    finally:
        store.close()
        for node in (busy, idle, empty):
            node.stop()
