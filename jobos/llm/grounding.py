"""Grounding: accept a model's value only if its quote is on the page and agrees with the value.

Both the page and the quote are normalized the same way before the quote is looked up: Unicode
NFKC + case folding, one kind of dash and apostrophe, markdown emphasis and heading marks
removed, whitespace collapsed, and numbers written one way (60.000 / 60,000 / 60 000 / 60k all
become 60000), so harmless differences in how the model copied the text do not reject it.
"""
from __future__ import annotations

import logging
import re
import unicodedata
from datetime import date
from typing import Any, Callable
from urllib.parse import urljoin

from dateutil import parser as date_parser

from jobos.llm.schema import EXTRACTABLE_FIELDS, JobExtraction

logger = logging.getLogger(__name__)

Provenance = dict[str, dict[str, Any]]
Rejection = tuple[str, str]

_DASHES = dict.fromkeys(map(ord, "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63"), "-")
_QUOTES = {ord("\u2018"): "'", ord("\u2019"): "'", ord("\u201c"): '"', ord("\u201d"): '"'}
_MARKUP = re.compile(r"[*_`#>\\]+")
_SPACE = re.compile(r"\s+")
# 60.000 / 60,000 / 60 000 / 1.250.000 -> digits only (a separator followed by 3 digits groups)
_GROUPED = re.compile(r"(?<![\d.,])\d{1,3}(?:[., ]\d{3})+(?![\d]|[.,]\d)")
# 60k, 60 k, 1.5k, 1,5k, 2m -> the full number
_SUFFIXED = re.compile(r"(?<![\w.,])(\d+(?:[.,]\d+)?) ?([km])(?![a-z])")
_NUMBER = re.compile(r"\d+(?:\.\d+)?")


def normalize_text(text: str) -> str:
    """Return text in the comparable form used for quote lookups."""
    text = unicodedata.normalize("NFKC", text).casefold()
    text = text.translate(_DASHES).translate(_QUOTES)
    text = _MARKUP.sub("", text).replace("|", " ")
    text = _SPACE.sub(" ", text).strip()
    text = re.sub(r" ([:,.;!?])", r"\1", text)
    text = _GROUPED.sub(lambda m: re.sub(r"[., ]", "", m.group(0)), text)
    text = _SUFFIXED.sub(_expand_suffix, text)
    # "( On-Site )" and "(On-Site)" should match: spaces next to brackets carry no meaning.
    text = re.sub(r"([(\[]) | ([)\]])", r"\1\2", text)
    return text


def _expand_suffix(match: re.Match[str]) -> str:
    number = float(match.group(1).replace(",", "."))
    factor = 1_000 if match.group(2) == "k" else 1_000_000
    return _format_number(number * factor)


def _format_number(number: float) -> str:
    return str(int(number)) if float(number).is_integer() else repr(round(number, 4))


def numbers_in(text: str) -> set[float]:
    """Return the numbers written in text, after number-format normalization."""
    return {float(n) for n in _NUMBER.findall(normalize_text(text))}


