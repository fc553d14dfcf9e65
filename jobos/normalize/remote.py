"""Remote and hybrid work from evidence, and the region a remote job is open to.

Evidence, strongest first (the record normalizer applies them in this order):
1. the ATS's own field (Lever workplaceType, Ashby workplaceType/isRemote, Workday remoteType,
   SmartRecruiters location.remote/hybrid...), passed through as `workplace` or `remote_flag`;
2. the location string ("Remote - US", "Remote (EU)", "Anywhere", "Hybrid - Paris");
3. the title ("Data Science Intern | Fully Remote US");
4. the description, only where it states the arrangement of this role ("This role is fully
   remote", "This position is hybrid", "3 days a week in our Berlin office", "not eligible for
   remote work"). Perks ("work from anywhere 4 weeks a year", "home office budget") are not a
   statement about the role and never count.

A Workday location bucket such as "US, TX, Remote" (a place path ending in "Remote") is weak
evidence: employers file on-site jobs under such buckets, so it counts only when the posting's
description says the role is remote.
"""
from __future__ import annotations

import re
from collections.abc import Iterable

from jobos.normalize.countries import country_code
from jobos.normalize.location import Location
from jobos.normalize.places import AREAS, fold
from jobos.normalize.text import clean_text

_ROLE = r"(?:this|the)\s+(?:role|position|job|opportunity|opening|team\s+member|vacancy)"
_STATEMENTS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (value, re.compile(pattern, re.I))
    for value, pattern in (
        ("hybrid", rf"\b{_ROLE}\s+(?:is|will\s+be|follows)\s+(?:an?\s+)?hybrid\b"),
        ("hybrid", r"\b(?:this\s+is\s+an?|is\s+an?)\s+hybrid\s+(?:role|position|job)\b"),
        ("hybrid", r"\b(?:\d|two|three|four)\s+days?\s+(?:a|per|each)\s+week\s+(?:in|at|from)\s+(?:the|our)\s+\w*\s*(?:office|hq|headquarters)\b"),
        ("hybrid", r"\bbased\s+\d\s+days\s+per\s+week\s+out\s+of\s+our\b"),
        # "not eligible for remote work" says on-site, unless the sentence gives office days (hybrid).
        ("onsite", r"\bnot\s+(?:eligible|available|open)\s+(?:for|to)\s+(?:full[- ]time\s+|fully\s+)?remote\b"),
        ("onsite", rf"\b{_ROLE}\s+(?:is|will\s+be)\s+(?:an?\s+)?(?:fully\s+|100%\s+)?(?:on[- ]?site|in[- ]office|in[- ]person|office[- ]based)\b"),
        ("onsite", r"\b(?:this\s+is\s+an?|is\s+an?)\s+(?:fully\s+)?(?:on[- ]?site|in[- ]office|in[- ]person)\s+(?:role|position|job)\b"),
        ("remote", rf"\b{_ROLE}\s+(?:is|will\s+be|can\s+be\s+(?:performed|done))\s+(?:an?\s+)?(?:fully\s+|100%\s+|completely\s+)?remote(?:ly)?\b"),
        ("remote", r"\b(?:this\s+is\s+an?|is\s+an?)\s+(?:fully\s+|100%\s+)?remote\s+(?:role|position|job|opportunity)\b"),
        ("remote", r"\b(?:work(?:place)?\s+(?:location|arrangement|model|type)|location|arbeitsort|modalidad)\s*:\s*(?:fully\s+|100%\s+)?(?:remote|remoto|télétravail)\b"),
        ("remote", r"\bremote[- ]first\s+(?:role|position)\b"),
        ("remote", r"\b(?:diese\s+stelle|die\s+position)\s+ist\s+(?:vollständig\s+|komplett\s+)?remote\b"),
        ("remote", r"\b(?:100\s*%|vollständig|komplett)\s+remote\b(?!\s+(?:days?|tage|weeks?|wochen))"),
    )
)
# A statement inside a perk or benefit sentence is not about the role's arrangement.
_PERK = re.compile(
    r"\b(weeks?|days?)\s+(?:a|per|each)\s+year\b|\bper\s+year\b|\bperk|\bbenefit|\bstipend|\bbudget|"
    r"\ballowance|\bwork\s+from\s+anywhere\s+(?:for|up\s+to)\b|\bworkation",
    re.I,
)
_WORKDAY_BUCKET = re.compile(r"^\s*[A-Za-z]{2,3}(?:\s*[,.]\s*[A-Za-z .'-]+)*\s*[,.]\s*remote\s*$", re.I)


def arrangement_in_description(text: object) -> str | None:
    """Return 'remote', 'hybrid' or 'onsite' when a description states this role's arrangement."""
    cleaned = clean_text(text)
    if not cleaned:
        return None
    # One sentence at a time, so a perk sentence cannot lend its words to another.
    for sentence in re.split(r"(?<=[.!?\n])\s+|\n+", cleaned[:50_000]):
        if _PERK.search(sentence):
            continue
        for value, pattern in _STATEMENTS:
            if pattern.search(sentence):
                return value
    return None


_SCOPE = re.compile(
    r"\b(?:(?:located|based|reside|residing|living|live)\s+(?:with)?in|be\s+within)\s+(?:the\s+)?"
    r"([A-Z][\w.-]*(?:\s+[A-Z][\w.-]*){0,3})", re.U)


def scope_in_description(text: object) -> str | None:
    """Return the area or ISO country a remote role's statement limits it to ("This is a fully
    remote role, but you must be located in the EMEA region" -> "EMEA"), or None."""
    cleaned = clean_text(text)
    if not cleaned:
        return None
    for sentence in re.split(r"(?<=[.!?\n])\s+|\n+", cleaned[:50_000]):
        if _PERK.search(sentence) or not re.search(r"\bremote\b", sentence, re.I):
            continue
        for match in _SCOPE.finditer(sentence):
            words = match.group(1).split()
            for n in range(len(words), 0, -1):
                name = " ".join(words[:n]).strip(".,")
                key = fold(name)
                if key in AREAS:
                    return AREAS[key][0]
                code = country_code(name)
                if code:
                    return code
    return None


def is_weak_remote_bucket(text: object, source: object = None) -> bool:
    """Return True for a Workday place path ending in 'Remote' ("US, TX, Remote")."""
    return source == "workday" and isinstance(text, str) and bool(_WORKDAY_BUCKET.match(text))


def remote_scope(locations: Iterable[Location], country: str | None = None) -> str | None:
    """Return what a remote job is open to: areas and ISO countries, comma-joined ("US",
    "US,CA", "EU", "EMEA"), or None when it names no restriction (open anywhere)."""
    scope: list[str] = []
    for loc in locations:
        for value in (loc.area, loc.country):
            if value and value not in scope:
                scope.append(value)
    if not scope and country:
        scope.append(country)
    return ",".join(scope) or None
