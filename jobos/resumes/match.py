"""Rank open jobs for a resume: BM25 over normalized terms, each match explained."""
from __future__ import annotations

import heapq
import math
import re
import unicodedata
from collections import Counter
from typing import Iterable

_TOKEN = re.compile(r"[a-z0-9][a-z0-9+#.]*[a-z0-9+#]|[a-z0-9]")
# Words that say nothing about a person's fit (English and German, the corpus's main languages).
STOPWORDS = frozenset("""
a an and are as at be by for from has have in is it its of on or our that the their this to we
will with you your who what when where which all any can more other such than then they us was
were would about into over also not but if so do does did been being he she his her them i me my
und der die das ein eine mit fur für von zu im in ist sind wir sie ihr ihre auf als auch oder bei
job jobs work working team teams role company experience years year m w d f
""".split())
K1, B = 1.2, 0.75


def terms(text: str | None) -> list[str]:
    """Return the normalized terms of a text (lower case, no accents, no stop words)."""
    text = unicodedata.normalize("NFKD", text or "")
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).lower()
    return [t.rstrip(".") for t in _TOKEN.findall(text) if t.rstrip(".") not in STOPWORDS and len(t) > 1]


def rank(resume_text: str, jobs: Iterable[dict], limit: int = 20) -> list[dict]:
    """Return the best open jobs for a resume, best first, each with its score and the shared terms.

    The resume is the query (its distinct terms); jobs are the documents (title counted twice:
    a title word says more than a description word). IDF is over the jobs ranked.
    """
    query = set(terms(resume_text))
    docs: list[tuple[dict, Counter]] = []
    df: Counter = Counter()
    total_len = 0
    for job in jobs:
        tf = Counter(terms(job.get("title")) * 2 + terms(job.get("description")))
        docs.append((job, tf))
        total_len += sum(tf.values())
        df.update(t for t in tf if t in query)
    if not docs:
        return []
    n, avg = len(docs), total_len / len(docs) or 1.0
    idf = {t: math.log(1 + (n - df[t] + 0.5) / (df[t] + 0.5)) for t in df}
    scored = []
    for job, tf in docs:
        length = sum(tf.values())
        contributions = {}
        for t in query.intersection(tf):
            f = tf[t]
            contributions[t] = idf[t] * f * (K1 + 1) / (f + K1 * (1 - B + B * length / avg))
        if contributions:
            scored.append((sum(contributions.values()), job["id"], job, contributions))
    best = heapq.nlargest(limit, scored, key=lambda s: (s[0], -s[1]))
    out = []
    for score, _, job, contributions in best:
        shared = sorted(contributions, key=lambda t: -contributions[t])
        title_terms = set(terms(job.get("title")))
        out.append({
            "job_id": job["id"], "title": job.get("title"), "company": job.get("company"),
            "location": job.get("location"), "country": job.get("country"), "url": job.get("url"),
            "score": round(score, 4),
            "explanation": {"shared_terms": shared[:15], "in_title": [t for t in shared if t in title_terms][:10]},
        })
    return out
