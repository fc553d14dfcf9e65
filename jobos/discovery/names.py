"""Company names: legal suffixes dropped, slug variants for ATS probes, name/domain similarity."""
from __future__ import annotations

import re
import unicodedata
from difflib import SequenceMatcher

# Legal forms, as token sequences after normalization (lower case, dots and commas removed).
# Longest first, so "gmbh co kg" is removed whole rather than leaving "gmbh co".
_LEGAL_FORMS = sorted(
    {
        # German-speaking
        "gmbh", "ag", "se", "kg", "kgaa", "ohg", "ug", "mbh", "ev", "eg", "gbr", "gmbh co kg",
        "ag co kg", "se co kg", "gmbh co kgaa", "ug haftungsbeschrankt", "gesmbh",
        # English-speaking
        "ltd", "limited", "inc", "incorporated", "llc", "llp", "lp", "plc", "corp", "corporation",
        "co", "company", "pty", "pty ltd", "pte", "pte ltd", "co ltd", "lllp", "pllc",
        # French, Spanish, Italian, Portuguese
        "sa", "sas", "sasu", "sarl", "eurl", "sca", "snc", "sl", "slu", "sau", "spa", "srl",
        "srls", "sapa", "ltda", "lda", "sgps", "eireli", "s de rl", "sa de cv", "de cv",
        # Dutch, Belgian
        "bv", "nv", "vof", "cv", "bvba", "srl",
        # Nordic
        "ab", "publ", "ab publ", "asa", "as", "a s", "aps", "a/s", "oy", "oyj", "hf", "ehf",
        # Central/Eastern Europe and elsewhere
        "sp z o o", "spzoo", "sro", "s r o", "as", "kft", "zrt", "doo", "ou", "kk", "gk",
        "bhd", "sdn bhd", "pvt", "pvt ltd", "private limited",
    },
    key=lambda s: -len(s.split()),
)
_LEGAL_TOKENS = [tuple(form.split()) for form in _LEGAL_FORMS]
# Words that do not tell one company from another (kept out of name comparison).
GENERIC_WORDS = frozenset(
    {
        "the", "group", "groupe", "gruppe", "grupo", "gruppo", "holding", "holdings", "and",
        "und", "et", "y", "e", "og", "och", "en", "careers", "career", "jobs", "karriere",
        "hq", "global", "worldwide", "international", "intl",
    }
)
# Affixes companies add to their domain label (acmehq.com, getacme.com, acme-group.de).
_DOMAIN_AFFIXES = ("hq", "group", "gruppe", "inc", "corp", "global", "careers", "jobs", "app",
                   "io", "online", "official", "gmbh", "ag", "ltd", "co")
_DOMAIN_PREFIXES = ("get", "join", "try", "use", "go", "the", "we", "my")

_TRANSLIT = str.maketrans(
    {"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss", "æ": "ae", "ø": "oe", "å": "aa", "œ": "oe",
     "þ": "th", "ð": "d", "ł": "l", "đ": "d"}
)


def _fold(text: str, translit: bool) -> str:
    """Return lower-case ASCII text: umlauts spelled out (translit) or simply stripped."""
    text = unicodedata.normalize("NFC", text).lower()
    if translit:
        text = text.translate(_TRANSLIT)
    else:
        text = text.translate(str.maketrans({"ß": "ss", "æ": "ae", "ø": "o", "œ": "oe",
                                              "ł": "l", "đ": "d", "þ": "th", "ð": "d"}))
    text = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in text if not unicodedata.combining(ch)).encode("ascii", "ignore").decode()


def _tokens(text: str) -> list[str]:
    # "S.A." -> "sa", "A/S" -> "a/s" kept whole, "&" and other punctuation split words.
    text = re.sub(r"\b([a-z])\.(?=[a-z]\.)", r"\1", text)
    text = re.sub(r"(?<=\b[a-z])\.", "", text)
    text = text.replace("a/s", " a/s ")
    return [t for t in re.split(r"[^a-z0-9/]+", text) if t and t != "/"]


def strip_legal(tokens: list[str]) -> list[str]:
    """Return the tokens without trailing legal forms ('acme gmbh co kg' -> ['acme'])."""
    out = list(tokens)
    changed = True
    while changed and len(out) > 1:
        changed = False
        for form in _LEGAL_TOKENS:
            n = len(form)
            if len(out) > n and tuple(out[-n:]) == form:
                out = out[:-n]
                changed = True
                break
    # A leading "the" is not part of the name either.
    if len(out) > 1 and out[0] == "the":
        out = out[1:]
    return out


