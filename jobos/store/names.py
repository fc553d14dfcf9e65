"""Company-name normalization: the key that matches two spellings of one company."""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# Legal-form words dropped from the end of a name ("Acme GmbH" and "ACME" are one company).
LEGAL_SUFFIXES = frozenset(
    """
    ab ag as asa bv bvba co company corp corporation cv gmbh group holding holdings inc
    incorporated kg kgaa limited llc llp lp ltd nv oy oyj plc pty sa sarl sas se spa srl
    ug co.kg mbh
    """.split()
)

_WORD = re.compile(r"[^\W_]+", re.UNICODE)


@lru_cache(maxsize=4096)
def normalize_company(name: str | None) -> str:
    """Return a comparison key for a company name: lower case, no accents, no legal suffix."""
    if not name:
        return ""
    text = unicodedata.normalize("NFKD", name)
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).casefold()
    text = text.replace("&", " and ")
    words = _WORD.findall(text)
    while len(words) > 1 and words[-1] in LEGAL_SUFFIXES:
        words.pop()
    return " ".join(words)
