"""Benchmark the store: upsert N generated jobs, re-upsert with 5% changed, next to a bare copy.

Prints jobs/s for the first upsert and the re-upsert on PostgreSQL (a throwaway cluster started
here with tests/pg.py) and SQLite, each next to a plain bulk load of the same rows into a
scratch table on the same database in the same run (COPY for Postgres, executemany for SQLite)
and the ratio. Goal: upserts at least a third of the bulk load's rate.

    .venv/bin/python bench/bench_store.py [--jobs 100000] [--batch 1000] [--only pg|sqlite]
        [--language en] [--change title|location] [--breakdown]

--change location makes the re-upsert's changes leave the words as they were (a job moved).
--language gives every job a posting language (Postgres then adds that language's stems to
the search vector, as for crawled jobs whose language is known). --breakdown prints, for each
Postgres upsert, where the time went: CPU of the client process and of the server processes
serving it (from /proc, so it is the work done, whatever the machine's load; the background
processes' CPU, autovacuum's among it, apart), and each statement's server time from
pg_stat_statements.
"""
from __future__ import annotations

import argparse
import os
import random
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from jobos.store import open_store  # noqa: E402
from jobos.store.base import CONTENT_FIELDS  # noqa: E402

WORDS = ("python engineer data platform backend frontend senior junior sales manager cloud "
         "security analyst product design mobile devops support finance legal research").split()


def generate(n: int, seed: int = 1) -> list[dict]:
    """Return n realistic-looking job records over 50 boards."""
    rnd = random.Random(seed)
    jobs = []
    for i in range(n):
        title = " ".join(rnd.choice(WORDS) for _ in range(3)).title()
        jobs.append({
            "board": f"greenhouse:company{i % 50}", "company": f"Company {i % 50}",
            "company_domain": f"company{i % 50}.com", "source": "greenhouse", "method": "api",
            "external_id": str(1_000_000 + i), "title": title,
            "url": f"https://boards.greenhouse.io/company{i % 50}/jobs/{1_000_000 + i}",
            "location": "Berlin, Germany", "city": "Berlin", "country": rnd.choice(["DE", "US", "GB"]),
            "workplace": rnd.choice(["onsite", "hybrid", "remote"]), "employment_type": "FULL_TIME",
            "salary_min": 50_000 + i % 1000, "salary_max": 80_000 + i % 1000, "salary_currency": "EUR",
            "salary_period": "YEAR", "posted_at": f"2024-0{1 + i % 9}-{1 + i % 28:02d}",
            "description": " ".join(rnd.choice(WORDS) for _ in range(120)),
            "scraped_at": "2024-04-01T10:00:00Z", "extraction_pending": False,
        })
    return jobs


def changed(jobs: list[dict], share: float = 0.05, seed: int = 2, field: str = "title") -> list[dict]:
    rnd = random.Random(seed)
    out = [dict(j, scraped_at="2024-04-02T10:00:00Z") for j in jobs]
    for j in rnd.sample(out, int(len(out) * share)):
        j[field] = j[field] + " II"
    return out


def upsert_all(store, jobs: list[dict], batch: int) -> float:
    start = time.perf_counter()
    for i in range(0, len(jobs), batch):
        store.upsert_jobs(jobs[i:i + batch], 1)
    return time.perf_counter() - start


def server_cpu(datadir: Path) -> tuple[float, float]:
    """Return the CPU seconds the cluster used so far: (sessions, background). Sessions are the
    processes serving connections; background is the rest (autovacuum, checkpointer, writer,
    children already gone), which runs when it will and would blur a comparison."""
    ticks = os.sysconf("SC_CLK_TCK")
    master = int((datadir / "postmaster.pid").read_text().split()[0])
    sessions = background = 0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
            pid, ppid = int(stat.parent.name), int(fields[1])
            if pid == master:
                background += sum(int(f) for f in fields[11:15])  # utime stime cutime cstime
            elif ppid == master:
                title = (stat.parent / "cmdline").read_bytes()
                used = int(fields[11]) + int(fields[12])
                if b"127.0.0.1(" in title or b"[local]" in title:
                    sessions += used
                else:
                    background += used
        except (OSError, IndexError, ValueError):
            continue  # ended meanwhile
    return sessions / ticks, background / ticks


