"""Matching quality and cost: lexical (BM25, the default) vs semantic (all-MiniLM-L6-v2) vs hybrid.

Two labelled sets, both over the 58 real job postings of the corpus's SkillSpan dev split
(other/kris927b__SkillSpan__skillspan_dev.jsonl: posting sentences with BIO tags of skill and
knowledge spans; masked names such as <ORGANIZATION> are dropped from the text):

1. spans -> postings (independent of any ranker): for each posting with at least 4 distinct
   spans, a resume-like query "Skills: a; b; ..." made of half of its spans (at most 10, drawn
   with a fixed seed). Relevance is read from the labels only: the posting the spans came from
   has grade 3; another posting sharing 2 or more of the query's spans (same lower-cased text)
   has grade 2, sharing one has grade 1.
2. resume-like texts -> the postings a recruiter would pick: ten short resumes written for this
   benchmark in a resume's words (not the postings'), each with the postings picked by reading
   all 58 (grade 2 a clear fit, 1 a plausible one).

Rankers: lexical is jobos.resumes.match.rank (BM25 over normalized terms, as the API); semantic is
the cosine of the resume's and each job's embedding (title + description start, 256 tokens);
hybrid fuses the two rankings by reciprocal rank (k=60). Printed per set: nDCG@10 and recall@10.

Time to rank 100,000 jobs (synthetic, as bench_resume_match.py): lexical as the API does it (the
store's full-text index picks 2,000 candidates, BM25 ranks them; an embedded SQLite store in a
temporary directory) and BM25 over every job in Python (the baseline); semantic = embedding the
resume + one matrix product over 100,000 stored job vectors (random unit vectors: the product's
time does not depend on their values) + top-k; hybrid = the lexical path + cosine over its
candidates + fusion. Embedding the jobs themselves happens once at upsert: its rate is measured
on the real postings and printed as jobs per second and the time 100,000 would take.

Run: python bench/bench_match_quality.py [N] (needs requirements-embed.txt for the semantic parts;
without it only the lexical rows are printed, and it says so).
"""
from __future__ import annotations

import json
import math
import os
import random
import re
import sys
import tempfile
import time
from collections import Counter, defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.bench_resume_match import jobs as synthetic_jobs  # noqa: E402
from jobos.resumes import embed  # noqa: E402
from jobos.resumes.match import rank, terms  # noqa: E402

REPO = Path(__file__).resolve().parent.parent
SKILLSPAN = "other/kris927b__SkillSpan__skillspan_dev.jsonl"
K = 10
MASK = re.compile(r"<[A-Z_]+>")

# Resume-like texts -> {posting idx: grade}, picked by reading the 58 postings.
RECRUITER = [
    ("Platform engineer, 6 years keeping production Kubernetes clusters healthy. Built deployment "
     "pipelines in Jenkins and GitLab, infrastructure as code with Terraform on AWS, on-call and "
     "Prometheus alerting.", {1: 2, 2: 2, 13: 2, 25: 1, 5: 1}),
    ("Frontend developer: single-page apps in React and TypeScript, accessible HTML and CSS, "
     "component libraries, Node.js build tooling.", {7: 2, 18: 2, 26: 2, 10: 2, 12: 1}),
    ("Backend developer, Java and Spring Boot. REST APIs, integrating enterprise systems, "
     "business process automation with BPMN in Camunda.", {3: 2, 23: 2, 24: 2, 29: 2, 15: 1, 6: 1, 16: 1}),
    ("Embedded software engineer: C and C++ on embedded Linux, kernel device drivers, network "
     "stacks and Ethernet, real-time constraints.", {14: 2, 28: 2}),
    ("Head of engineering for a software product: managed three teams of developers, hiring, "
     "coaching, agile delivery, roadmap with product owners.", {20: 2, 25: 2, 9: 1}),
    ("Postdoctoral researcher: machine learning on wearable sensor data, adaptive neural control "
     "for robots, publications in journals.", {30: 2, 31: 2, 47: 1}),
    ("Finance professional: budgeting, forecasting and financial planning, controlling of IT "
     "costs, reporting to management.", {49: 2, 57: 2, 46: 1}),
    ("Molecular biologist and bioinformatician: mass-spectrometry proteomics, omics data "
     "analysis in R and Python, DNA sequencing, drug discovery projects.", {50: 2, 38: 2, 51: 1}),
    ("Hotel housekeeper: cleaning guest rooms, flexible shifts including weekends; before that "
     "kitchen help in a restaurant.", {55: 2, 48: 1}),
    ("Project manager: planned and delivered large engineering projects on scope, budget and "
     "time; coordinated partners, suppliers and stakeholders.", {43: 2, 42: 2, 56: 2, 44: 1}),
]


