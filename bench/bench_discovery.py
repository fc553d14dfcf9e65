"""Benchmark: crawl generated companies from their names through the stand-in web.

Prints companies/min, pages/s, browser renders per company and requests per job, next to
`scrapy bench` run on the same machine in the same run, and the ratio of pages/s.

    .venv/bin/python bench/bench_discovery.py [--companies 50] [--parallel 3]
"""
from __future__ import annotations

import argparse
import re
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "tests" / "web"))

from standin import StandinWeb  # noqa: E402
from tests.crawl import run_crawl  # noqa: E402


def scrapy_bench_pages_per_min(seconds: int = 10) -> float | None:
    """Return the pages/min `scrapy bench` reports (its last 'Crawled N pages (at X pages/min)')."""
    proc = subprocess.run([sys.executable, "-m", "scrapy", "bench", "-s", f"CLOSESPIDER_TIMEOUT={seconds}"],
                          cwd="/", capture_output=True, text=True, timeout=seconds + 60)
    rates = re.findall(r"at (\d+) pages/min", proc.stderr + proc.stdout)
    return float(rates[-1]) if rates else None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--companies", type=int, default=50)
    parser.add_argument("--parallel", type=int, default=3)
    args = parser.parse_args()
    names = [f"Benchco {n} Systems" for n in range(1, args.companies + 1)]
    with StandinWeb() as web:
        started = time.monotonic()
        with ThreadPoolExecutor(args.parallel) as pool:
            results = list(pool.map(lambda name: run_crawl(web, company=name, country="US"), names))
        elapsed = time.monotonic() - started
    pages = sum(r.stats.get("response_received_count", 0) for r in results)
    requests = sum(r.stats.get("downloader/request_count", 0) for r in results)
    jobs = sum(len(r.items) for r in results)
    renders = sum(r.stats.get("playwright/page_count", 0) for r in results)
    found = sum(1 for r in results if not r.stats.get("jobos/discovery/not_found"))
    print(f"companies: {len(results)} (career page found: {found}), jobs: {jobs}, wall: {elapsed:.1f} s")
    print(f"companies/min: {len(results) / elapsed * 60:.1f}")
    print(f"pages/s: {pages / elapsed:.1f}")
    print(f"browser renders per company: {renders / max(len(results), 1):.2f}")
    print(f"requests per job: {requests / max(jobs, 1):.2f}" + ("" if jobs else " (no jobs read)"))
    bench = scrapy_bench_pages_per_min()
    if bench:
        print(f"scrapy bench: {bench:.0f} pages/min = {bench / 60:.1f} pages/s; "
              f"ratio (ours / scrapy bench): {pages / elapsed / (bench / 60):.3f}")
    else:
        print("scrapy bench: no rate found in its output")


if __name__ == "__main__":
    main()
