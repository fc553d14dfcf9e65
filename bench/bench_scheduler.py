"""Benchmark one refresh-scheduler pass over many companies, on SQLite and (when present) Postgres.

Prints, per backend: the time of one pass (read the companies that may be due, judge, pick the
due ones, start a batch through a scripted scrapyd) next to a bare read of every company's
schedule row in the same run, and their ratio; and how a fleet added at one instant is spread
over the next day (companies due in the busiest minute and hour, against all at once without
the jitter).

    .venv/bin/python bench/bench_scheduler.py [--companies 50000] [--batch 20]
"""
from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections import Counter
from datetime import timedelta
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from api.crawls import CrawlService  # noqa: E402
from jobos.scheduler import Scheduler, SchedulePolicy, next_refresh_at  # noqa: E402
from jobos.store import open_store  # noqa: E402
from jobos.store.common import utcnow  # noqa: E402
from jobos.store.schedule import _SCHEDULE_COLUMNS  # noqa: E402


class ScriptedNodes:
    """Answers like one idle scrapyd node."""

    urls = ["http://127.0.0.1:6800"]

    def ranked(self):
        return [object()], {}

    def schedule(self, spider, args, jobid):
        return self.urls[0], jobid


def fill(store, n: int) -> None:
    now = utcnow()
    rows = []
    for i in range(n):
        # A quarter were last crawled two days ago (due), the rest within the last hours.
        last = now - (timedelta(days=2) if i % 4 == 0 else timedelta(minutes=i % 600))
        rows.append((f"Company {i}", f"company {i}", f"c{i}.example", store._ts_in(last), store._ts_in(now),
                     store._ts_in(now)))
    with store._write() as cur:
        cur.executemany("INSERT INTO companies (name, normalized_name, domain, last_crawl_at, created_at, updated_at)"
                        " VALUES (%s, %s, %s, %s, %s, %s)", rows)


def bench(label: str, store, n: int, batch: int) -> None:
    fill(store, n)
    t0 = time.perf_counter()
    with store._read() as cur:
        cur.execute(f"SELECT {_SCHEDULE_COLUMNS} FROM companies ORDER BY id")
        cur.fetchall()
    bare = time.perf_counter() - t0
    scheduler = Scheduler(store, CrawlService(store, ScriptedNodes()), SchedulePolicy(batch=batch))
    t0 = time.perf_counter()
    result = scheduler.tick()
    tick = time.perf_counter() - t0
    print(f"{label:9} {n:>7} companies: pass {tick * 1000:8.1f} ms (due {result['due']}, started "
          f"{result['started']}); bare read of every row {bare * 1000:7.1f} ms; ratio {tick / bare:5.1f}x")


def spread(n: int) -> None:
    policy = SchedulePolicy()
    at = utcnow()
    times = [next_refresh_at({"id": i, "last_crawl_at": at}, policy) for i in range(1, n + 1)]
    minute = Counter(t.replace(second=0, microsecond=0) for t in times)
    hour = Counter(t.replace(minute=0, second=0, microsecond=0) for t in times)
    print(f"spread of {n} companies crawled at one instant: busiest minute {max(minute.values())}, "
          f"busiest hour {max(hour.values())} (without jitter: all {n} in one minute); "
          f"ratio busiest minute / even share {max(minute.values()) / (n / 1440):.1f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--companies", type=int, default=50_000)
    parser.add_argument("--batch", type=int, default=20)
    args = parser.parse_args()
    spread(args.companies)
    with tempfile.TemporaryDirectory() as tmp:
        store = open_store(data_dir=tmp, database_url=None)
        try:
            bench("sqlite", store, args.companies, args.batch)
        finally:
            store.close()
    from tests.pg import PgCluster, postgres_missing

    if postgres_missing():
        print(f"postgres: skipped ({postgres_missing()})")
        return
    with PgCluster() as cluster:
        store = open_store(database_url=cluster.create_database())
        try:
            bench("postgres", store, args.companies, args.batch)
        finally:
            store.close()


if __name__ == "__main__":
    main()
