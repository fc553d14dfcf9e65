"""Benchmark: crawl every real career page of the corpus at its real URL and score the jobs found.

Every page of pages_truth.json is served at its URL through the stand-in web (URLs the corpus
does not hold answer 404), crawled with the real spider (`scrapy crawl careers -a careers_url=`,
JSON lines export, two crawls at a time) with the LLM tier off, and its (title, url) pairs are
scored against the truth on the jobs the listing stage found: a job link whose page the corpus
lacks (404) counts as found with the listing's title, so it neither hides nor invents a job.

Scoring (per page, then the mean per page_kind and per half):
- recall: truth jobs found / truth jobs (a job with a URL is matched by its URL or one of its
  alt_urls; a job without one (url null) by its title or alt_titles); pages without truth jobs
  have no recall;
- precision: found jobs that are truth jobs / found jobs; on pages whose truth is incomplete
  (jobs_complete false) other jobs found are printed as "extra" and not counted against it;
  open applications (open_application) count neither way;
- title accuracy: matched jobs whose title equals the truth title or an alt_title (whitespace
  collapsed);
- zero: the truth lists jobs and the crawl found none; requests (robots.txt excluded) and LLM
  calls per page.

The check half (see corpus_pages.py) is printed only as totals unless --show-check is given:
rules are written against the tune half and the check half only measures them.

    .venv/bin/python bench/bench_pages.py [--kind listing] [--show-check] [--json out.json]
"""
from __future__ import annotations

import argparse
import json
import os
import re
import sys
import tempfile
import time
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import REPO  # noqa: E402  (puts tests/web and the repository on sys.path)

from corpus_pages import Page, load_pages  # noqa: E402
from standin import StandinWeb  # noqa: E402

from tests.crawl import run_crawl  # noqa: E402

GOAL_KINDS = ("listing", "listing_with_jsonld", "detail", "fragment", "script_chunk")
_LINK_LOG = re.compile(r"job link: (\{.*\})\s*$")


def _norm_title(text: str | None) -> str:
    return re.sub(r"\s+", " ", text or "").strip()


def _norm_url(url: str | None) -> str:
    parts = urlsplit(url or "")
    path = parts.path.rstrip("/") or "/"
    return urlunsplit(("https", parts.netloc.lower(), path, parts.query, ""))


def found_jobs(items: list[dict], log: str) -> list[tuple[str, str]]:
    """Return (title, url) of every job the crawl found: its records, then listing links it followed."""
    found: list[tuple[str, str]] = []
    seen_ids: set = set()
    for item in items:
        if (item.get("board"), item.get("external_id")) in seen_ids:
            continue
        seen_ids.add((item.get("board"), item.get("external_id")))
        found.append((item.get("title") or "", item.get("url") or ""))
    urls = {_norm_url(url) for _, url in found}
    for line in log.splitlines():
        match = _LINK_LOG.search(line)
        if not match:
            continue
        try:
            link = json.loads(match.group(1))
        except ValueError:
            continue
        key = _norm_url(link.get("url"))
        if key not in urls:
            urls.add(key)
            found.append((link.get("title") or "", link.get("url") or ""))
    return found


def score(page: Page, found: list[tuple[str, str]]) -> dict:
    """Return the page's recall, precision, title accuracy and the jobs missed or extra."""
    truth = page.truth
    required = [j for j in truth["jobs"] if not j.get("open_application")]
    optional = [j for j in truth["jobs"] if j.get("open_application")]

    def urls(job: dict) -> set[str]:
        return {_norm_url(u) for u in [job.get("url"), *job.get("alt_urls", [])] if u}

    def titles(job: dict) -> set[str]:
        return {_norm_title(t).lower() for t in [job.get("title"), *job.get("alt_titles", [])] if t}

    remaining = list(found)
    matched: list[tuple[dict, tuple[str, str]]] = []
    missed: list[dict] = []

    def take(job: dict) -> tuple[str, str] | None:
        for candidate in remaining:
            title, url = candidate
            if job.get("url"):
                if _norm_url(url) in urls(job):
                    remaining.remove(candidate)
                    return candidate
            elif _norm_title(title).lower() in titles(job):
                remaining.remove(candidate)
                return candidate
        return None

    for job in required:
        hit = take(job)
        if hit:
            matched.append((job, hit))
        else:
            missed.append(job)
    for job in optional:
        take(job)
    extra = remaining
    counted_extra = extra if truth.get("jobs_complete", True) else []
    recall = len(matched) / len(required) if required else None
    denominator = len(matched) + len(counted_extra)
    precision = len(matched) / denominator if denominator else 1.0
    exact = sum(1 for job, (title, _) in matched
                if _norm_title(title) in {_norm_title(t) for t in [job["title"], *job.get("alt_titles", [])]})
    return {
        "recall": recall, "precision": precision,
        "title_acc": exact / len(matched) if matched else None,
        "found": len(found), "truth": len(required), "matched": len(matched),
        "zero": bool(required) and not found,
        "missed": [j["title"] for j in missed],
        "extra": [t for t, _ in extra], "extra_counted": len(counted_extra),
        "wrong_titles": [(title, job["title"]) for job, (title, _) in matched
                         if _norm_title(title) not in {_norm_title(t) for t in [job["title"], *job.get("alt_titles", [])]}],
    }


