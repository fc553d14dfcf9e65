"""StorePipeline + CrawlRunExtension in real Scrapy crawls (subprocesses), on both backends.

The crawls run a small spider (defined here; `python tests/test_store_pipeline.py CONFIG`
runs one) whose start() yields job items, through the real pipeline and extension.
"""
from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
import scrapy

from tests.pg import free_port, pg_cluster, pg_url, store_backend  # noqa: F401 - fixtures

REPO = Path(__file__).resolve().parent.parent
BOARD = "greenhouse:acme"


class ItemsSpider(scrapy.Spider):
    """Yields the job items it is given, optionally slowly, then ends as told."""

    name = "store_items"

    def __init__(self, jobs: list, country: str | None = None, crawl_id: int | None = None,
                 partial: bool = False, delay: float = 0.0, company: str = "Acme GmbH",
                 signal_dir: str | None = None, pause_at: int | None = None, notice_at: int | None = None,
                 notice_stat: str | None = None, **kwargs) -> None:
        super().__init__(**kwargs)
        from datetime import datetime, timezone

        # Handshake with the test through files in signal_dir, so a test acts on a condition
        # (the crawl reached a point; the crawl noticed an outage) instead of sleeping and hoping:
        # before item `pause_at` write `paused` and wait for `go`; before item `notice_at`
        # (len(jobs): after the last) wait until the stat `notice_stat` is set, then write `noticed`.
        self.signal_dir = Path(signal_dir) if signal_dir else None
        self.pause_at, self.notice_at, self.notice_stat = pause_at, notice_at, notice_stat
        from jobos.args import parse_crawl_args

        self.args = parse_crawl_args({"company": company, "country": country, "crawl_id": crawl_id})
        self.crawl_time = datetime.now(timezone.utc)
        self.jobs = jobs
        self.partial = partial
        self.delay = delay
        self.current_step = "discovery"
        self.discovery_result = {"careers_url": "https://acme.com/careers", "board": BOARD,
                                 "reason": "linked from the careers page"}

    async def start(self):
        from jobos.items import JobItem

        self.current_step = "board"
        for i, job in enumerate(self.jobs):
            await self._handshake(i)
            if self.delay:
                await asyncio.sleep(self.delay)
            yield JobItem(**job)
        await self._handshake(len(self.jobs))

    async def _handshake(self, i: int) -> None:
        if self.signal_dir is None:
            return
        if i == self.pause_at:
            (self.signal_dir / "paused").touch()
            await _until(lambda: (self.signal_dir / "go").exists(), "the test's go")
        if i == self.notice_at:
            await _until(lambda: self.crawler.stats.get_value(self.notice_stat), self.notice_stat)
            (self.signal_dir / "noticed").touch()


async def _until(condition, what: str, timeout: float = 90.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise RuntimeError(f"timed out waiting for {what}")
        await asyncio.sleep(0.05)


def wait_for(condition, what: str, timeout: float = 90.0) -> None:
    """Wait (in the test) until condition() is true."""
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.05)


def _crawl_main(config: dict) -> None:
    from scrapy.crawler import CrawlerProcess

    process = CrawlerProcess({
        "ITEM_PIPELINES": {"jobos.store.pipeline.StorePipeline": 700},
        "EXTENSIONS": {"jobos.store.progress.CrawlRunExtension": 500},
        "DATABASE_URL": config.get("database_url"),
        "JOBOS_DATA_DIR": config["data_dir"],
        "JOBOS_STORE_BATCH": config.get("batch", 10),
        "JOBOS_STORE_CLOSE_WAIT": config.get("close_wait", 20),
        "JOBOS_STORE_RETRY_MAX_DELAY": 1.0,
        "JOBOS_PROGRESS_INTERVAL": 0.5,
        "LOG_LEVEL": "INFO",
        "TELNETCONSOLE_ENABLED": False,
    })
    crawler = process.create_crawler(ItemsSpider)
    process.crawl(crawler, **config["spider"])
    process.start()
    stats = {k: v for k, v in crawler.stats.get_stats().items()}
    print("STATS " + json.dumps(stats, default=str), flush=True)


def make_jobs(ids, **over) -> list[dict]:
    from tests.test_store import make_job

    return [make_job(i, **over) for i in ids]