# Keywords a quote must contain for an enum value to agree with it (any language we crawl).
EMPLOYMENT_KEYWORDS: dict[str, tuple[str, ...]] = {
    "FULL_TIME": ("full-time", "full time", "fulltime", "vollzeit", "temps plein", "temps complet",
                  "tiempo completo", "jornada completa", "tempo pieno", "voltijd", "heltid", "permanent"),
    "PART_TIME": ("part-time", "part time", "parttime", "teilzeit", "temps partiel", "medio tiempo",
                  "tiempo parcial", "tempo parziale", "deeltijd", "deltid"),
    "CONTRACTOR": ("contract", "freelance", "freiberuf", "consultant", "contratista", "1099"),
    "TEMPORARY": ("temporary", "temp ", "fixed-term", "fixed term", "befristet", "seasonal", "cdd",
                  "temporal", "interim"),
    "INTERN": ("intern", "praktik", "stage", "stagiaire", "trainee", "werkstudent", "prácticas",
               "practicas", "tirocinio", "apprenti", "ausbildung"),
    "VOLUNTEER": ("volunteer", "ehrenamt", "bénévol", "benevol", "voluntari"),
    "PER_DIEM": ("per diem", "per-diem"),
    "OTHER": (),
}
WORKPLACE_KEYWORDS: dict[str, tuple[str, ...]] = {
    "remote": ("remote", "work from home", "wfh", "home office", "homeoffice", "télétravail",
               "teletravail", "remoto", "distance", "anywhere"),
    "hybrid": ("hybrid", "hybride", "híbrido", "hibrido", "ibrido"),
    "onsite": ("on-site", "onsite", "on site", "in office", "in-office", "office-based", "vor ort",
               "sur site", "presencial", "in person", "in-person"),
}
PERIOD_KEYWORDS: dict[str, tuple[str, ...]] = {
    "HOUR": ("hour", "/h", "hr", "stunde", "heure", "hora", "ora"),
    "DAY": ("day", "daily", "/d", "tag", "jour", "día", "dia"),
    "WEEK": ("week", "wk", "woche", "semaine", "semana"),
    "MONTH": ("month", "/mo", "monat", "mois", "mes", "mese", "maand"),
    "YEAR": ("year", "annual", "annum", "/yr", "yearly", "jahr", "année", "annuel", "año", "anno",
             "p.a", "pa."),
}
CURRENCY_SYMBOLS: dict[str, tuple[str, ...]] = {
    "USD": ("$", "us$", "usd", "dollar"), "CAD": ("$", "c$", "ca$", "cad"), "AUD": ("$", "a$", "aud"),
    "NZD": ("$", "nz$", "nzd"), "SGD": ("$", "s$", "sgd"), "HKD": ("$", "hk$", "hkd"),
    "MXN": ("$", "mxn"), "EUR": ("€", "eur", "euro"), "GBP": ("£", "gbp", "pound"),
    "JPY": ("¥", "円", "jpy", "yen"), "CNY": ("¥", "元", "cny", "rmb", "yuan"), "INR": ("₹", "inr", "rs"),
    "CHF": ("chf", "fr."), "SEK": ("kr", "sek"), "NOK": ("kr", "nok"), "DKK": ("kr", "dkk"),
    "PLN": ("zł", "zl", "pln"), "BRL": ("r$", "brl"), "ILS": ("₪", "ils", "nis"), "KRW": ("₩", "krw"),
    "ZAR": ("zar", "r "), "CZK": ("kč", "czk"),
}


def _contains_any(quote_norm: str, words: tuple[str, ...]) -> bool:
    return any(normalize_text(w) in quote_norm for w in words)


def _agree_text(value: Any, quote_norm: str, _base_url: str | None) -> str | None:
    value_norm = normalize_text(str(value))
    if not value_norm:
        return "empty value"
    if value_norm in quote_norm:
        return None
    # "Berlin, Germany" quoted as "Berlin (Germany)": every word of the value must be there.
    words = re.findall(r"\w+", value_norm)
    if words and all(re.search(rf"(?<!\w){re.escape(w)}(?!\w)", quote_norm) for w in words):
        return None
    return "value not in quote"


def _agree_number(value: Any, quote_norm: str, _base_url: str | None) -> str | None:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return "not a number"
    found = {float(n) for n in _NUMBER.findall(quote_norm)}
    return None if number in found else "number not in quote"


def _agree_keywords(table: dict[str, tuple[str, ...]]) -> Callable[[Any, str, str | None], str | None]:
    def agree(value: Any, quote_norm: str, _base_url: str | None) -> str | None:
        words = table.get(str(value))
        if words is None:
            return "unknown value"
        if not words:  # OTHER: nothing to check it against, so it cannot be grounded
            return "value not checkable"
        return None if _contains_any(quote_norm, words) else "keyword not in quote"

    return agree


def _agree_workplace(value: Any, quote_norm: str, base_url: str | None) -> str | None:
    reason = _agree_keywords(WORKPLACE_KEYWORDS)(value, quote_norm, base_url)
    # "Hybrid (2 days home office)" names remote work, but the place of work is hybrid.
    if reason is None and value != "hybrid" and _contains_any(quote_norm, WORKPLACE_KEYWORDS["hybrid"]):
        return "quote says hybrid"
    return reason


