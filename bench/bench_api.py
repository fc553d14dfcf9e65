"""Benchmark GET /api/jobs on 1,000,000 generated jobs in a throwaway Postgres.

Prints requests/s and p50/p95/p99 for a full-text search with two filters through a real API
server process on 127.0.0.1, next to the same SQL run straight through psycopg (same
concurrency, same run), and the API's overhead ratio. Goals (issue 6): API p95 < 50 ms and
per-request overhead < 2x the bare query; issue 15 tightened it to 1.3x (bench_search.py
measures that over a mix of queries).

    .venv/bin/python bench/bench_api.py [--jobs 1000000] [--requests 2000] [--concurrency 4]
        [--shared-buffers 1536MB]
"""
from __future__ import annotations

import argparse
import http.client
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlencode

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from tests.pg import PgCluster, free_port  # noqa: E402

WORDS = ["engineer", "python", "data", "manager", "robotics", "sales", "designer", "support", "senior",
         "platform", "cloud", "security", "mobile", "product", "research", "finance", "legal", "marketing"]
QUERY = {"q": "python engineer", "country": "DE", "workplace": "remote", "limit": "50"}



def store_statements(url: str) -> list[tuple[str, list]]:
    """Return the statements (SQL, params) that search_jobs sends for QUERY, in order.

    The bare path replays exactly these, so it measures the store's SQL without the API.
    """
    import psycopg

    from jobos.store import open_store

    sent: list[tuple[str, list]] = []
    original = psycopg.Cursor.execute

    def recording(self, query, params=None, **kwargs):
        if " jobs " in str(query):
            sent.append((query, list(params or [])))
        return original(self, query, params, **kwargs)

    store = open_store(database_url=url)
    psycopg.Cursor.execute = recording
    try:
        store.search_jobs(**{k: (int(v) if k == "limit" else v) for k, v in QUERY.items()})
    finally:
        psycopg.Cursor.execute = original
        store.close()
    return sent


def generate(url: str, n: int) -> float:
    """Fill the jobs table with n generated rows in one INSERT ... SELECT generate_series; return s."""
    import psycopg

    words = "ARRAY[" + ",".join(f"'{w}'" for w in WORDS) + "]"
    t0 = time.perf_counter()
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("SET maintenance_work_mem = '256MB'")
        conn.execute(f"""
            INSERT INTO jobs (board, external_id, company, company_norm, source, method, title, url,
                              country, workplace, employment_type, posted_at, description, content_hash,
                              status, first_seen, last_seen, sort_date)
            SELECT 'greenhouse:c' || (g % 5000), g::text, 'Company ' || (g % 5000), 'company ' || (g % 5000),
                   'greenhouse', 'api',
                   initcap(w[1 + g % 18]) || ' ' || initcap(w[1 + (g / 18) % 18]) || ' ' || g,
                   'https://boards.greenhouse.io/c' || (g % 5000) || '/jobs/' || g,
                   (ARRAY['DE','US','GB','FR','NL','ES','IT','SE'])[1 + g % 8],
                   (ARRAY['onsite','hybrid','remote'])[1 + (g / 8) % 3],
                   (ARRAY['FULL_TIME','PART_TIME','CONTRACTOR','INTERN'])[1 + g % 4],
                   DATE '2025-01-01' - (g % 365),
                   'We build ' || w[1 + (g / 7) % 18] || ' systems with ' || w[1 + (g / 11) % 18] ||
                       ' and ' || w[1 + (g / 13) % 18] || '. Join our ' || w[1 + (g / 17) % 18] || ' team.',
                   md5(g::text), CASE WHEN g % 10 = 0 THEN 'closed' ELSE 'open' END,
                   now(), now(), DATE '2025-01-01' - (g % 365)
            FROM generate_series(1, {n}) AS g, (SELECT {words} AS w) AS words
        """)
        conn.execute("ANALYZE jobs")
    return time.perf_counter() - t0


def percentiles(samples: list[float]) -> dict[str, float]:
    s = sorted(samples)

    def p(q: float) -> float:
        return s[min(len(s) - 1, int(q * len(s)))] * 1000

    return {"p50": p(0.50), "p95": p(0.95), "p99": p(0.99), "mean": statistics.fmean(s) * 1000}


def run_load(worker, total: int, concurrency: int) -> tuple[float, list[float]]:
    """Run `total` calls of worker() over `concurrency` threads; return (elapsed s, latencies s)."""
    latencies: list[float] = []
    lock = threading.Lock()
    remaining = [total]

    def loop() -> None:
        state = worker.setup()
        while True:
            with lock:
                if remaining[0] <= 0:
                    break
                remaining[0] -= 1
            t0 = time.perf_counter()
            worker.call(state)
            dt = time.perf_counter() - t0
            with lock:
                latencies.append(dt)
        worker.teardown(state)

    threads = [threading.Thread(target=loop) for _ in range(concurrency)]
    t0 = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return time.perf_counter() - t0, latencies