def statement_label(query: str) -> str:
    """Return a short name for a statement of the store (what it does, not its text)."""
    for needle, label in (("pg_advisory_xact_lock", "board locks"),
                          ("SET last_seen", "touch unchanged jobs"),
                          ("WITH ORDINALITY", "tell changed from new"),
                          ("WITH old AS", "merge changed/closed jobs (+ vectors)"),
                          ("COPY jobs ", "COPY new jobs (+ trigger: vectors)"),
                          ("COPY job_history", "COPY history rows"),
                          ("COPY jobos_stage", "COPY changed jobs to stage"),
                          ("CREATE TEMP", "stage table"),
                          ("FROM companies", "company ids"),
                          ("posted_at FROM jobs", "relative dates")):
        if needle in query:
            return label
    return " ".join(query.split())[:40]


class Breakdown:
    """Where one phase's time went: client and server CPU, and server time per statement."""

    def __init__(self, url: str, datadir: Path) -> None:
        import psycopg

        self.conn = psycopg.connect(url, autocommit=True)
        self.datadir = datadir
        self.baseline_cpu: float | None = None  # the first phase reported
        self.conn.execute("CREATE EXTENSION IF NOT EXISTS pg_stat_statements")

    def start(self) -> None:
        self.conn.execute("SELECT pg_stat_statements_reset()")
        self.autovacuums = self._autovacuums()
        self.cpu = (time.process_time(), server_cpu(self.datadir))

    def _autovacuums(self) -> int:
        # The server's CPU includes autovacuum's, which runs when it will: say when it did.
        self.conn.execute("SELECT pg_stat_clear_snapshot()")
        row = self.conn.execute("SELECT coalesce(sum(autovacuum_count + autoanalyze_count), 0)"
                                " FROM pg_stat_user_tables").fetchone()
        return int(row[0])

    def report(self, title: str, n: int, wall: float) -> None:
        sessions, background = server_cpu(self.datadir)
        client = time.process_time() - self.cpu[0]
        server, background = sessions - self.cpu[1][0], background - self.cpu[1][1]
        if self.baseline_cpu is None:
            self.baseline_cpu = client + server
        ratio = f"; CPU ratio {self.baseline_cpu / (client + server):.2f} of the baseline's"
        autovacuums = self._autovacuums() - self.autovacuums
        if autovacuums:
            ratio += f"; {autovacuums} autovacuum/autoanalyze runs"
        rows = self.conn.execute("SELECT query, calls, total_exec_time FROM pg_stat_statements"
                                 " WHERE query NOT LIKE '%pg_stat_statements%'").fetchall()
        by_label: dict[str, list[float]] = {}
        for query, calls, ms in rows:
            entry = by_label.setdefault(statement_label(query), [0, 0.0])
            entry[0] += calls
            entry[1] += ms
        print(f"\n{title}: {1e6 * wall / n:.1f} us/job wall, {1e6 * client / n:.1f} us/job client CPU"
              f" (records, rows, protocol), {1e6 * server / n:.1f} us/job server CPU{ratio};"
              f" not counted: {1e6 * background / n:.1f} us/job of the server's background processes")
        for label, (calls, ms) in sorted(by_label.items(), key=lambda kv: -kv[1][1]):
            if ms * 1000 / n >= 0.1:
                print(f"  {1000 * ms / n:7.1f} us/job server time  {calls:6} calls  {label}")

    def close(self) -> None:
        self.conn.close()


def scratch_rows(jobs: list[dict]) -> list[tuple]:
    return [(j["board"], *(j.get(f) for f in CONTENT_FIELDS)) for j in jobs]


