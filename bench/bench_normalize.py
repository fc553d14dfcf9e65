"""Normalization throughput: records/s for normalize_item next to a plain copy loop.

Run: .venv/bin/python bench/bench_normalize.py [N]
"""
from __future__ import annotations

import copy
import random
import sys
import time
from datetime import datetime, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from jobos.normalize.record import normalize_item  # noqa: E402

# Shapes seen in real ATS responses (location, employment type, salary, date spellings).
LOCATIONS = [
    "San Francisco, CA", "New York City, NY; San Francisco, CA", "London, UK", "Remote - US",
    "Berlin, Berlin, Germany", "Irving Texas United States", "USA.VA.Reston", "München",
    "Toronto, Ontario, Canada", "SF / NY / Remote", "Cape Town, ZA", "Remote (EMEA)",
    "Hybrid - Paris", "Warsaw, Masovian Voivodeship, Poland", "Kuala Lumpur Selangor Malaysia",
]
EMPLOYMENT = ["FullTime", "Full-time", "Perm - Full-time", "Vollzeit", "Contract", "Intern", "permanent"]
SALARIES = ["$255K – $405K • Offers Equity", "EUR 60k-70k", "£45/hour", "60.000 € – 70.000 € brutto/Jahr", None]
DATES = ["2025-05-28T17:29:19.123Z", 1700000000000, "Posted 3 Days Ago", "Posted 30+ Days Ago", None]


def make_records(n: int, seed: int = 7) -> list[dict]:
    """Return n generated records built from corpus-like strings (each location varied)."""
    rng = random.Random(seed)
    records = []
    for i in range(n):
        records.append({
            "title": f"  Senior Engineer &amp; Lead {i} ",
            "company": "Acme",
            "url": f"https://Jobs.Acme.com/jobs/{i}?utm_source=li&gh_src=x#apply",
            "location": rng.choice(LOCATIONS) + ("" if i % 3 else f" {i % 97}"),
            "employment_type": rng.choice(EMPLOYMENT),
            "salary_text": rng.choice(SALARIES),
            "posted_at": rng.choice(DATES),
            "source": rng.choice(["website", "greenhouse"]),
            "method": "api",
        })
    return records


def measure(fn, records: list[dict]) -> float:
    start = time.perf_counter()
    for record in records:
        fn(record)
    return time.perf_counter() - start


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 20_000
    now = datetime.now(timezone.utc)
    base = make_records(n)
    # Warm-up outside the timing: pycountry loads its databases on first use.
    for record in make_records(200, seed=1):
        normalize_item(record, now)
    baseline = measure(lambda r: dict(copy.copy(r)), [dict(r) for r in base])
    # Copies so both loops see identical inputs; the copy cost is outside the timed loop.
    work = [dict(r) for r in base]
    elapsed = measure(lambda r: normalize_item(r, now), work)
    rate, base_rate = n / elapsed, n / baseline
    print(f"records: {n}")
    print(f"normalize_item: {rate:,.0f} records/s ({elapsed:.2f} s)")
    print(f"baseline copy loop: {base_rate:,.0f} records/s ({baseline:.3f} s)")
    print(f"ratio vs baseline: {base_rate / rate:,.1f}x slower")


if __name__ == "__main__":
    main()
