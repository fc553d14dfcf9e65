"""Soak: stand-in companies crawled by scrapyd nodes into one PostgreSQL, with seeded faults.

Starts a throwaway PostgreSQL cluster, the stand-in web and `--nodes` real scrapyd processes
(from scrapyd/scrapyd.conf, so its max_proc applies), deploys the project egg to each, and
schedules one `careers` crawl per generated company (www.soak-co-NNNN.test), alternating
nodes; with `--batch N`, one batch crawl (`-a companies_file=`) per N companies instead, each
company with its own crawl run row. Transient faults (429 with Retry-After, 500, dropped connections, stalls past the
download timeout) and invalid UTF-8 are injected on listing and job pages at random from
`--seed`. Afterwards it prints jobs expected, found, duplicated, lost, faults injected, crawl
runs by status, and the peak RSS of each crawl process (Scrapy's memusage/max, plus VmHWM
sampled from /proc while the crawls run); it exits 1 when a job is lost or duplicated.

    .venv/bin/python bench/soak.py [--companies 200] [--seed 8] [--nodes 2] [--batch 50]
"""
from __future__ import annotations

import argparse
import csv
import json
import logging
import os
import shutil
import statistics
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

import requests

import _common  # noqa: F401  (puts the repository and tests/web on sys.path)
from _soak_check import Tally, rss_summary, tally
from _soak_plan import Company, injector_rules, plan

from api.scrapyd_local import LocalScrapyd, build_egg, deploy_egg
from standin import StandinWeb
from tests.pg import PgCluster, free_port

logger = logging.getLogger(__name__)
MB = 1024 * 1024

# Small timeouts so a stall costs seconds; no AutoThrottle (one host per crawl, a stand-in one).
CRAWL_SETTINGS = {
    "DOWNLOAD_TIMEOUT": "5",
    "RETRY_TIMES": "3",
    "JOBOS_RETRY_BACKOFF_BASE": "0.2",
    "AUTOTHROTTLE_ENABLED": "False",
    "MEMUSAGE_CHECK_INTERVAL_SECONDS": "0.5",  # the default 60 s would only see the start-up size
}
STALL_SECONDS = 8.0  # longer than DOWNLOAD_TIMEOUT: a stalled request times out, then is retried


def _cpu_seconds(pid: int) -> float | None:
    """Return the CPU time (user + system) a process has used so far, or None when it is gone."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError):
        return None


def _vm_hwm_mb(pid: int) -> float | None:
    """Return the process's peak resident set (VmHWM) in MB, or None when it is gone."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except (OSError, ValueError):
        return None
    return None