def name_tokens(name: str, translit: bool = True) -> list[str]:
    """Return the name's words, folded to ASCII, with legal forms and '&' dropped."""
    return strip_legal(_tokens(_fold(name, translit)))


def legal_suffix(name: str) -> list[str]:
    """Return the legal-form words removed from the name (['gmbh'] for 'Acme GmbH')."""
    tokens = _tokens(_fold(name, True))
    core = strip_legal(tokens)
    start = 1 if tokens and tokens[0] == "the" and core and core[0] != "the" else 0
    return tokens[start + len(core):]


def display_core(name: str) -> str:
    """Return the name without its legal form, as written ('Acme GmbH & Co. KG' -> 'Acme')."""
    core = name_tokens(name)
    kept = name.split()
    # Drop trailing words as long as the core name stays the same.
    while len(kept) > 1 and name_tokens(" ".join(kept[:-1])) == core:
        kept = kept[:-1]
    return " ".join(kept).strip(" ,&")


def slug_variants(name: str, limit: int | None = None) -> list[str]:
    """Return ATS slug guesses, most likely first ('Acme GmbH' -> acme, acme-gmbh, acmegmbh...).

    Both spellings of umlauts are tried ('Müller' -> mueller, muller), with and without the
    legal form, joined and hyphenated; 'and'/'&' words are dropped.
    """
    variants: list[str] = []

    def add(value: str) -> None:
        value = value.strip("-")
        if value and value not in variants and len(value) >= 2:
            variants.append(value)

    for translit in (True, False):
        core = [t for t in name_tokens(name, translit) if t not in ("and", "und")]
        full = core + [t.replace("/", "") for t in legal_suffix(name)]
        add("".join(core))
        add("-".join(core))
        if full != core:
            add("".join(full))
            add("-".join(full))
    return variants[:limit] if limit else variants


def compact(name: str) -> str:
    """Return the core name as one lower-case ASCII word ('Müller & Söhne AG' -> muellersoehne)."""
    return "".join(t for t in name_tokens(name) if t not in ("and", "und"))


def _distinct(tokens: list[str]) -> list[str]:
    return [t for t in tokens if t not in GENERIC_WORDS]


def names_match(company: str, other: str) -> bool:
    """Return True when `other` (a board's or page's company name) names the same company.

    Legal forms and generic words (group, holding...) are ignored; any other extra word makes
    it a namesake: 'Acme Consulting Ltd' is not 'Acme', nor 'Acme Robotics'.
    """
    for translit in (True, False):
        a = _distinct(name_tokens(company, translit))
        b = _distinct(name_tokens(other, translit))
        if a and a == b:
            return True
        if a and "".join(a) == "".join(b):  # "Kestrel Analytics" vs "KestrelAnalytics"
            return True
    return False


def domain_label(domain: str) -> str:
    """Return the registrable domain's name part ('acme-robotics.co.uk' -> 'acme-robotics')."""
    from jobos.ats.embedded import registrable_domain  # the one public-suffix reader

    reg = registrable_domain(domain) or domain
    return reg.split(".", 1)[0].lower()


def name_domain_similarity(company: str, domain: str) -> float:
    """Return 0..1: how surely a domain is the company's own (1.0: the name itself).

    'acme.de' for 'Acme GmbH' is 1.0; 'acmehq.com' or 'acme-group.com' 0.9; a domain that holds
    the name plus other distinctive words ('acmeconsulting.co.uk') stays below 0.6 (a namesake).
    """
    label = domain_label(domain).replace("-", "")
    if not label:
        return 0.0
    best = 0.0
    for translit in (True, False):
        core = [t for t in name_tokens(company, translit) if t not in ("and", "und")]
        joined = "".join(core)
        distinct = "".join(_distinct(core)) or joined
        full = joined + "".join(t.replace("/", "") for t in legal_suffix(company))
        if label in (joined, distinct, full):
            return 1.0
        for affix in _DOMAIN_AFFIXES:
            if label in (joined + affix, distinct + affix):
                best = max(best, 0.9)
        for prefix in _DOMAIN_PREFIXES:
            if label in (prefix + joined, prefix + distinct):
                best = max(best, 0.9)
        # Initials of a multi-word name ('vdbl' for 'van der berg logistiek') are weak evidence.
        if len(core) >= 3 and label == "".join(t[0] for t in core):
            best = max(best, 0.7)
        ratio = SequenceMatcher(None, label, joined).ratio()
        best = max(best, min(ratio, 0.8) if ratio < 0.95 else 0.85)
    return round(best, 3)
