"""`jobos crawl COMPANY [COUNTRY]`: one crawl from a terminal, said in a few plain lines.

The crawl is the same `careers` spider `scrapy crawl` runs; this command validates the
arguments first (a bad one exits 2 before anything is fetched or any output file is touched),
sends Scrapy's log to a file (or to the terminal with --verbose), prints progress and a summary
(jobos/report.py), and exits with the status the summary gives.
"""
from __future__ import annotations

import argparse
import os
import sys
from datetime import datetime, timezone
from pathlib import Path

from jobos.report import EXIT_BAD_ARGUMENT, EXIT_UNREADABLE

FEED_FORMATS = {".jsonl": "jsonlines", ".jl": "jsonlines", ".json": "json", ".csv": "csv", ".xml": "xml"}


def add_parser(sub: argparse._SubParsersAction, parser_class: type) -> None:
    crawl = sub.add_parser(
        "crawl", help="crawl one company's career page (progress and a summary; full log to a file)",
        description="Find a company's career page and read every open job there. Exit status: "
                    "0 jobs read (partial included), 2 bad argument, 3 no career page found, "
                    "4 the careers URL was refused, 5 nothing could be read.")
    # Optional here so a missing name is said as every surface says it ("company: is required").
    crawl.add_argument("company", nargs="?", help="the company's name, as a person would type it")
    crawl.add_argument("country", nargs="?", help="ISO country code or English name (optional)")
    crawl.add_argument("--careers-url", help="the careers page or ATS board, when you know it")
    crawl.add_argument("-o", "--output", help="also write the jobs to this file (.jsonl, .json, .csv, .xml)")
    crawl.add_argument("--max-jobs", help="stop after this many jobs (the crawl is then partial)")
    crawl.add_argument("--render", help="use the browser: auto (default), always, never")
    crawl.add_argument("-v", "--verbose", action="store_true", help="print Scrapy's full log instead")
    crawl.add_argument("-L", "--log-level", help="log level with --verbose (default DEBUG)")
    crawl.set_defaults(func=cmd_crawl)


def _feed(path: str) -> tuple[str, dict]:
    fmt = FEED_FORMATS.get(Path(path).suffix.lower())
    if fmt is None:
        raise ValueError(f"output: {path!r} has no known extension (use .jsonl, .json, .csv or .xml)")
    return str(Path(path).resolve()), {"format": fmt, "overwrite": True, "encoding": "utf-8"}


def cmd_crawl(args: argparse.Namespace) -> int:
    from jobos import config
    from jobos.args import CrawlArgsError, parse_crawl_args

    raw = {"company": args.company, "country": args.country, "careers_url": args.careers_url,
           "max_jobs": args.max_jobs, "render": args.render}
    raw = {k: v for k, v in raw.items() if v is not None}
    try:
        crawl_args = parse_crawl_args(raw)
        feeds = dict([_feed(args.output)]) if args.output else {}
    except (CrawlArgsError, ValueError) as exc:
        print(f"jobos: {exc}", file=sys.stderr)
        return EXIT_BAD_ARGUMENT

    os.environ.setdefault("SCRAPY_SETTINGS_MODULE", "jobos.settings")
    from scrapy.crawler import CrawlerProcess
    from scrapy.utils.project import get_project_settings

    settings = get_project_settings()
    settings.set("JOBOS_CONSOLE_REPORT", True, priority="project")  # ours, not a caller's -s
    settings.set("FEEDS", feeds, priority="cmdline")
    store = config.database_url()
    settings.set("JOBOS_STORE_DESCRIPTION",
                 "the Postgres store" if store else f"the embedded store in {config.data_dir()}",
                 priority="project")
    if args.verbose:
        settings.set("LOG_LEVEL", (args.log_level or "DEBUG").upper(), priority="cmdline")
    else:
        logs = config.data_dir() / "logs"
        logs.mkdir(parents=True, exist_ok=True)
        stamp = datetime.now(timezone.utc).strftime("%Y%m%d-%H%M%S")
        settings.set("LOG_FILE", str(logs / f"crawl-{stamp}-{os.getpid()}.log"), priority="cmdline")
        settings.set("LOG_LEVEL", "INFO", priority="cmdline")
    print(f"jobos: crawling {crawl_args.company}"
          + (f" ({crawl_args.country})" if crawl_args.country else "") + " ...", file=sys.stderr, flush=True)
    import logging

    logging.getLogger().handlers.clear()  # Scrapy's own handler (file, or console with --verbose) only
    process = CrawlerProcess(settings)
    crawler = process.create_crawler("careers")
    process.crawl(crawler, **{k: str(v) for k, v in crawl_args.model_dump(exclude_none=True).items()
                              if k in raw})
    process.start()
    code = crawler.stats.get_value("jobos/exit_code") if crawler.stats else None
    return EXIT_UNREADABLE if code is None else int(code)
