"""Whether a job matches a saved search or a followed company (the jobs search's rules, in Python)."""
from __future__ import annotations

import unicodedata

from jobos.store.common import search_words
from jobos.store.names import normalize_company


def _fold(text: str) -> str:
    text = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in text if not unicodedata.combining(ch)).casefold()


def matches(search: dict, job: dict) -> bool:
    """Return True when the job is one the saved search (or company follow) would list.

    Like the jobs search: every word of q in the title or description, company by its
    normalized name, country / workplace / employment type equal.
    """
    query = search.get("query") or {}
    company = query.get("company")
    if company and normalize_company(company) != normalize_company(job.get("company")):
        return False
    if search.get("kind") == "company":
        return bool(company)
    words = search_words(query.get("q"))
    if words:
        text = set(search_words(_fold(f"{job.get('title') or ''} {job.get('description') or ''}")))
        if not all(_fold(w) in text for w in words):
            return False
    for field in ("country", "workplace", "employment_type"):
        wanted = query.get(field)
        if wanted and str(wanted).casefold() != str(job.get(field) or "").casefold():
            return False
    return True
