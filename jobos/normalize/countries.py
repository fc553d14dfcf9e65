"""Country names and codes -> ISO 3166-1 alpha-2."""
from __future__ import annotations

import unicodedata
from functools import lru_cache

import pycountry

# Common names that pycountry does not know as such.
ALIASES: dict[str, str] = {
    "uk": "GB",
    "u.k.": "GB",
    "england": "GB",
    "scotland": "GB",
    "wales": "GB",
    "northern ireland": "GB",
    "great britain": "GB",
    "britain": "GB",
    "usa": "US",
    "u.s.": "US",
    "u.s.a.": "US",
    "united states of america": "US",
    "america": "US",
    "south korea": "KR",
    "korea": "KR",
    "russia": "RU",
    "vietnam": "VN",
    "czech republic": "CZ",
    "czechia": "CZ",
    "turkey": "TR",
    "türkiye": "TR",
    "holland": "NL",
    "the netherlands": "NL",
    "deutschland": "DE",
    "österreich": "AT",
    "schweiz": "CH",
    "suisse": "CH",
    "españa": "ES",
    "italia": "IT",
    "france": "FR",
    "belgique": "BE",
    "belgië": "BE",
    "nederland": "NL",
    "sverige": "SE",
    "norge": "NO",
    "danmark": "DK",
    "suomi": "FI",
    "polska": "PL",
    "brasil": "BR",
    "méxico": "MX",
    "uae": "AE",
    "taiwan": "TW",
    "iran": "IR",
    "bolivia": "BO",
    "venezuela": "VE",
    "tanzania": "TZ",
    "moldova": "MD",
    "laos": "LA",
    "syria": "SY",
    "ivory coast": "CI",
    "hong kong": "HK",
    "macau": "MO",
}

# Two-letter strings that are not a country in job locations (US states are handled by the
# location normalizer; here we only refuse non-codes).
_NOT_CODES = {"EU", "UK"}


def _fold(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).strip().lower().split())


@lru_cache(maxsize=4096)
def country_code(text: str | None) -> str | None:
    """Return the ISO alpha-2 code for a code, alpha-3 code or name, or None if unknown."""
    if not text or not isinstance(text, str):
        return None
    folded = _fold(text).strip(".")
    if not folded or len(folded) > 80:
        return None
    if folded in ALIASES:
        return ALIASES[folded]
    if folded == "uk" or folded == "gb":
        return "GB"
    if len(folded) == 2 and folded.isalpha():
        found = pycountry.countries.get(alpha_2=folded.upper())
        return found.alpha_2 if found and folded.upper() not in _NOT_CODES else None
    if len(folded) == 3 and folded.isalpha():
        found = pycountry.countries.get(alpha_3=folded.upper())
        if found:
            return found.alpha_2
    return _names().get(folded)


@lru_cache(maxsize=1)
def _names() -> dict[str, str]:
    """Return folded country names -> alpha-2 (short names win over common and official ones)."""
    table: dict[str, str] = {}
    for attr in ("official_name", "common_name", "name"):
        for c in pycountry.countries:
            value = getattr(c, attr, None)
            if value:
                table[_fold(value)] = c.alpha_2
    return table


def country_name(code: str) -> str | None:
    """Return the English short name of an alpha-2 code."""
    found = pycountry.countries.get(alpha_2=code.upper()) if code else None
    return getattr(found, "common_name", None) or getattr(found, "name", None) if found else None
