"""Benchmark: refresh N known stand-in boards in one batch process vs one process per company.

Prints, measured in this run: companies per minute, peak RSS and requests per company for one
batch process (`-a companies_file=...`) and for a sample of the same companies crawled one
process each (scaled to N); their throughput per GB of memory and its ratio (goal >= 5x); then a
second batch refresh with nothing changed: requests per company (goal <= 1 per list-complete
board, robots.txt counted apart), history rows written (goal 0) and LLM calls (goal 0). Career
sites (generated stand-in sites: one listing page, 1-12 job pages, no validators) are refreshed
in the same batch: requests per site company on the first and on the unchanged refresh (goal: one
per listing page, no job page), from the stand-in web's request log.

    .venv/bin/python bench/bench_refresh.py [--boards 500] [--sites 100] [--sample 5]
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit

from _common import REPO

from standin import StandinWeb

# ATS -> URL of generated board n (tests/web/handlers/bench_boards.py); list-complete in one request?
BOARDS = {
    "greenhouse": ("https://boards.greenhouse.io/bench{n:03d}", True),
    "ashby": ("https://jobs.ashbyhq.com/bench{n:03d}", True),
    "recruitee": ("https://bench{n:03d}.recruitee.com/", True),
    "lever": ("https://jobs.lever.co/bench{n:03d}", False),
}


def companies(n: int) -> list[tuple[str, str, bool]]:
    """Return (company, careers_url, list_complete) for n boards, the ATSs taking turns."""
    atss = list(BOARDS)
    out = []
    for i in range(n):
        ats = atss[i % len(atss)]
        pattern, whole = BOARDS[ats]
        out.append((f"Bench {ats} {i:03d}", pattern.format(n=i), whole))
    return out


SITE = "https://www.soak-co-{n:04d}.test/careers/"  # tests/web/handlers/faults.py: generated sites
SITE_FIRST = 5000  # site numbers from here (apart from the soak's)


def sites(n: int) -> list[tuple[str, str, bool]]:
    """Return (company, careers_url, False) for n generated career sites."""
    return [(f"Soak Co {SITE_FIRST + i:04d}", SITE.format(n=SITE_FIRST + i), False) for i in range(n)]


def site_requests(log: list[dict], hosts: set[str]) -> tuple[int, int, int]:
    """Return (requests, listing pages, job pages) the stand-in served to the sites' hosts,
    robots.txt not counted."""
    total = listing = details = 0
    for entry in log:
        parts = urlsplit(entry["url"])
        if parts.hostname not in hosts or parts.path == "/robots.txt":
            continue
        total += 1
        listing += parts.path == "/careers/"
        details += parts.path.startswith("/jobs/")
    return total, listing, details


def crawl(env: dict, args: list[str], workdir: Path) -> tuple[dict, float, int]:
    """Run one `scrapy crawl careers` process; return its stats, wall seconds and peak RSS (KB)."""
    stats_file = workdir / f"stats-{time.monotonic_ns()}.json"
    cmd = [sys.executable, "-m", "scrapy", "crawl", "careers", *args,
           "-s", f"JOBOS_STATS_FILE={stats_file}", "-s", "LOG_LEVEL=ERROR",
           "-s", "JOBOS_PROGRESS_INTERVAL=0"]
    started = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=REPO, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - started
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        raise RuntimeError(f"crawl failed ({proc.returncode}): {proc.stderr.read().decode()[-2000:]}")
    return json.loads(stats_file.read_text()), elapsed, usage.ru_maxrss


def history_rows(data_dir: Path, table: str = "job_history", where: str = "") -> int:
    sys.path.insert(0, str(REPO))
    from jobos.store import open_store

    with open_store(data_dir=str(data_dir)) as store, store._read() as cur:
        cur.execute(f"SELECT count(*) AS n FROM {table}{where}")
        return int(cur.fetchone()["n"])


def open_jobs(data_dir: Path) -> int:
    return history_rows(data_dir, "jobs", " WHERE status = 'open'")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--boards", type=int, default=500)
    parser.add_argument("--sites", type=int, default=100, help="career sites refreshed in the batch too")
    parser.add_argument("--sample", type=int, default=5, help="companies crawled one process each")
    opts = parser.parse_args()
    site_rows = sites(opts.sites)
    site_hosts = {urlsplit(url).hostname for _, url, _ in site_rows}
    rows = companies(opts.boards) + site_rows
    workdir = Path(tempfile.mkdtemp(prefix="jobos-bench-refresh-"))
    csv_path = workdir / "companies.csv"
    csv_path.write_text("company,country,careers_url\n" + "".join(
        f"{name},,{url}\n" for name, url, _ in rows), encoding="utf-8")
    with StandinWeb() as web:
        env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL",)}
        env.update(web.env())
        env["OLLAMA_HOST"] = "http://127.0.0.1:9"
        web.control("GET", "/state")
        # Warm the generated boards once (the stand-in installs them on first use).
        batch_data = workdir / "batch-data"
        env["JOBOS_DATA_DIR"] = str(batch_data)
        mark = len(web.requests_seen())
        stats, batch_s, batch_rss = crawl(env, ["-a", f"companies_file={csv_path}"], workdir)
        first_sites = site_requests(web.requests_seen()[mark:], site_hosts)
        batch_requests = stats.get("downloader/request_count", 0)
        jobs = stats.get("item_scraped_count", 0)

        sample = rows[: opts.sample]
        one_s, one_rss, one_requests = 0.0, 0, 0
        for name, url, _ in sample:
            env["JOBOS_DATA_DIR"] = str(workdir / f"one-{len(name)}-{time.monotonic_ns()}")
            s, secs, rss = crawl(env, ["-a", f"company={name}", "-a", f"careers_url={url}"], workdir)
            one_s += secs
            one_rss = max(one_rss, rss)
            one_requests += s.get("downloader/request_count", 0)

        env["JOBOS_DATA_DIR"] = str(batch_data)
        history_before = history_rows(batch_data)
        open_before = open_jobs(batch_data)
        mark = len(web.requests_seen())
        again, again_s, again_rss = crawl(env, ["-a", f"companies_file={csv_path}"], workdir)
        again_sites = site_requests(web.requests_seen()[mark:], site_hosts)
        history_written = history_rows(batch_data) - history_before
        open_after = open_jobs(batch_data)

    n = len(rows)
    whole = sum(1 for *_, w in rows if w)
    batch_cpm = n / batch_s * 60
    one_cpm = len(sample) / one_s * 60  # one process at a time
    batch_gb, one_gb = batch_rss / 1024 / 1024, one_rss / 1024 / 1024
    batch_per_gb = batch_cpm / batch_gb
    one_per_gb = one_cpm / one_gb  # k processes in parallel: k x the memory for k x the rate
    robots = again.get("robotstxt/request_count", 0)
    again_requests = again.get("downloader/request_count", 0)
    print(f"companies: {n} ({n - len(site_rows)} boards, {whole} of them list-complete in one request;"
          f" {len(site_rows)} career sites), jobs found: {jobs}")
    print(f"batch, one process:   {batch_cpm:8.1f} companies/min  peak RSS {batch_rss / 1024:6.0f} MB"
          f"  requests/company {batch_requests / n:.2f}  ({batch_s:.1f} s)")
    print(f"one process each (sample of {len(sample)}, scaled to {n}): {one_cpm:8.1f} companies/min"
          f"  peak RSS {one_rss / 1024:6.0f} MB per process  requests/company "
          f"{one_requests / max(1, len(sample)):.2f}  ({one_s / len(sample) * n:.0f} s for {n} in series)")
    print(f"throughput per GB: batch {batch_per_gb:.0f} vs per process {one_per_gb:.0f} companies/min/GB"
          f" -> ratio {batch_per_gb / one_per_gb:.1f}x (goal >= 5x); batch peak RSS "
          f"{'under' if batch_rss / 1024 < 500 else 'OVER'} 500 MB")
    print(f"unchanged refresh: {again_requests / n:.2f} requests/company ({again_requests} total, "
          f"{robots} of them robots.txt), unchanged boards "
          f"{again.get('jobos/conditional/same_hash', 0) + again.get('jobos/conditional/not_modified', 0)}"
          f"/{whole} list-complete, history rows {history_written} (goal 0), "
          f"LLM calls {again.get('jobos/llm/calls', 0)} (goal 0), open jobs {open_before} -> {open_after}"
          f" (goal: the same), items parsed "
          f"{again.get('item_scraped_count', 0)}, {again_s:.1f} s, peak RSS {again_rss / 1024:.0f} MB")
    if site_rows:
        k = len(site_rows)
        print(f"sites ({k}): requests/site company first {first_sites[0] / k:.2f} (listing pages"
              f" {first_sites[1]}, job pages {first_sites[2]}) -> unchanged refresh {again_sites[0] / k:.2f}"
              f" (listing pages {again_sites[1]}, job pages {again_sites[2]}; goal 1.00 and 0 job pages);"
              f" pages unchanged by hash {again.get('jobos/conditional/pages_same_hash', 0)},"
              f" not modified {again.get('jobos/conditional/pages_not_modified', 0)},"
              f" jobs touched {again.get('jobos/conditional/pages_touched', 0)}")
    print(f"  (first refresh: {stats.get('jobos/batch/partial_marks', 0)} partial marks, errors "
          f"{ {k: v for k, v in stats.items() if k.startswith('jobos/errors/')} }; second: read whole "
          f"{again.get('jobos/conditional/changed', 0)}, store changed "
          f"{again.get('jobos/conditional/store_changed', 0)})")


if __name__ == "__main__":
    main()