def crawl_page(web: StandinWeb, page: Page, render: str) -> dict:
    """Crawl one page through the stand-in web and return its score, requests and LLM calls."""
    started = time.perf_counter()
    result = run_crawl(
        web, company=page.company or urlsplit(page.url).hostname, careers_url=page.url, render=render,
        settings={"USER_AGENT": f"JobOS/0.1 jobos-bench/{page.index}", "JOBOS_LLM_ENABLED": "0"},
        timeout=300,
    )
    stats = result.stats
    found = found_jobs(result.items, result.log)
    row = score(page, found)
    row.update(
        file=page.file, kind=page.kind, half=page.half, url=page.url,
        seconds=time.perf_counter() - started, returncode=result.returncode,
        requests=stats.get("downloader/request_count", 0) - stats.get("robotstxt/request_count", 0),
        llm_calls=sum(v for k, v in stats.items() if k in ("jobos/llm/calls", "jobos/llm/listing_calls")
                      and isinstance(v, (int, float))),
        html_records=sum(1 for item in result.items if item.get("method") == "html"),
        listing_stats={k: v for k, v in stats.items() if k.startswith(("jobos/listing/", "jobos/site/"))},
    )
    return row


def _mean(values: list[float | None]) -> float | None:
    values = [v for v in values if v is not None]
    return sum(values) / len(values) if values else None


def _fmt(value: float | None) -> str:
    return "  -  " if value is None else f"{value:5.2f}"


def summary(rows: list[dict], label: str) -> str:
    return (f"{label:34} {len(rows):5d} {_fmt(_mean([r['recall'] for r in rows]))} "
            f"{_fmt(_mean([r['precision'] for r in rows]))} {_fmt(_mean([r['title_acc'] for r in rows]))} "
            f"{sum(r['zero'] for r in rows):5d} {_mean([r['requests'] for r in rows]) or 0:7.1f} "
            f"{_mean([r['llm_calls'] for r in rows]) or 0:6.1f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kind", action="append", help="only pages of this page_kind (repeatable)")
    parser.add_argument("--half", choices=("tune", "check"), help="only one half")
    parser.add_argument("--match", help="only pages whose file contains this text")
    parser.add_argument("--show-check", action="store_true", help="print the check half's pages too")
    parser.add_argument("--render", default="auto", choices=("auto", "never", "always"))
    parser.add_argument("--parallel", type=int, default=2)
    parser.add_argument("--json", help="write the per-page results to this file")
    opts = parser.parse_args()

    all_pages = load_pages()
    pages = [p for p in all_pages if (not opts.kind or p.kind in opts.kind)
             and (not opts.half or p.half == opts.half) and (not opts.match or opts.match in p.file)]
    served = Path(tempfile.mkdtemp(prefix="jobos-bench-pages-")) / "pages.json"
    served.write_text(json.dumps([{"url": p.url, "file": str(p.path)} for p in all_pages]))
    os.environ["JOBOS_BENCH_PAGES"] = str(served)  # read by the stand-in's bench_pages handler
    started = time.perf_counter()
    with StandinWeb() as web, ThreadPoolExecutor(max_workers=opts.parallel) as pool:
        rows = list(pool.map(lambda p: crawl_page(web, p, opts.render), pages))
    elapsed = time.perf_counter() - started

    print(f"{len(rows)} pages crawled in {elapsed:.0f} s ({opts.parallel} at a time, LLM tier off)\n")
    print(f"{'page':60} {'kind':20} {'half':5} {'truth':>5} {'found':>5} {'rec':>5} {'prec':>5} "
          f"{'title':>5} {'req':>4} {'llm':>3}")
    for row in rows:
        if row["half"] == "check" and not opts.show_check:
            continue
        name = Path(row["file"]).name[:60]
        print(f"{name:60} {row['kind'][:20]:20} {row['half']:5} {row['truth']:5d} {row['found']:5d} "
              f"{_fmt(row['recall'])} {_fmt(row['precision'])} {_fmt(row['title_acc'])} "
              f"{row['requests']:4d} {row['llm_calls']:3.0f}")
        if row["missed"]:
            print(f"{'':8}missed: {row['missed'][:6]}")
        if row["extra"]:
            print(f"{'':8}extra ({'counted' if row['extra_counted'] else 'not counted'}): {row['extra'][:6]}")
        if row["wrong_titles"]:
            print(f"{'':8}titles (found, truth): {row['wrong_titles'][:4]}")
        if row["returncode"]:
            print(f"{'':8}crawl exit code {row['returncode']}")

    header = f"\n{'group':34} {'pages':>5} {'rec':>5} {'prec':>5} {'title':>5} {'zero':>5} {'req/pg':>7} {'llm/pg':>6}"
    print(header)
    by: dict[tuple, list[dict]] = defaultdict(list)
    for row in rows:
        by[("kind", row["kind"], row["half"])].append(row)
        by[("kind", row["kind"], "both")].append(row)
        by[("half", row["half"])].append(row)
    for kind in sorted({r["kind"] for r in rows}):
        for half in ("tune", "check", "both"):
            group = by.get(("kind", kind, half))
            if group:
                print(summary(group, f"{kind} / {half}"))
    for half in ("tune", "check"):
        if by.get(("half", half)):
            print(summary(by[("half", half)], f"all kinds / {half}"))
    goal = [r for r in rows if r["kind"] in GOAL_KINDS]
    for half in ("tune", "check"):
        group = [r for r in goal if r["half"] == half]
        if group:
            print(summary(group, f"goal kinds / {half}"))
    jsonld_or_ats = [r for r in rows if r["kind"].startswith("ats") or "jsonld" in r["kind"]]
    print(f"\nLLM calls on JSON-LD/ATS pages: {sum(r['llm_calls'] for r in jsonld_or_ats):.0f} "
          f"(records an enabled LLM tier would receive there, method html: "
          f"{sum(r['html_records'] for r in jsonld_or_ats)}); "
          f"pages with zero jobs where the truth has some: {sum(r['zero'] for r in rows)}")
    if opts.json:
        Path(opts.json).write_text(json.dumps(rows, indent=1, default=str))


if __name__ == "__main__":
    main()