def start_crawl(backend: dict, jobs: list, **spider) -> subprocess.Popen:
    config = {"database_url": backend["database_url"], "data_dir": backend["data_dir"],
              "spider": {"jobs": jobs, **spider}}
    config.update(spider.pop("_config", {}))
    env = {**os.environ, "PYTHONPATH": str(REPO), "JOBOS_DB_TIMEOUT": "2"}
    env.pop("DATABASE_URL", None)
    import tempfile

    fd, path = tempfile.mkstemp(suffix=".json", dir=backend["data_dir"])
    with os.fdopen(fd, "w") as fh:
        json.dump(config, fh)
    return subprocess.Popen([sys.executable, __file__, path], cwd=REPO, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def finish(proc: subprocess.Popen) -> tuple[dict, str]:
    out, err = proc.communicate(timeout=180)
    assert proc.returncode == 0, err[-3000:]
    line = [ln for ln in out.splitlines() if ln.startswith("STATS ")][-1]
    return json.loads(line[6:]), err


def crawl(backend: dict, jobs: list, **spider) -> tuple[dict, str]:
    return finish(start_crawl(backend, jobs, **spider))


def _count_jobs(backend) -> int:
    import psycopg

    try:
        with psycopg.connect(backend["database_url"], connect_timeout=2) as conn:
            return conn.execute("SELECT count(*) FROM jobs").fetchone()[0]
    except psycopg.Error:
        return -1


def open_(backend):
    from jobos.store import open_store

    return open_store(**backend)


def test_crawls_store_jobs_track_runs_and_close_only_when_complete(store_backend):
    stats, _ = crawl(store_backend, make_jobs(range(30)))
    assert stats["jobos/store/new"] == 30 and "jobos/store/errors" not in stats
    store = open_(store_backend)
    try:
        assert store.job_count("open") == 30
        run = store.get_crawl_run(stats["jobos/crawl_id"])
        assert run["status"] == "finished" and run["source"] == "cli"
        assert (run["found"], run["new"], run["step"]) == (30, 30, "board")
        assert run["args"]["company"] == "Acme GmbH" and run["finished_at"]
        company = store.list_companies(q="acme")["items"][0]
        assert company["board"] == BOARD and company["reason"] == "linked from the careers page"
        assert company["open_jobs"] == 30

        # Same jobs again: nothing new, nothing changed.
        stats, _ = crawl(store_backend, make_jobs(range(30)))
        assert stats["jobos/store/unchanged"] == 30 and "jobos/store/new" not in stats

        # A cut-short crawl that saw only 10 jobs closes nothing.
        stats, _ = crawl(store_backend, make_jobs(range(10)), partial=True)
        assert "jobos/store/closed" not in stats
        assert store.job_count("open") == 30
        assert store.get_crawl_run(stats["jobos/crawl_id"])["status"] == "partial"

        # A complete DE crawl without jobs 25-29 closes them; the API's crawl id is used.
        api_run = store.create_crawl_run({"company": "Acme GmbH", "country": "DE"}, "bob", "api")
        stats, _ = crawl(store_backend, make_jobs(range(25)), country="DE", crawl_id=api_run)
        assert stats["jobos/crawl_id"] == api_run and stats["jobos/store/closed"] == 5
        run = store.get_crawl_run(api_run)
        assert run["status"] == "finished" and run["closed"] == 5 and run["unchanged"] == 25
        assert store.job_count("open") == 25
    finally:
        store.close()


def test_two_processes_write_one_store_at_once(store_backend):
    # Same board from both crawls (overlapping jobs) plus a board each: real contention.
    a = make_jobs(range(0, 400)) + make_jobs(range(400), board="lever:a")
    b = make_jobs(range(200, 600)) + make_jobs(range(400), board="lever:b")
    # Two companies (one crawl of a company at a time is refused by design) on shared boards.
    procs = [start_crawl(store_backend, a), start_crawl(store_backend, b, company="Acme Two")]
    results = [finish(p) for p in procs]
    for stats, err in results:
        assert "jobos/store/errors" not in stats, err[-2000:]
        assert "locked" not in err and "deadlock" not in err
    store = open_(store_backend)
    try:
        assert store.job_count() == 600 + 400 + 400
        with store._read() as cur:
            cur.execute("SELECT count(*) AS n FROM job_history")
            assert cur.fetchone()["n"] == 0
    finally:
        store.close()
    written = sum(s.get("jobos/store/new", 0) + s.get("jobos/store/unchanged", 0) for s, _ in results)
    assert written == len(a) + len(b)


def test_an_overlapping_crawl_never_closes_what_another_crawl_saw_meanwhile(store_backend):
    crawl(store_backend, make_jobs(range(10)))
    # A: a slow, complete crawl whose listing no longer has job 9.
    a = start_crawl(store_backend, make_jobs(range(9)), delay=1.0)
    time.sleep(1.5)
    # B: another user's crawl of the same board (under another name, so not refused), started
    # after A, sees job 9 again and a new job 10; it is cut short, so it closes nothing itself.
    stats_b, _ = crawl(store_backend, make_jobs([9, 10]), company="Acme Two", partial=True)
    assert stats_b.get("jobos/store/unchanged") == 1 and stats_b.get("jobos/store/new") == 1
    stats_a, _ = finish(a)
    assert a.returncode == 0
    store = open_(store_backend)
    try:
        run_a = store.get_crawl_run(stats_a["jobos/crawl_id"])
        run_b = store.get_crawl_run(stats_b["jobos/crawl_id"])
        assert run_b["finished_at"] < run_a["finished_at"]  # B ended while A still ran
        assert "jobos/store/closed" not in stats_a
        assert store.job_count("open") == 11
    finally:
        store.close()


@pytest.mark.postgres
def test_postgres_restarted_mid_crawl_loses_nothing(pg_cluster, pg_url, tmp_path):
    backend = {"database_url": pg_url, "data_dir": str(tmp_path)}
    open_(backend).close()  # schema in place before the crawl
    signals = tmp_path / "signals"
    signals.mkdir()
    proc = start_crawl(backend, make_jobs(range(200)), signal_dir=str(signals), pause_at=100,
                       notice_at=112, notice_stat="jobos/store/errors")
    # Half the jobs are yielded and written; then the server goes down, the next batch (jobs
    # 100-109) fails to be written, and the server stays down until the crawl has noticed that,
    # then comes back while the rest are yielded.
    wait_for(lambda: (signals / "paused").exists(), "the crawl to reach job 100")
    wait_for(lambda: _count_jobs(backend) == 100, "the first 100 jobs to be written")
    pg_cluster.stop()
    try:
        (signals / "go").touch()
        wait_for(lambda: (signals / "noticed").exists() or proc.poll() is not None,
                 "the crawl to notice the outage")
    finally:
        pg_cluster.start()
    stats, err = finish(proc)
    store = open_(backend)
    try:
        assert store.job_count() == 200
        run = store.get_crawl_run(stats["jobos/crawl_id"])
        assert run["status"] == "finished"
        assert stats.get("jobos/store/errors", 0) >= 1, "the outage was not noticed"
        assert "store_write" in (run["error_summary"] or "")  # the run records what happened
    finally:
        store.close()
    assert not list((tmp_path / "store-spill").glob("*.jsonl"))


@pytest.mark.postgres
def test_records_spill_to_disk_and_are_written_at_next_start(pg_url, tmp_path):
    down = {"database_url": f"postgresql://postgres@127.0.0.1:{free_port()}/none",
            "data_dir": str(tmp_path)}
    stats, _ = crawl(down, make_jobs(range(25)), _config={"close_wait": 1})
    assert stats["jobos/store/spilled"] == 25
    spilled = list((tmp_path / "store-spill").glob("*.jsonl"))
    assert spilled and sum(len(p.read_text().splitlines()) for p in spilled) == 25

    up = {"database_url": pg_url, "data_dir": str(tmp_path)}
    stats, _ = crawl(up, make_jobs(range(25, 30)))
    assert stats["jobos/store/replayed"] == 25
    store = open_(up)
    try:
        assert store.job_count() == 30
    finally:
        store.close()
    assert not list((tmp_path / "store-spill").iterdir())


if __name__ == "__main__":
    _crawl_main(json.loads(Path(sys.argv[1]).read_text()))


@pytest.mark.postgres
def test_a_crawl_started_while_postgres_is_down_still_gets_its_run_row(pg_cluster, pg_url, tmp_path):
    backend = {"database_url": pg_url, "data_dir": str(tmp_path)}
    open_(backend).close()  # schema in place
    pg_cluster.stop()
    try:
        signals = tmp_path / "signals"
        signals.mkdir()
        # The server stays down until the crawl has opened and failed to create its run row.
        proc = start_crawl(backend, make_jobs(range(150)), signal_dir=str(signals), notice_at=0,
                           notice_stat="jobos/progress/errors")
        wait_for(lambda: (signals / "noticed").exists() or proc.poll() is not None,
                 "the crawl to fail creating its run row")
    finally:
        pg_cluster.start()
    stats, err = finish(proc)
    store = open_(backend)
    try:
        assert store.job_count() == 150, err[-2000:]
        assert stats.get("jobos/progress/errors", 0) >= 1, "the outage at start was not noticed"
        run = store.get_crawl_run(stats["jobos/crawl_id"])
        assert run is not None and run["status"] == "finished"
        assert run["found"] == 150
    finally:
        store.close()