def corpus_dir() -> Path:
    configured = os.environ.get("JOBOS_CORPUS_DIR")
    return Path(configured) if configured else REPO.parent / "shared" / "corpus"


def _spans(tokens: list[str], tags: list[str]) -> list[str]:
    spans, current = [], []
    for token, tag in zip(tokens, tags):
        if tag.startswith("B") or (tag.startswith("I") and not current):
            if current:
                spans.append(" ".join(current))
            current = [token]
        elif tag.startswith("I"):
            current.append(token)
        else:
            if current:
                spans.append(" ".join(current))
            current = []
    if current:
        spans.append(" ".join(current))
    return spans


def load_postings(path: Path) -> tuple[list[dict], dict[int, set[str]]]:
    """Return the postings as jobs (id = SkillSpan idx) and each posting's distinct spans."""
    sentences: dict[int, list[str]] = defaultdict(list)
    spans: dict[int, set[str]] = defaultdict(set)
    for line in path.read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        idx = int(row["idx"])
        text = MASK.sub(" ", " ".join(row["tokens"]))
        sentences[idx].append(" ".join(text.split()))
        for tags in (row["tags_skill"], row["tags_knowledge"]):
            for span in _spans(row["tokens"], tags):
                clean = " ".join(MASK.sub(" ", span).split()).lower()
                if len(clean) > 1:
                    spans[idx].add(clean)
    jobs = []
    for idx, lines in sorted(sentences.items()):
        lines = [s for s in lines if s]
        jobs.append({"id": idx, "title": lines[0] if lines else "", "description": " ".join(lines[1:])})
    return jobs, spans


