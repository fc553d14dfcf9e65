"""The soak's accounting: what the database holds against what the stand-in companies publish."""
from __future__ import annotations

import statistics
from collections import Counter, defaultdict
from dataclasses import dataclass, field

import psycopg
from psycopg.rows import dict_row

from _soak_plan import Company


@dataclass
class Tally:
    """Return value of tally(): the soak's figures and the cases behind any failure."""

    expected: int = 0
    found: int = 0
    rows: int = 0
    duplicated: int = 0  # extra rows: same (board, external_id) more than once, or one URL under two identities
    lost: list[dict] = field(default_factory=list)
    not_open: list[dict] = field(default_factory=list)
    unexpected: list[dict] = field(default_factory=list)
    duplicates: list[dict] = field(default_factory=list)
    pending: int = 0
    runs: Counter = field(default_factory=Counter)
    runs_by_node: dict = field(default_factory=dict)
    run_rows: list[dict] = field(default_factory=list)


def _fetch(database_url: str) -> tuple[list[dict], list[dict], int]:
    with psycopg.connect(database_url, row_factory=dict_row) as conn:
        jobs = conn.execute("SELECT id, board, external_id, url, company, status, last_crawl_id"
                            " FROM jobs").fetchall()
        runs = conn.execute("SELECT id, company, status, node, scrapyd_job_id, found, new, updated,"
                            " errors, error_summary, started_at, finished_at FROM crawl_runs"
                            " ORDER BY id").fetchall()
        pending = conn.execute("SELECT count(*) AS n FROM pending_extractions").fetchone()["n"]
    return jobs, runs, pending


def tally(database_url: str, companies: list[Company]) -> Tally:
    """Return the soak's figures: every expected job once in `jobs`, nothing else, no duplicate."""
    jobs, runs, pending = _fetch(database_url)
    out = Tally(rows=len(jobs), pending=pending, run_rows=runs)
    by_identity: dict[tuple[str, str], list[dict]] = defaultdict(list)
    identities_by_url: dict[str, set[tuple[str, str]]] = defaultdict(set)
    for row in jobs:
        by_identity[(row["board"], row["external_id"])].append(row)
        identities_by_url[row["url"]].add((row["board"], row["external_id"]))
    for key, rows in by_identity.items():
        if len(rows) > 1:
            out.duplicated += len(rows) - 1
            out.duplicates.append({"identity": key, "rows": [r["id"] for r in rows], "why": "same identity"})
    for url, keys in identities_by_url.items():
        if len(keys) > 1:
            out.duplicated += len(keys) - 1
            out.duplicates.append({"url": url, "identities": sorted(keys), "why": "one URL, several identities"})

    rows_by_url = defaultdict(list)
    for row in jobs:
        rows_by_url[row["url"]].append(row)
    expected_urls = set()
    for company in companies:
        for job in company.jobs:
            out.expected += 1
            expected_urls.add(job["url"])
            found = rows_by_url.get(job["url"])
            if not found:
                out.lost.append({"company": company.name, "url": job["url"], "faults": company.faults})
                continue
            out.found += 1
            if any(r["status"] != "open" for r in found):
                out.not_open.append({"company": company.name, "url": job["url"],
                                     "status": [r["status"] for r in found]})
    out.unexpected = [r for r in jobs if r["url"] not in expected_urls]
    for run in runs:
        out.runs[run["status"]] += 1
        out.runs_by_node.setdefault(run["node"], Counter())[run["status"]] += 1
    return out


def rss_summary(values_mb: list[float]) -> dict:
    """Return max, median, p95 and min of per-process peaks in MB (empty dict when none)."""
    if not values_mb:
        return {}
    ordered = sorted(values_mb)
    p95 = ordered[min(len(ordered) - 1, int(round(0.95 * (len(ordered) - 1))))]
    return {"max": ordered[-1], "median": statistics.median(ordered), "p95": p95, "min": ordered[0],
            "n": len(ordered)}
