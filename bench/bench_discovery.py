"""Benchmark: crawl generated companies from their names through the stand-in web.

Prints companies/min, pages/s, browser renders per company and requests per job (goal: at most
2), where the requests went (search, ATS probes, robots.txt, retries, the site itself), and the
accuracy (the right careers page, every job of it), next to `scrapy bench` run on the same
machine in the same run, and the ratio of pages/s. With --again, each company is crawled a second
time into the same store: what an earlier crawl learned is reused.

    .venv/bin/python bench/bench_discovery.py [--companies 50] [--parallel 3] [--again]
"""
from __future__ import annotations

import argparse
import re
import tempfile
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "tests" / "web"))

sys.path.insert(0, str(REPO / "tests" / "web" / "handlers"))

from generated import job_count  # noqa: E402  (the stand-in companies' own truth)
from standin import StandinWeb  # noqa: E402
from tests.crawl import run_crawl  # noqa: E402


def scrapy_bench_pages_per_min(seconds: int = 10) -> float | None:
    """Return the pages/min `scrapy bench` reports (its last 'Crawled N pages (at X pages/min)')."""
    proc = subprocess.run([sys.executable, "-m", "scrapy", "bench", "-s", f"CLOSESPIDER_TIMEOUT={seconds}"],
                          cwd="/", capture_output=True, text=True, timeout=seconds + 60)
    rates = re.findall(r"at (\d+) pages/min", proc.stderr + proc.stdout)
    return float(rates[-1]) if rates else None


def report(label: str, names: list[str], results: list, elapsed: float) -> None:
    """Print one pass's figures: speed, where requests went, accuracy."""
    def total(key: str) -> int:
        return sum(int(r.stats.get(key, 0) or 0) for r in results)

    pages = total("response_received_count")
    requests = total("downloader/request_count")
    jobs = sum(len(r.items) for r in results)
    expected = sum(job_count(int(name.split()[1])) for name in names)
    right_page = sum(1 for name, r in zip(names, results)
                     if r.stats.get("jobos/discovery/careers_url", "").rstrip("/")
                     == f"https://www.benchco{name.split()[1]}systems.com/careers")
    # A job read again, or seen unchanged on its listing (its page skipped, its row touched).
    skipped = [int(r.stats.get("jobos/conditional/detail_skipped", 0) or 0) for r in results]
    right_jobs = sum(1 for name, r, k in zip(names, results, skipped)
                     if len(r.items) + k == job_count(int(name.split()[1])))
    renders = total("playwright/page_count")
    robots = total("robotstxt/request_count")
    search = total("jobos/discovery/search/requests")
    probes = total("jobos/discovery/probe/sent")
    retries = total("retry/count")
    site = requests - robots - search - probes
    n = max(len(results), 1)
    print(f"[{label}] companies: {len(results)}, jobs: {jobs} read + {sum(skipped)} unchanged (page skipped)"
          f" of {expected}, wall: {elapsed:.1f} s")
    jobs += sum(skipped)
    print(f"[{label}] accuracy: right careers page {right_page}/{len(results)},"
          f" every job read or seen unchanged {right_jobs}/{len(results)}")
    print(f"[{label}] companies/min: {len(results) / elapsed * 60:.1f}; pages/s: {pages / elapsed:.1f};"
          f" browser renders per company: {renders / n:.2f}")
    print(f"[{label}] requests per job: {requests / max(jobs, 1):.2f} (goal <= 2)"
          + ("" if jobs else " (no jobs read)"))
    print(f"[{label}] requests per company: {requests / n:.1f} = search {search / n:.1f}"
          f" + ATS probes {probes / n:.1f} + robots.txt {robots / n:.1f} + site and boards {site / n:.1f}"
          f" (retries among them {retries / n:.1f}); known companies {total('jobos/discovery/known')}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--companies", type=int, default=50)
    parser.add_argument("--parallel", type=int, default=3)
    parser.add_argument("--again", action="store_true",
                        help="crawl every company a second time into the same store")
    args = parser.parse_args()
    names = [f"Benchco {n} Systems" for n in range(1, args.companies + 1)]
    data_dirs = {name: Path(tempfile.mkdtemp(prefix="jobos-bench-disc-")) for name in names}
    passes = ["first"] + (["again"] if args.again else [])
    with StandinWeb() as web:
        for label in passes:
            started = time.monotonic()
            with ThreadPoolExecutor(args.parallel) as pool:
                results = list(pool.map(lambda name: run_crawl(web, company=name, country="US",
                                                               data_dir=data_dirs[name]), names))
            elapsed = time.monotonic() - started
            report(label, names, results, elapsed)
            pages = sum(r.stats.get("response_received_count", 0) for r in results)
    bench = scrapy_bench_pages_per_min()
    if bench:
        print(f"scrapy bench: {bench:.0f} pages/min = {bench / 60:.1f} pages/s; "
              f"ratio (ours, last pass / scrapy bench): {pages / elapsed / (bench / 60):.3f}")
    else:
        print("scrapy bench: no rate found in its output")


if __name__ == "__main__":
    main()