def span_queries(spans: dict[int, set[str]], seed: int = 17) -> list[tuple[str, dict[int, int]]]:
    rnd = random.Random(seed)
    out = []
    for idx in sorted(spans):
        own = sorted(spans[idx])
        if len(own) < 4:
            continue
        picked = rnd.sample(own, min(10, len(own) // 2))
        relevant = {idx: 3}
        for other, theirs in spans.items():
            if other != idx:
                shared = len(set(picked) & theirs)
                if shared:
                    relevant[other] = 2 if shared >= 2 else 1
        out.append(("Skills: " + "; ".join(picked) + ".", relevant))
    return out


def ndcg(ranked: list[int], relevant: dict[int, int], k: int = K) -> float:
    dcg = sum((2 ** relevant.get(d, 0) - 1) / math.log2(i + 2) for i, d in enumerate(ranked[:k]))
    ideal = sorted(relevant.values(), reverse=True)[:k]
    idcg = sum((2 ** g - 1) / math.log2(i + 2) for i, g in enumerate(ideal))
    return dcg / idcg if idcg else 0.0


def recall(ranked: list[int], relevant: dict[int, int], k: int = K) -> float:
    return len(set(ranked[:k]) & set(relevant)) / len(relevant) if relevant else 0.0


def lexical(query: str, jobs: list[dict], limit: int) -> list[int]:
    return [m["job_id"] for m in rank(query, jobs, limit=limit)]


def evaluate(name: str, queries: list[tuple[str, dict[int, int]]], jobs: list[dict], vectors, embedder) -> dict:
    ids = [j["id"] for j in jobs]
    scores: dict[str, list[tuple[float, float]]] = defaultdict(list)
    query_vectors = embedder.embed([q for q, _ in queries]) if embedder else None
    for n, (query, relevant) in enumerate(queries):
        lex = lexical(query, jobs, limit=len(jobs))
        scores["lexical"].append((ndcg(lex, relevant), recall(lex, relevant)))
        if embedder is None:
            continue
        sem = [i for i, _ in embed.rank_by_vectors(query_vectors[n], ids, vectors, limit=len(jobs))]
        scores["semantic"].append((ndcg(sem, relevant), recall(sem, relevant)))
        hyb = embed.fuse([lex, sem], limit=len(jobs))
        scores["hybrid"].append((ndcg(hyb, relevant), recall(hyb, relevant)))
    result = {}
    for ranker, rows in scores.items():
        result[ranker] = (sum(r[0] for r in rows) / len(rows), sum(r[1] for r in rows) / len(rows))
        print(f"{name:<22} queries={len(queries):<3} {ranker:<9} nDCG@{K}={result[ranker][0]:.3f}"
              f" recall@{K}={result[ranker][1]:.3f}")
    return result


def timings(n: int, embedder, embed_rate: float | None) -> None:
    import numpy as np

    from jobos.store.sqlite import SqliteStore

    corpus = synthetic_jobs(n)
    resume = "Senior Python developer: Django, PostgreSQL, AWS, data pipelines with Spark, some React."
    t0 = time.perf_counter()
    rank(resume, corpus, limit=20)
    bm25_all = time.perf_counter() - t0
    matrix = ids = None
    if embedder is not None:
        rnd = np.random.default_rng(7)
        matrix = rnd.standard_normal((n, embed.DIMENSION), dtype=np.float32)
        matrix /= np.linalg.norm(matrix, axis=1, keepdims=True)
        ids = np.arange(1, n + 1)
    with tempfile.TemporaryDirectory() as tmp:
        store = SqliteStore(Path(tmp) / "bench.sqlite3")
        for i in range(0, n, 1000):
            store.upsert_jobs([{"board": "bench:b", "company": "Bench", "source": "website", "method": "api",
                                "external_id": str(j["id"]), "title": j["title"], "description": j["description"],
                                "url": f"https://bench.example/jobs/{j['id']}"} for j in corpus[i:i + 1000]])
        t0 = time.perf_counter()
        words = [t for t, _ in Counter(terms(resume)).most_common(64)]
        rank(resume, store.candidate_jobs(words, limit=2000), limit=20)
        lexical_time = time.perf_counter() - t0
        hybrid_time = None
        if embedder is not None:
            t0 = time.perf_counter()
            candidates = store.candidate_jobs(words, limit=2000)
            ranked = rank(resume, candidates, limit=len(candidates))
            rows = [m["job_id"] - 1 for m in ranked]  # job ids follow the synthetic ids here
            vectors = {m["job_id"]: matrix[r] for m, r in zip(ranked, rows)}
            embed.hybrid_order(resume, ranked, vectors, embedder, limit=20)
            hybrid_time = time.perf_counter() - t0
        store.close()
    print(f"time jobs={n} lexical(fts 2000 + bm25)={lexical_time:.3f}s bm25_over_all={bm25_all:.2f}s "
          f"ratio={bm25_all / lexical_time:.1f}")
    if embedder is None:
        return
    t0 = time.perf_counter()
    query = embedder.embed([resume])[0]
    embed.rank_by_vectors(query, ids, matrix, limit=20)
    semantic_time = time.perf_counter() - t0
    print(f"time jobs={n} semantic(embed resume + product over all)={semantic_time:.3f}s "
          f"hybrid(lexical + cosine over its candidates)={hybrid_time:.3f}s "
          f"semantic/lexical={semantic_time / lexical_time:.2f} hybrid/lexical={hybrid_time / lexical_time:.2f}")
    if embed_rate:
        print(f"embedding at upsert: {embed_rate:.1f} jobs/s on one thread -> {n / embed_rate / 3600:.1f} h "
              f"for {n} jobs (once per new or changed job)")


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    path = corpus_dir() / SKILLSPAN
    if not path.is_file():
        sys.exit(f"The SkillSpan postings are not at {path} (set JOBOS_CORPUS_DIR)")
    jobs, spans = load_postings(path)
    embedder, vectors, rate = None, None, None
    if embed.available():
        embedder = embed.Embedder()
        embedder.embed(["warm up"])
        t0 = time.perf_counter()
        vectors = embedder.embed([embed.job_text(j) for j in jobs])
        rate = len(jobs) / (time.perf_counter() - t0)
    else:
        print("semantic and hybrid skipped: the packages of requirements-embed.txt are not installed")
    print(f"postings={len(jobs)} spans={sum(len(s) for s in spans.values())}")
    evaluate("spans->postings", span_queries(spans), jobs, vectors, embedder)
    evaluate("resumes->recruiter", RECRUITER, jobs, vectors, embedder)
    timings(n, embedder, rate)


if __name__ == "__main__":
    main()