def _agree_currency(value: Any, quote_norm: str, _base_url: str | None) -> str | None:
    code = str(value).strip().upper()
    symbols = CURRENCY_SYMBOLS.get(code, ()) + (code.lower(),)
    return None if _contains_any(quote_norm, symbols) else "currency not in quote"


def _agree_date(value: Any, quote_norm: str, _base_url: str | None) -> str | None:
    try:
        claimed = date.fromisoformat(str(value)[:10])
    except ValueError:
        return "not an ISO date"
    if claimed.isoformat() in quote_norm:
        return None
    for dayfirst in (False, True):
        try:
            parsed = date_parser.parse(quote_norm, fuzzy=True, dayfirst=dayfirst, default=None)
        except (ValueError, OverflowError, TypeError):
            continue
        if parsed and parsed.date() == claimed:
            return None
    return "date not in quote"


def _agree_url(value: Any, quote_norm: str, base_url: str | None) -> str | None:
    url = str(value).strip()
    if not url.lower().startswith(("http://", "https://")):
        return "not an http(s) URL"
    if normalize_text(url) in quote_norm:
        return None
    # Markdown links on the page are often relative: resolve each against the page URL.
    for target in re.findall(r"\(([^)\s]+)\)|(https?://\S+)", quote_norm):
        href = target[0] or target[1]
        if base_url and normalize_text(urljoin(base_url, href)) == normalize_text(url):
            return None
    return "URL not in quote"


AGREEMENT: dict[str, Callable[[Any, str, str | None], str | None]] = {
    "title": _agree_text,
    "location": _agree_text,
    "department": _agree_text,
    "employment_type": _agree_keywords(EMPLOYMENT_KEYWORDS),
    "workplace": _agree_workplace,
    "salary_period": _agree_keywords(PERIOD_KEYWORDS),
    "salary_min": _agree_number,
    "salary_max": _agree_number,
    "salary_currency": _agree_currency,
    "posted_at": _agree_date,
    "apply_url": _agree_url,
}


def _as_dict(result: JobExtraction | dict[str, Any]) -> dict[str, Any]:
    return result.model_dump() if isinstance(result, JobExtraction) else dict(result)


def ground(
    result: JobExtraction | dict[str, Any], page_text: str, *, base_url: str | None = None
) -> tuple[dict[str, Any], Provenance, list[Rejection]]:
    """Return (accepted values, per-field provenance, rejected (field, reason)) for one answer.

    A value is accepted only if its quote is found in the normalized page text and the value
    agrees with the quote; `base_url` resolves relative links quoted for apply_url.
    """
    data = _as_dict(result)
    page_norm = normalize_text(page_text)
    accepted: dict[str, Any] = {}
    provenance: Provenance = {}
    rejected: list[Rejection] = []
    for field in EXTRACTABLE_FIELDS:
        entry = data.get(field)
        if not entry:
            continue
        value, quote = entry.get("value"), entry.get("quote")
        if value in (None, ""):
            continue
        if not quote or not str(quote).strip():
            rejected.append((field, "no quote"))
            continue
        quote_norm = normalize_text(str(quote))
        if not quote_norm or quote_norm not in page_norm:
            rejected.append((field, "quote not in page"))
            continue
        reason = AGREEMENT[field](value, quote_norm, base_url)
        if reason:
            rejected.append((field, reason))
            continue
        accepted[field] = _clean_value(field, value)
        provenance[field] = {"method": "llm", "quote": str(quote)}
    if rejected:
        logger.debug("grounding rejected %s", rejected)
    return accepted, provenance, rejected


def _clean_value(field: str, value: Any) -> Any:
    if field in ("salary_min", "salary_max"):
        number = float(value)
        return int(number) if number.is_integer() else number
    if field == "salary_currency":
        return str(value).strip().upper()
    if field == "posted_at":
        return str(value)[:10]
    return str(value).strip() if isinstance(value, str) else value
