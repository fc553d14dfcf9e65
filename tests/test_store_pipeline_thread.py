"""StorePipeline writes in its own thread: items pass while the database is held up.

The test holds the lock every upsert of the board needs (SQLite's write lock; on PostgreSQL the
board's advisory lock), while a crawl (a subprocess; `python tests/test_store_pipeline_thread.py
CONFIG` runs one) yields its items. Every item must come out of the pipeline while no write can
finish; once the lock is released, every job must be stored and counted.
"""
from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
import time
import zlib
from pathlib import Path

import scrapy

from tests.pg import pg_cluster, pg_url, store_backend  # noqa: F401 - fixtures
from tests.test_store_pipeline import REPO, finish, make_jobs, open_, wait_for

BOARD = "greenhouse:acme"


class HeldUpSpider(scrapy.Spider):
    """Waits for the test to take the lock, yields its jobs, then reports how many passed."""

    name = "store_held_up"

    def __init__(self, jobs: list, signal_dir: str, **kwargs) -> None:
        super().__init__(**kwargs)
        from jobos.args import parse_crawl_args

        self.args = parse_crawl_args({"company": "Acme GmbH"})
        self.jobs = jobs
        self.signals_at = Path(signal_dir)

    async def start(self):
        from jobos.items import JobItem

        (self.signals_at / "ready").touch()
        await _until(lambda: (self.signals_at / "locked").exists())
        for job in self.jobs:
            yield JobItem(**job)
        passed = lambda: self.crawler.stats.get_value("item_scraped_count", 0)  # noqa: E731
        await _until(lambda: passed() >= len(self.jobs), timeout=60)
        (self.signals_at / "passed").write_text(str(passed()))
        await _until(lambda: (self.signals_at / "go").exists())


async def _until(condition, timeout: float = 120.0) -> None:
    import asyncio

    deadline = time.monotonic() + timeout
    while not condition() and time.monotonic() < deadline:
        await asyncio.sleep(0.05)


def _crawl_main(config: dict) -> None:
    from scrapy.crawler import CrawlerProcess

    process = CrawlerProcess({
        "ITEM_PIPELINES": {"jobos.store.pipeline.StorePipeline": 700},
        "DATABASE_URL": config.get("database_url"),
        "JOBOS_DATA_DIR": config["data_dir"],
        "JOBOS_STORE_BATCH": 10,
        "LOG_LEVEL": "INFO",
        "TELNETCONSOLE_ENABLED": False,
    })
    crawler = process.create_crawler(HeldUpSpider)
    process.crawl(crawler, **config["spider"])
    process.start()
    print("STATS " + json.dumps(crawler.stats.get_stats(), default=str), flush=True)


class _Lock:
    """Holds what an upsert of BOARD must wait for, from the test process."""

    def __init__(self, backend: dict) -> None:
        self.backend = backend
        self.conn = None

    def take(self) -> None:
        if self.backend["database_url"]:
            import psycopg

            from jobos.store.postgres import BOARD_LOCK_SPACE

            self.conn = psycopg.connect(self.backend["database_url"], autocommit=True)
            key = zlib.crc32(BOARD.encode("utf-8")) - 2**31
            self.conn.execute("SELECT pg_advisory_lock(%s, %s)", [BOARD_LOCK_SPACE, key])
        else:
            self.conn = sqlite3.connect(Path(self.backend["data_dir"]) / "jobos.sqlite3",
                                        isolation_level=None)
            self.conn.execute("BEGIN IMMEDIATE")

    def stored(self) -> int:
        return self.conn.execute("SELECT count(*) FROM jobs").fetchone()[0]

    def release(self) -> None:
        if self.conn is not None:
            if not self.backend["database_url"]:
                self.conn.rollback()
            self.conn.close()
            self.conn = None


def test_items_pass_the_pipeline_while_the_database_is_held_up(store_backend, tmp_path):
    open_(store_backend).close()  # schema in place before the crawl
    signals = tmp_path / "signals"
    signals.mkdir()
    jobs = make_jobs(range(40))
    proc = _start(store_backend, jobs, signals)
    lock = _Lock(store_backend)
    try:
        wait_for(lambda: (signals / "ready").exists() or proc.poll() is not None, "the crawl to start")
        lock.take()
        (signals / "locked").touch()
        wait_for(lambda: (signals / "passed").exists() or proc.poll() is not None,
                 "the crawl's items to pass the pipeline", timeout=120)
        assert (signals / "passed").read_text() == "40"  # every item, none waited for a write
        assert lock.stored() == 0  # and no write could have finished
    finally:
        lock.release()
        (signals / "go").touch()
    stats, err = finish(proc)
    assert stats["jobos/store/new"] == 40 and "jobos/store/errors" not in stats, err[-2000:]
    store = open_(store_backend)
    try:
        assert store.job_count() == 40
    finally:
        store.close()


def _start(backend: dict, jobs: list, signals: Path) -> subprocess.Popen:
    config = {"database_url": backend["database_url"], "data_dir": backend["data_dir"],
              "spider": {"jobs": jobs, "signal_dir": str(signals)}}
    path = signals / "config.json"
    path.write_text(json.dumps(config))
    env = {**os.environ, "PYTHONPATH": str(REPO), "JOBOS_DB_TIMEOUT": "2"}
    env.pop("DATABASE_URL", None)
    return subprocess.Popen([sys.executable, __file__, str(path)], cwd=REPO, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


if __name__ == "__main__":
    _crawl_main(json.loads(Path(sys.argv[1]).read_text()))
