"""Rank open jobs for a resume: BM25 over normalized terms, each match explained (the terms in
both, the seniority of each side, and whether the job's place fits the places the resume names)."""
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

# Seniority words in a title or resume, lowest first (English and German).
LEVELS = ("intern", "junior", "mid", "senior", "lead")
_LEVEL_WORDS = {
    "intern": r"intern|internship|praktikum|praktikant\w*|werkstudent\w*|working student|trainee|apprentice\w*|ausbildung",
    "junior": r"junior|jr|entry[- ]level|graduate|berufseinsteiger\w*",
    "senior": r"senior|sr|experienced|erfahren\w*",
    "lead": r"lead|principal|staff|head of|director|leiter\w*|leitung|team ?lead\w*|architect",
}
_LEVEL_RES = {level: re.compile(rf"\b(?:{words})\b") for level, words in _LEVEL_WORDS.items()}
_YEARS = re.compile(r"\b(\d{1,2})\+?\s*(?:years?|yrs?|jahre?n?)\b")


def terms(text: str | None) -> list[str]:
    """Return the normalized terms of a text (lower case, no accents, no stop words)."""
    text = unicodedata.normalize("NFKD", text or "")
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).lower()
    return [t.rstrip(".") for t in _TOKEN.findall(text) if t.rstrip(".") not in STOPWORDS and len(t) > 1]


def _fold(text: str | None) -> str:
    text = unicodedata.normalize("NFKD", text or "")
    return " ".join("".join(ch for ch in text if not unicodedata.combining(ch)).lower().split())


def title_level(title: str | None) -> str | None:
    """Return the seniority a job title names ('intern' ... 'lead'), or None when it names none."""
    folded = _fold(title)
    for level in ("intern", "lead", "senior", "junior"):  # "Senior Lead" is a lead; "Junior" plain
        if _LEVEL_RES[level].search(folded):
            return level
    return None


def resume_level(text: str | None) -> str | None:
    """Return a resume's seniority: from its largest "N years" of experience, else the most
    senior level its words name, else None."""
    folded = _fold(text)[:20_000]
    years = [int(y) for y in _YEARS.findall(folded) if int(y) <= 50]
    if years:
        most = max(years)
        return "junior" if most < 2 else "mid" if most < 5 else "senior" if most < 9 else "lead"
    named = [level for level in LEVELS if level in _LEVEL_RES and _LEVEL_RES[level].search(folded)]
    return named[-1] if named else None


def seniority_fit(resume: str | None, job: str | None) -> str | None:
    """Return 'same', 'job above' or 'job below' (the job's level against the resume's), or None."""
    if resume is None:
        return None
    job = job or "mid"  # a title without a level word is an ordinary (mid) position
    diff = LEVELS.index(job) - LEVELS.index(resume)
    return "same" if diff == 0 else "job above" if diff > 0 else "job below"


def resume_countries(text: str | None) -> set[str]:
    """Return the countries a resume names by name (codes are too ambiguous in running text)."""
    from jobos.normalize.countries import _names

    names = _names()
    words = re.findall(r"[a-z]+", _fold(text)[:20_000])
    found = set()
    for n in (1, 2, 3):
        for i in range(len(words) - n + 1):
            code = names.get(" ".join(words[i:i + n]))
            if code:
                found.add(code)
    return found


def location_fit(job: dict, countries: set[str], folded_resume: str) -> str:
    """Return how the job's place fits the resume: 'remote', 'same city', 'same country',
    'elsewhere' (the resume names other countries) or 'unknown'."""
    if job.get("workplace") == "remote":
        return "remote"
    city = _fold(str(job.get("location") or "")).split(",")[0].strip()
    if len(city) > 2 and re.search(rf"\b{re.escape(city)}\b", folded_resume):
        return "same city"
    country = (job.get("country") or "").upper()
    if country and country in countries:
        return "same country"
    if country and countries:
        return "elsewhere"
    return "unknown"


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
    level = resume_level(resume_text)
    countries, folded = resume_countries(resume_text), _fold(resume_text)[:20_000]
    out = []
    for score, _, job, contributions in best:
        shared = sorted(contributions, key=lambda t: -contributions[t])
        title_terms = set(terms(job.get("title")))
        job_level = title_level(job.get("title"))
        out.append({
            "job_id": job["id"], "title": job.get("title"), "company": job.get("company"),
            "location": job.get("location"), "country": job.get("country"), "workplace": job.get("workplace"),
            "url": job.get("url"),
            "score": round(score, 4),
            "explanation": {
                "shared_terms": shared[:15], "in_title": [t for t in shared if t in title_terms][:10],
                "resume_level": level, "job_level": job_level or "mid",
                "seniority": seniority_fit(level, job_level), "location": location_fit(job, countries, folded),
            },
        })
    return out
