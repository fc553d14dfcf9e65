"""Benchmark the store: upsert N generated jobs, re-upsert with 5% changed, next to a bare copy.

Prints jobs/s for the first upsert and the re-upsert on PostgreSQL (a throwaway cluster started
here with tests/pg.py) and SQLite, each next to a plain bulk load of the same rows into a
scratch table on the same database in the same run (COPY for Postgres, executemany for SQLite)
and the ratio. Goal: upserts at least a third of the bulk load's rate.

    .venv/bin/python bench/bench_store.py [--jobs 100000] [--batch 1000] [--only pg|sqlite]
"""
from __future__ import annotations

import argparse
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


def changed(jobs: list[dict], share: float = 0.05, seed: int = 2) -> list[dict]:
    rnd = random.Random(seed)
    out = [dict(j, scraped_at="2024-04-02T10:00:00Z") for j in jobs]
    for j in rnd.sample(out, int(len(out) * share)):
        j["title"] = j["title"] + " II"
    return out


def upsert_all(store, jobs: list[dict], batch: int) -> float:
    start = time.perf_counter()
    for i in range(0, len(jobs), batch):
        store.upsert_jobs(jobs[i:i + batch], 1)
    return time.perf_counter() - start


def scratch_rows(jobs: list[dict]) -> list[tuple]:
    return [(j["board"], *(j.get(f) for f in CONTENT_FIELDS)) for j in jobs]


def bench_pg(jobs: list[dict], batch: int) -> list[tuple]:
    import psycopg

    from tests.pg import PgCluster

    # shared_buffers as a server for this table size would have it (the 128 MB default is
    # smaller than 100,000 jobs and their indexes): else every batch evicts the previous
    # batch's dirty pages before reading its own, which measures the default, not the store.
    with PgCluster(settings={"shared_buffers": "1GB"}) as cluster:
        url = cluster.create_database("bench")
        store = open_store(url)
        try:
            cols = ", ".join(f"{f} text" for f in ("board", *CONTENT_FIELDS))
            rows = scratch_rows(jobs)
            with psycopg.connect(url) as conn:
                conn.execute(f"CREATE TABLE scratch ({cols})")
                start = time.perf_counter()
                with conn.cursor() as cur, cur.copy("COPY scratch FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row([None if v is None else str(v) for v in row])
                conn.commit()
                copy_s = time.perf_counter() - start
            first = upsert_all(store, jobs, batch)
            second = upsert_all(store, changed(jobs), batch)
        finally:
            store.close()
    return [("postgres", "COPY into scratch", copy_s, first, second)]


def bench_sqlite(jobs: list[dict], batch: int) -> list[tuple]:
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
            second = upsert_all(store, changed(jobs), batch)
        finally:
            store.close()
    return [("sqlite", "executemany into scratch", bulk_s, first, second)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--jobs", type=int, default=100_000)
    parser.add_argument("--batch", type=int, default=1000)
    parser.add_argument("--only", choices=("pg", "sqlite"))
    args = parser.parse_args()
    jobs = generate(args.jobs)
    results = []
    if args.only != "sqlite":
        results += bench_pg(jobs, args.batch)
    if args.only != "pg":
        results += bench_sqlite(jobs, args.batch)
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
