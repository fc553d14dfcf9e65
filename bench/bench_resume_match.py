"""Time to rank open jobs for a resume (BM25 in Python over normalized terms).

Prints, for N synthetic jobs: BM25 over every job (the baseline, measured in the same run), and
what the API does, the store's full-text index picking 2,000 candidates that BM25 then ranks
(an embedded SQLite store in a temporary directory); the ratio is baseline / API.
Run: python bench/bench_resume_match.py [N]
"""
from __future__ import annotations

import random
import sys
import time

from jobos.resumes.match import rank, terms

WORDS = ("python django postgresql kubernetes react typescript java spring kotlin figma sales marketing "
         "finance accounting robotics ros embedded linux security cloud aws azure data pipelines spark "
         "machine learning nurse logistics warehouse driver teacher german english french senior junior "
         "lead manager engineer developer designer analyst consultant support customer service").split()


def jobs(n: int) -> list[dict]:
    rnd = random.Random(7)
    return [{"id": i, "title": " ".join(rnd.choices(WORDS, k=3)),
             "description": " ".join(rnd.choices(WORDS, k=120))} for i in range(1, n + 1)]


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    corpus = jobs(n)
    import tempfile
    from collections import Counter
    from pathlib import Path

    from jobos.store.sqlite import SqliteStore

    resume = "Senior Python developer: Django, PostgreSQL, AWS, data pipelines with Spark, some React."
    t0 = time.perf_counter()
    full = rank(resume, corpus, limit=20)
    base = time.perf_counter() - t0
    with tempfile.TemporaryDirectory() as tmp:
        store = SqliteStore(Path(tmp) / "bench.sqlite3")
        for i in range(0, n, 1000):
            store.upsert_jobs([{"board": "bench:b", "company": "Bench", "source": "website", "method": "api",
                                "external_id": str(j["id"]), "title": j["title"], "description": j["description"],
                                "url": f"https://bench.example/jobs/{j['id']}"} for j in corpus[i:i + 1000]])
        t0 = time.perf_counter()
        words = [t for t, _ in Counter(terms(resume)).most_common(64)]
        best = rank(resume, store.candidate_jobs(words, limit=2000), limit=20)
        took = time.perf_counter() - t0
        store.close()
    shared = len({b["title"] for b in best} & {f["title"] for f in full})
    print(f"jobs={n} bm25_all={base:.2f}s fts_then_bm25={took:.2f}s ratio={base / took:.1f}"
          f" top20_titles_shared={shared}/20")


if __name__ == "__main__":
    main()