class HttpWorker:
    def __init__(self, port: int):
        self.port = port
        self.path = "/api/jobs?" + urlencode(QUERY)
        self.items = None

    def setup(self):
        return http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)

    def call(self, conn) -> None:
        conn.request("GET", self.path, headers={"Connection": "keep-alive"})
        resp = conn.getresponse()
        body = resp.read()
        if resp.status != 200:
            raise RuntimeError(f"HTTP {resp.status}: {body[:300]!r}")
        if self.items is None:
            self.items = json.loads(body)

    def teardown(self, conn) -> None:
        conn.close()


class SqlWorker:
    def __init__(self, url: str):
        self.url = url
        self.statements = store_statements(url)

    def setup(self):
        import psycopg
        from psycopg.rows import dict_row

        return psycopg.connect(self.url, autocommit=True, row_factory=dict_row)

    def call(self, conn) -> None:
        with conn.transaction(), conn.cursor() as cur:  # one transaction, as the store reads
            for sql, params in self.statements:
                cur.execute(sql, params)
                cur.fetchall()

    def teardown(self, conn) -> None:
        conn.close()


def start_api(url: str, data_dir: str, port: int) -> subprocess.Popen:
    env = {**os.environ, "DATABASE_URL": url, "JOBOS_DATA_DIR": data_dir, "JOBOS_PUBLIC_READ": "1",
           "JOBOS_RATELIMIT_ENABLED": "0", "JOBOS_MONITOR_ENABLED": "0", "JOBOS_SECRET_KEY": "b" * 48,
           "JOBOS_UI_ENABLED": "0"}
    code = (
        "import logging; logging.disable(logging.INFO)\n"
        "from werkzeug.serving import make_server\n"
        "from api import create_app\n"
        f"make_server('127.0.0.1', {port}, create_app(), threaded=True).serve_forever()\n"
    )
    proc = subprocess.Popen([sys.executable, "-c", code], cwd=REPO, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(proc.stderr.read().decode(errors="replace")[-2000:])
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/api/openapi.json")
            if conn.getresponse().status == 200:
                return proc
        except OSError:
            time.sleep(0.2)
    proc.kill()
    raise RuntimeError("the API did not start")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--jobs", type=int, default=1_000_000)
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--concurrency", type=int, default=4)
    # The 128 MB default does not hold 1,000,000 jobs (about 1.2 GB with indexes): every query
    # would read its pages through the OS cache. A database server sizes this to its data.
    parser.add_argument("--shared-buffers", default="1536MB")
    args = parser.parse_args()

    from jobos.store import open_store

    with PgCluster(settings={"shared_buffers": args.shared_buffers}) as cluster:
        url = cluster.create_database("bench")
        open_store(database_url=url).close()  # migrations
        print(f"generating {args.jobs:,} jobs ...", flush=True)
        print(f"  {generate(url, args.jobs):.1f} s")
        data_dir = tempfile.mkdtemp(prefix="jobos-bench-")
        port = free_port()
        api = start_api(url, data_dir, port)
        try:
            http_worker = HttpWorker(port)
            sql_worker = SqlWorker(url)
            # Warm both paths (caches, plans) before measuring.
            run_load(http_worker, 50, args.concurrency)
            run_load(sql_worker, 50, args.concurrency)
            results = {}
            for name, worker in (("psycopg (bare SQL)", sql_worker), ("API GET /api/jobs", http_worker)):
                elapsed, lat = run_load(worker, args.requests, args.concurrency)
                results[name] = (args.requests / elapsed, percentiles(lat))
            statements = sql_worker.statements
        finally:
            api.terminate()
            api.wait(10)
    total = (http_worker.items or {}).get("total")
    print(f"\nquery: {QUERY} -> total {total}, {len((http_worker.items or {}).get('items', []))} per page;"
          f" {args.requests} requests, concurrency {args.concurrency}\n")
    print("bare SQL (the statements search_jobs sent):")
    for sql, _params in statements:
        print(f"  {sql}")
    print()
    print(f"{'path':<22}{'req/s':>10}{'p50 ms':>10}{'p95 ms':>10}{'p99 ms':>10}")
    for name, (rps, p) in results.items():
        print(f"{name:<22}{rps:>10.1f}{p['p50']:>10.2f}{p['p95']:>10.2f}{p['p99']:>10.2f}")
    bare, api_p = results["psycopg (bare SQL)"][1], results["API GET /api/jobs"][1]
    print(f"\noverhead ratio (API / bare), p50: {api_p['p50'] / bare['p50']:.2f}x, p95: {api_p['p95'] / bare['p95']:.2f}x"
          f"   goal: API p95 < 50 ms ({'met' if api_p['p95'] < 50 else 'NOT met'}),"
          f" overhead < 1.3x ({'met' if api_p['p95'] / bare['p95'] < 1.3 else 'NOT met'})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