def bench_pg(jobs: list[dict], batch: int, breakdown: bool = False, field: str = "title") -> list[tuple]:
    import psycopg

    from tests.pg import PgCluster

    # shared_buffers as a server for this table size would have it (the 128 MB default is
    # smaller than 100,000 jobs and their indexes): else every batch evicts the previous
    # batch's dirty pages before reading its own, which measures the default, not the store.
    settings = {"shared_buffers": "1GB"}
    if breakdown:
        settings["shared_preload_libraries"] = "pg_stat_statements"
    with PgCluster(settings=settings) as cluster:
        url = cluster.create_database("bench")
        store = open_store(url)
        try:
            cols = ", ".join(f"{f} text" for f in ("board", *CONTENT_FIELDS))
            rows = scratch_rows(jobs)
            probe = Breakdown(url, cluster.datadir) if breakdown else None
            with psycopg.connect(url) as conn:
                conn.execute(f"CREATE TABLE scratch ({cols})")
                if probe:
                    probe.start()
                start = time.perf_counter()
                with conn.cursor() as cur, cur.copy("COPY scratch FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row([None if v is None else str(v) for v in row])
                conn.commit()
                copy_s = time.perf_counter() - start
                if probe:  # while its session lives (its CPU is read from its process)
                    probe.report("COPY into scratch (baseline)", len(jobs), copy_s)
            if probe:
                probe.start()
            first = upsert_all(store, jobs, batch)
            if probe:
                probe.report("first upsert", len(jobs), first)
                probe.start()
            second = upsert_all(store, changed(jobs, field=field), batch)
            if probe:
                probe.report("5%-changed re-upsert", len(jobs), second)
                probe.close()
        finally:
            store.close()
    return [("postgres", "COPY into scratch", copy_s, first, second)]


def bench_sqlite(jobs: list[dict], batch: int, field: str = "title") -> list[tuple]:
    import sqlite3

    with tempfile.TemporaryDirectory() as tmp:
        store = open_store(data_dir=tmp, database_url=None)
        try:
            conn = sqlite3.connect(store.path)
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=NORMAL")
            cols = ", ".join(("board", *CONTENT_FIELDS))
            conn.execute(f"CREATE TABLE scratch ({cols})")
            rows = [tuple(None if v is None else str(v) for v in r) for r in scratch_rows(jobs)]
            marks = ", ".join("?" * (len(CONTENT_FIELDS) + 1))
            start = time.perf_counter()
            with conn:
                conn.executemany(f"INSERT INTO scratch VALUES ({marks})", rows)
            bulk_s = time.perf_counter() - start
            conn.close()
            first = upsert_all(store, jobs, batch)
            second = upsert_all(store, changed(jobs, field=field), batch)
        finally:
            store.close()
    return [("sqlite", "executemany into scratch", bulk_s, first, second)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--jobs", type=int, default=100_000)
    parser.add_argument("--batch", type=int, default=1000)
    parser.add_argument("--only", choices=("pg", "sqlite"))
    parser.add_argument("--language", help="every job's posting language (ISO 639-1), e.g. en")
    parser.add_argument("--change", choices=("title", "location"), default="title",
                        help="the field the re-upsert changes in 5%% of the jobs")
    parser.add_argument("--breakdown", action="store_true",
                        help="print where each Postgres upsert's time went")
    args = parser.parse_args()
    jobs = generate(args.jobs)
    if args.language:
        for job in jobs:
            job["language"] = args.language
    results = []
    if args.only != "sqlite":
        results += bench_pg(jobs, args.batch, args.breakdown, args.change)
    if args.only != "pg":
        results += bench_sqlite(jobs, args.batch, args.change)
    n = len(jobs)
    print(f"\n{n:,} jobs, batches of {args.batch}")
    print(f"{'backend':10} {'baseline':28} {'base jobs/s':>12} {'upsert jobs/s':>14} {'ratio':>6}"
          f" {'re-upsert 5% jobs/s':>20} {'ratio':>6}")
    for backend, label, base, first, second in results:
        print(f"{backend:10} {label:28} {n / base:12,.0f} {n / first:14,.0f} {base / first:6.2f}"
              f" {n / second:20,.0f} {base / second:6.2f}")
    print("goal: ratio (upsert rate / baseline rate) >= 0.33")


if __name__ == "__main__":
    main()