class Soak:
    """One soak run: owns every process it starts and stops them in stop()."""

    def __init__(self, opts: argparse.Namespace) -> None:
        self.opts = opts
        self.root = Path(tempfile.mkdtemp(prefix="jobos-soak-"))
        self.stats_dir = self.root / "stats"
        self.stats_dir.mkdir()
        self.pg: PgCluster | None = None
        self.web: StandinWeb | None = None
        self.nodes: list[LocalScrapyd] = []
        self.database_url = ""
        self.companies: list[Company] = []
        self.job_node: dict[str, str] = {}  # scrapyd job id -> node URL
        self.job_companies: dict[str, list[Company]] = {}
        self.sampled_hwm: dict[str, float] = {}  # scrapyd job id -> largest VmHWM seen, MB
        self.finished: dict[str, dict] = {}  # scrapyd job id -> listjobs' finished entry
        self.timed_out = False
        self.crawl_cpu: dict[str, float] = {}  # scrapyd job id -> CPU seconds, last sampled
        self.web_cpu_start: float | None = None
        self.loads: list[float] = []  # 1-minute load average, sampled while the crawls run

    # --- set-up ---------------------------------------------------------------------------
    def start(self) -> None:
        self.pg = PgCluster()
        self.pg.start()
        self.database_url = self.pg.create_database("soak")
        self.web = StandinWeb().start()
        self.companies = plan(self.opts.companies, self.opts.seed, self.opts.listing_fault_rate,
                              self.opts.detail_fault_rate, lossy=self.opts.lossy)
        self.web.set_state(faults=injector_rules(self.companies), stall_seconds=STALL_SECONDS)
        env = {**self.web.env(), "DATABASE_URL": self.database_url,
               "JOBOS_DATA_DIR": str(self.root / "data"), "OLLAMA_HOST": "http://127.0.0.1:9"}
        overrides = {"max_proc": str(self.opts.max_proc)} if self.opts.max_proc else {}
        for i in range(self.opts.nodes):
            node = LocalScrapyd(self.root / f"node{i + 1}", port=free_port(), env=env, **overrides)
            self.nodes.append(node)
            node.start()
        egg = build_egg(out=self.root / "jobos.egg")
        for node in self.nodes:
            deploy_egg(node.url, egg, auth=node.auth)

    def stop(self) -> None:
        for node in self.nodes:
            node.stop()
        if self.web is not None:
            self.web.stop()
        if self.pg is not None:
            self.pg.cleanup()
        if self.opts.keep:
            print(f"kept {self.root}")
        else:
            shutil.rmtree(self.root, ignore_errors=True)

    # --- the run ----------------------------------------------------------------------------
    def schedule(self) -> None:
        size = max(1, self.opts.batch)
        groups = [self.companies[i:i + size] for i in range(0, len(self.companies), size)]
        batch_dir = self.root / "batches"
        batch_dir.mkdir(exist_ok=True)
        for i, group in enumerate(groups):
            node = self.nodes[i % len(self.nodes)]
            if self.opts.batch:
                job_id = f"soak-b{i + 1:04d}"
                path = batch_dir / f"{job_id}.csv"
                with path.open("w", encoding="utf-8", newline="") as fh:
                    writer = csv.writer(fh)
                    writer.writerow(["company", "country", "careers_url"])
                    writer.writerows([c.name, "", c.careers_url] for c in group)
                spider_args = [("companies_file", str(path))]
            else:
                job_id = f"soak-{group[0].n:04d}"
                spider_args = [("company", group[0].name), ("careers_url", group[0].careers_url)]
            settings = {**CRAWL_SETTINGS, "LOG_LEVEL": self.opts.log_level,
                        "JOBOS_STATS_FILE": str(self.stats_dir / f"{job_id}.json")}
            data = [("project", "jobos"), ("spider", "careers"), ("jobid", job_id), *spider_args]
            data += [("setting", f"{k}={v}") for k, v in settings.items()]
            answer = requests.post(f"{node.url}/schedule.json", data=data, auth=node.auth, timeout=60).json()
            if answer.get("status") != "ok":
                raise RuntimeError(f"{node.url} refused {job_id}: {answer}")
            self.job_node[job_id] = node.url
            self.job_companies[job_id] = group

    def job_of(self, company_name: str) -> str | None:
        """Return the scrapyd job id that crawled a company."""
        for job_id, group in self.job_companies.items():
            if any(c.name == company_name for c in group):
                return job_id
        return None

    def wait(self) -> None:
        deadline = time.monotonic() + self.opts.timeout
        self.web_cpu_start = _cpu_seconds(self.web.proc.pid)
        last_print = 0.0
        while time.monotonic() < deadline:
            pending = running = 0
            for node in self.nodes:
                listed = requests.get(f"{node.url}/listjobs.json", params={"project": "jobos"},
                                      auth=node.auth, timeout=10).json()
                pending += len(listed.get("pending", []))
                running += len(listed.get("running", []))
                for job in listed.get("running", []):
                    hwm = _vm_hwm_mb(int(job.get("pid") or 0)) if job.get("pid") else None
                    if hwm is not None:
                        self.sampled_hwm[job["id"]] = max(hwm, self.sampled_hwm.get(job["id"], 0.0))
                    cpu = _cpu_seconds(int(job.get("pid") or 0)) if job.get("pid") else None
                    if cpu is not None:
                        self.crawl_cpu[job["id"]] = cpu
                for job in listed.get("finished", []):
                    if job["id"] in self.job_node:
                        self.finished[job["id"]] = job
            self.loads.append(os.getloadavg()[0])
            if time.monotonic() - last_print > 15:
                print(f"  {len(self.finished)}/{len(self.job_node)} finished, {running} running,"
                      f" {pending} pending", flush=True)
                last_print = time.monotonic()
            if len(self.finished) >= len(self.job_node):
                return
            time.sleep(0.5)
        self.timed_out = True
        for node in self.nodes:  # leave nothing running behind us
            listed = requests.get(f"{node.url}/listjobs.json", params={"project": "jobos"},
                                  auth=node.auth, timeout=10).json()
            for job in listed.get("pending", []) + listed.get("running", []):
                requests.post(f"{node.url}/cancel.json", data={"project": "jobos", "job": job["id"]},
                              auth=node.auth, timeout=10)

    # --- the figures -------------------------------------------------------------------------
    def crawl_stats(self) -> dict[str, dict]:
        """Return each crawl's final stats (job id -> stats), read from its JOBOS_STATS_FILE."""
        out = {}
        for job_id in self.job_node:
            path = self.stats_dir / f"{job_id}.json"
            if path.exists():
                out[job_id] = json.loads(path.read_text(encoding="utf-8"))
        return out

    def web_cpu(self) -> float | None:
        """Return the CPU seconds the stand-in web (one mitmdump process) used during the crawls."""
        now = _cpu_seconds(self.web.proc.pid)
        return None if now is None or self.web_cpu_start is None else now - self.web_cpu_start

    def fault_hits(self) -> dict:
        state = self.web.control("GET", "/state")
        return state.get("fault_hits") or {}


