"""Benchmark: crawl generated ATS boards (two per ATS) through the stand-in web, in one process.

Prints jobs/s, requests per job per ATS (goal: <= 0.2 where the API lists whole jobs, <= 1.1
where it needs a detail call per job), and the crawl's request rate next to `scrapy bench` run
on the same machine in the same run.

    .venv/bin/python bench/bench_boards.py [--boards N]

Every ATS module must have a row in BOARD_URLS (checked at start), and its stand-in handler a
generated bench board (tests/web/handlers/bench_boards.py).
"""
from __future__ import annotations

import argparse
import os
import tempfile
import time
from collections import defaultdict

from _common import scrapy_bench

from standin import StandinWeb

BOARD_URLS = {  # ATS -> (URL pattern for board N, whole jobs in the list response?)
    "greenhouse": ("https://boards.greenhouse.io/bench{n:02d}", True),
    "lever": ("https://jobs.lever.co/bench{n:02d}", True),
    "ashby": ("https://jobs.ashbyhq.com/bench{n:02d}", True),
    "recruitee": ("https://bench{n:02d}.recruitee.com/", True),
    "smartrecruiters": ("https://jobs.smartrecruiters.com/Bench{n:02d}", False),
    "workday": ("https://bench{n:02d}.wd1.myworkdayjobs.com/Bench_Site", False),
    "workable": ("https://apply.workable.com/bench{n:02d}/", True),
    "personio": ("https://bench{n:02d}.jobs.personio.de/", True),
    "bamboohr": ("https://bench{n:02d}.bamboohr.com/careers", False),
    "teamtailor": ("https://bench{n:02d}.teamtailor.com/jobs", True),
    "oracle": ("https://bench{n:02d}.fa.us2.oraclecloud.com/hcmUI/CandidateExperience/en/sites/CX_1", False),
    "eightfold": ("https://bench{n:02d}.eightfold.ai/careers", False),
    "icims": ("https://careers-bench{n:02d}.icims.com/jobs/search?ss=1", False),
    "successfactors": ("https://bench{n:02d}.jobs2web.com/feeds/?locale=en_US", True),
    "avature": ("https://bench{n:02d}.avature.net/careers/SearchJobs/", False),
    "ukg": ("https://recruiting.ultipro.com/BENCH{n:02d}/JobBoard/f11a0b52-5153-4c12-ad2c-b7f3b0a74112/", True),
    "taleo": ("https://bench{n:02d}.taleo.net/careersection/ex/jobsearch.ftl?lang=en&portal=101430233", True),
    "phenom": ("https://careers.bench{n:02d}.example/us/en/search-results", True),
    "adp": ("https://workforcenow.adp.com/mascsr/default/mdf/recruitment/recruitment.html"
            "?cid=bec0{n:02d}00-bb17-4857-9e3a-28a4049196cb&ccId=19000101_000001", False),
    "dayforce": ("https://jobs.dayforcehcm.com/en-US/bench{n:02d}/CANDIDATEPORTAL", True),
    "cornerstone": ("https://bench{n:02d}.csod.com/ux/ats/careersite/3/home?c=bench{n:02d}", True),
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--boards", type=int, default=2 * len(BOARD_URLS))
    parser.add_argument("--bench-seconds", type=int, default=10)
    opts = parser.parse_args()
    from jobos.ats import REGISTRY

    missing = sorted(set(REGISTRY) - set(BOARD_URLS))
    if missing:
        raise SystemExit(f"bench_boards: no bench board for {', '.join(missing)}; add a BOARD_URLS row")

    baseline = scrapy_bench(opts.bench_seconds)
    with StandinWeb() as web:
        os.environ.update(web.env())
        os.environ["JOBOS_DATA_DIR"] = tempfile.mkdtemp(prefix="jobos-bench-")
        os.environ["OLLAMA_HOST"] = "http://127.0.0.1:9"
        from scrapy.crawler import CrawlerProcess
        from scrapy.utils.project import get_project_settings

        from jobos.spiders.careers import CareersSpider

        settings = get_project_settings()
        settings.set("LOG_LEVEL", "WARNING")
        process = CrawlerProcess(settings)
        atss = list(BOARD_URLS)
        crawlers = []
        for i in range(opts.boards):
            ats = atss[i % len(atss)]
            url = BOARD_URLS[ats][0].format(n=i)
            crawler = process.create_crawler(CareersSpider)
            crawlers.append((ats, crawler))
            process.crawl(crawler, company=f"Bench {i:02d}", careers_url=url)
        started = time.perf_counter()
        process.start()
        elapsed = time.perf_counter() - started

    per_ats: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    for ats, crawler in crawlers:
        stats = crawler.stats.get_stats()
        requests = stats.get("downloader/request_count", 0) - stats.get("robotstxt/request_count", 0)
        per_ats[ats]["requests"] += requests
        per_ats[ats]["jobs"] += stats.get("item_scraped_count", 0)
        per_ats[ats]["boards"] += 1
    total_jobs = sum(v["jobs"] for v in per_ats.values())
    total_requests = sum(v["requests"] for v in per_ats.values())
    print(f"boards crawled: {opts.boards} in {elapsed:.1f} s (one process)")
    print(f"jobs: {total_jobs:.0f}  jobs/s: {total_jobs / elapsed:.1f}")
    print(f"{'ats':16} {'boards':>6} {'jobs':>6} {'requests':>8} {'req/job':>8}  goal")
    for ats, v in per_ats.items():
        goal = 0.2 if BOARD_URLS[ats][1] else 1.1
        ratio = v["requests"] / v["jobs"] if v["jobs"] else float("inf")
        flag = "ok" if ratio <= goal else "MISSED"
        print(f"{ats:16} {v['boards']:6.0f} {v['jobs']:6.0f} {v['requests']:8.0f} {ratio:8.3f}  <= {goal} {flag}")
    rate = total_requests / elapsed
    print(f"requests/s (API requests, robots.txt excluded): {rate:.1f}")
    print(f"scrapy bench baseline, same machine, same run: {baseline:.1f} pages/s")
    print(f"ratio crawl requests/s vs scrapy bench pages/s: {rate / baseline:.3f}")


if __name__ == "__main__":
    main()