def _wall(finished: dict[str, dict]) -> float:
    """Return seconds from the first crawl's start to the last one's end (scrapyd's own times)."""
    from datetime import datetime

    def ts(value: str) -> datetime:
        return datetime.fromisoformat(value)

    starts = [ts(j["start_time"]) for j in finished.values() if j.get("start_time")]
    ends = [ts(j["end_time"]) for j in finished.values() if j.get("end_time")]
    return (max(ends) - min(starts)).total_seconds() if starts and ends else 0.0


def report(soak: Soak, result: Tally, stats: dict[str, dict], hits: dict, elapsed: float) -> bool:
    """Print the soak's figures; return True when nothing was lost or duplicated."""
    opts = soak.opts
    planned = Counter(f["kind"] + ("" if f["times"] is None else f"x{f['times']}")
                      for c in soak.companies for f in c.faults)
    faulty_companies = sum(1 for c in soak.companies if c.faults)
    memusage = [s["memusage/max"] / MB for s in stats.values() if s.get("memusage/max")]
    sampled = list(soak.sampled_hwm.values())
    reasons = Counter(s.get("finish_reason") for s in stats.values())
    retries = sum(int(s.get("retry/count") or 0) for s in stats.values())
    # What the crawls themselves saw of the faults. Fewer resets than injected is expected: Twisted's
    # connection pool resends a request once, unseen by Scrapy, when a reused connection drops.
    seen = Counter()
    for s in stats.values():
        for key, value in s.items():
            if key in ("downloader/response_status_count/429", "downloader/response_status_count/500") \
                    or key.startswith("downloader/exception_type_count/"):
                seen[key.rsplit("/", 1)[-1].removeprefix("scrapy.exceptions.")] += int(value)
    over = sorted(j for j, s in stats.items() if (s.get("memusage/max") or 0) / MB > opts.rss_limit_mb)
    wall = _wall(soak.finished) or elapsed
    unended = [r for r in result.run_rows if r["status"] in ("pending", "running")]
    companies_done = sum(len(soak.job_companies[j]) for j in soak.finished if j in soak.job_companies)
    ok = (not result.lost and result.duplicated == 0 and not soak.timed_out and not over
          and not unended and len(result.run_rows) >= opts.companies)

    print(f"\nsoak: {opts.companies} companies"
          f"{f' in batches of {opts.batch}' if opts.batch else ', one crawl each'}, seed {opts.seed}, {opts.nodes} scrapyd nodes"
          f" ({', '.join(n.url for n in soak.nodes)})")
    print(f"  jobs expected        {result.expected}")
    print(f"  jobs found           {result.found}   (rows in jobs: {result.rows})")
    print(f"  duplicated           {result.duplicated}")
    print(f"  lost                 {len(result.lost)}")
    print(f"  unexpected rows      {len(result.unexpected)}")
    print(f"  not open             {len(result.not_open)}")
    print(f"  pending extraction   {result.pending}")
    print(f"  faults injected      {sum(hits.values())}  {dict(sorted(hits.items()))}")
    print(f"  faults planned       {sum(planned.values())} rules on {faulty_companies} companies"
          f"  {dict(sorted(planned.items()))}")
    print(f"  faults seen by crawls {sum(seen.values())}  {dict(sorted(seen.items()))}; retries {retries}")
    later = Counter()
    for s in stats.values():
        for key in ("later", "last_chance", "later_recovered", "later_dropped"):
            later[key] += int(s.get(f"jobos/retry/{key}") or 0)
    print(f"  retries put off      {later['later']} timeouts retried after the queue drained,"
          f" {later['last_chance']} last chances; {later['later_recovered']} of them answered,"
          f" {later['later_dropped']} dropped (crawl ended early)")
    print(f"  crawl runs           {dict(result.runs)}   by node: "
          + "; ".join(f"{node}: {dict(c)}" for node, c in sorted(result.runs_by_node.items(), key=str)))
    unlinked = sum(1 for r in result.run_rows if not r.get("scrapyd_job_id"))
    if unlinked:
        print(f"  runs w/o scrapyd id  {unlinked} of {len(result.run_rows)} (crawl_runs.scrapyd_job_id empty)")
    print(f"  scrapyd jobs         {len(soak.finished)}/{len(soak.job_node)} finished"
          f"{'  (TIMED OUT, rest cancelled)' if soak.timed_out else ''}; stats files {len(stats)},"
          f" finish reasons {dict(reasons)}")
    for label, values in (("memusage/max", memusage), ("VmHWM sampled", sampled)):
        s = rss_summary(values)
        if s:
            print(f"  peak RSS per crawl   {label:14s} max {s['max']:.0f} MB, p95 {s['p95']:.0f} MB,"
                  f" median {s['median']:.0f} MB, min {s['min']:.0f} MB (n={s['n']})")
    if memusage and len(memusage) >= 8:
        # Bounded: the last crawls of the soak peak no higher than the first ones.
        order = [stats[j]["memusage/max"] / MB for j in sorted(stats) if stats[j].get("memusage/max")]
        quarter = max(1, len(order) // 4)
        print(f"  peak RSS trend       first quarter median {statistics.median(order[:quarter]):.0f} MB,"
              f" last quarter median {statistics.median(order[-quarter:]):.0f} MB")
    print(f"  peak RSS > {opts.rss_limit_mb:.0f} MB   {len(over)} crawls {over[:10]}")
    print(f"  wall time            {wall:.1f} s (first crawl start to last end; {elapsed:.1f} s incl. queueing)")
    print(f"  jobs/s               {result.found / wall:.2f}" if wall else "  jobs/s               n/a")
    print(f"  companies/s          {companies_done / wall:.2f}" if wall else "")
    print(f"  runs not ended       {len(unended)}; run rows {len(result.run_rows)} for {opts.companies} companies")
    # Where the time went: the stand-in web is one single-threaded process serving every node.
    web_cpu = soak.web_cpu()
    crawl_cpu = sum(soak.crawl_cpu.values())
    if wall and web_cpu is not None:
        print(f"  CPU                  stand-in web {web_cpu:.0f} s ({web_cpu / wall:.0%} of one core over the"
              f" wall time), crawl processes {crawl_cpu:.0f} s ({crawl_cpu / wall:.0%} of one core)")
    if soak.loads:
        print(f"  machine load         1-min load average median {statistics.median(soak.loads):.1f},"
              f" max {max(soak.loads):.1f} on {os.cpu_count()} CPUs")

    for case in result.lost:
        job_id = soak.job_of(case["company"])
        st = stats.get(job_id, {})
        # Direct schedule.json crawls may leave scrapyd_job_id empty: the company names the run too.
        runs = [r for r in result.run_rows
                if r.get("scrapyd_job_id") == job_id or r.get("company") == case["company"]]
        print(f"  LOST {case['url']} ({case['company']}, scrapyd job {job_id} on {soak.job_node.get(job_id)})")
        print(f"       faults on this company: {case['faults']}")
        print(f"       crawl run: {[{k: r[k] for k in ('id', 'status', 'found', 'errors', 'error_summary')} for r in runs]}")
        print(f"       finish_reason {st.get('finish_reason')}, partial reasons {st.get('jobos/partial_reasons')},"
              f" items {st.get('item_scraped_count')}, errors "
              f"{ {k: v for k, v in st.items() if k.startswith(('jobos/errors/', 'jobos/dropped/'))} }")
    for case in result.duplicates:
        print(f"  DUPLICATE {case}")
    for row in result.unexpected[:10]:
        print(f"  UNEXPECTED row {row}")
    for case in result.not_open[:10]:
        print(f"  NOT OPEN {case}")
    bad_runs = [r for r in result.run_rows if r["status"] != "finished"]
    for run in bad_runs[:20]:
        print(f"  run {run['id']} {run['company']} {run['status']}: {run['error_summary']}")
    print(f"\n{'OK' if ok else 'FAILED'}: every expected job {'is' if ok else 'is NOT'} in the database exactly once")
    return ok


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--companies", type=int, default=200)
    parser.add_argument("--seed", type=int, default=8)
    parser.add_argument("--nodes", type=int, default=2)
    parser.add_argument("--batch", type=int, default=0,
                        help="companies per scheduled crawl (batch mode, -a companies_file=); 0: one crawl each")
    parser.add_argument("--listing-fault-rate", type=float, default=0.3,
                        help="chance that a company's listing page gets a fault")
    parser.add_argument("--detail-fault-rate", type=float, default=0.15,
                        help="chance that each job page gets a fault")
    parser.add_argument("--lossy", type=int, default=0,
                        help="give this many companies a job page that always fails (to see the soak report a loss)")
    parser.add_argument("--max-proc", type=int, default=0,
                        help="crawls per node at once (default: scrapyd.conf's max_proc / max_proc_per_cpu)")
    parser.add_argument("--rss-limit-mb", type=float, default=400,
                        help="a crawl whose peak RSS is above this fails the soak")
    parser.add_argument("--timeout", type=float, default=900, help="seconds to wait for all crawls")
    parser.add_argument("--log-level", default="INFO",
                        help="the crawls' LOG_LEVEL (DEBUG shows every retry; keep the logs with --keep)")
    parser.add_argument("--keep", action="store_true", help="keep the work dir (scrapyd logs, stats files)")
    opts = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)

    soak = Soak(opts)
    try:
        print(f"starting PostgreSQL, the stand-in web and {opts.nodes} scrapyd nodes ...", flush=True)
        soak.start()
        started = time.monotonic()
        soak.schedule()
        print(f"scheduled {len(soak.job_node)} crawls", flush=True)
        soak.wait()
        elapsed = time.monotonic() - started
        result = tally(soak.database_url, soak.companies)
        ok = report(soak, result, soak.crawl_stats(), soak.fault_hits(), elapsed)
    finally:
        soak.stop()
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
