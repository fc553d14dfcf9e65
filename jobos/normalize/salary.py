"""Salary text and structured ATS fields -> min, max, ISO 4217 currency, period, yearly figures.

Published figures and their period are kept as published. Yearly figures are computed with one
rule, stated once here: a year is 52 weeks of 5 days of 8 hours, so HOUR x 2080, DAY x 260,
WEEK x 52, MONTH x 12, YEAR x 1 (`YEARLY_FACTORS`). A currency comes from its ISO code when the
text has one, else from the symbol read with the job's country ("$" in Canada is CAD, "kr" in
Norway is NOK). "up to X" gives only a maximum, "from X" / "ab X" only a minimum; min <= max.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import pycountry

from jobos.items import SALARY_PERIODS
from jobos.normalize.text import clean_text


@dataclass(frozen=True)
class Salary:
    """A pay range; min == max for a single figure."""

    min: float | None
    max: float | None
    currency: str | None
    period: str | None


# Symbols -> ISO 4217. A bare "$" is read as USD: the ATSs in use publish US ranges that way,
# and other dollars carry a prefix (CA$, A$, NZ$...).
_SYMBOLS: dict[str, str] = {
    "us$": "USD", "usd$": "USD", "ca$": "CAD", "c$": "CAD", "cad$": "CAD", "a$": "AUD",
    "au$": "AUD", "aud$": "AUD", "nz$": "NZD", "s$": "SGD", "sg$": "SGD", "hk$": "HKD",
    "r$": "BRL", "mx$": "MXN", "$": "USD", "€": "EUR", "£": "GBP", "¥": "JPY", "₹": "INR",
    "₩": "KRW", "₪": "ILS", "₺": "TRY", "zł": "PLN", "kr": "SEK", "fr.": "CHF", "₫": "VND",
    "r": "ZAR",
}
_CUR = (
    r"(?:US\$|USD\$|CA\$|CAD\$|C\$|AU\$|AUD\$|A\$|NZ\$|SG\$|S\$|HK\$|R\$|MX\$|\$|€|£|¥|₹|₩|₪|₺|₫|"
    r"zł|\bkr\b\.?|\b[A-Z]{3}\b)"
)
# Indian lakh grouping ("12,00,000") first, then thousands groups ("60.000", "60 000"), then plain.
_NUM = (r"\d{1,2}(?:,\d{2})+,\d{3}(?:\.\d{1,2})?|"
        r"\d{1,3}(?:[.,\u202f\u00a0' ]\d{3})+(?:[.,]\d{1,2})?|\d+(?:[.,]\d+)?")
_MULT = r"(?:\s?(?:[kK]|[mM](?:io\.?|n)?|thousand|Tsd\.?)(?![a-zA-Z]))?"
_AMOUNT = rf"(?P<@pre>{_CUR})?\s?(?P<@num>{_NUM})(?P<@mult>{_MULT})(?:\s?(?P<@post>{_CUR}))?"
_RANGE = re.compile(
    _AMOUNT.replace("@", "a")
    + r"(?:\s*(?:/\s*\w+\s*)?(?:-|–|—|‒|―|to|bis|à|a|and)\s*"
    + _AMOUNT.replace("@", "b")
    + ")?"
)
_PERIODS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (value, re.compile(pattern, re.I))
    for value, pattern in (
        ("HOUR", r"(/\s?(h|hr|hour)\b|\bper hour\b|\ban hour\b|\bhourly\b|\bhour\b|\bstunde\b|"
                 r"\bstündlich|\bpro stunde\b|\bde l'heure\b|/\s?std\b|\bheure\b)"),
        ("DAY", r"(/\s?(d|day)\b|\bper day\b|\ba day\b|\bdaily\b|\bday rate\b|\btagessatz\b|"
                r"\bpro tag\b|/\s?tag\b|\bpar jour\b)"),
        ("WEEK", r"(/\s?(wk|week)\b|\bper week\b|\ba week\b|\bweekly\b|\bwoche\b)"),
        ("MONTH", r"(/\s?(mo|month)\b|\bper month\b|\ba month\b|\bmonthly\b|\bmonat\b|\bmonatlich|"
                  r"\bmensuel|\bpar mois\b|/\s?monat\b|\bmes\b|\bmensual|/\s?mån\b|\bi månaden\b|\bper måned\b|\bmiesięcznie)"),
        ("YEAR", r"(/\s?(y|yr|year|annum|jahr)\b|\bper year\b|\ba year\b|\bannual\w*|\byearly\b|"
                 r"\bper annum\b|\bp\.?\s?a\.?(?!\w)|\bjahr\b|\bjährlich|\bjahresgehalt|"
                 r"\bbrutto/jahr|\bpar an\b|\bannuel|\banual\b|\bsalary\b|\bbase pay\b|\bote\b)"),
    )
)
# Structured interval spellings: Lever "per-year-salary", Ashby "1 YEAR", Personio "yearly",
# Recruitee "year", JSON-LD unitText "YEAR".
_PERIOD_WORDS = {
    "hour": "HOUR", "hourly": "HOUR", "hr": "HOUR", "h": "HOUR", "stunde": "HOUR",
    "day": "DAY", "daily": "DAY", "tag": "DAY",
    "week": "WEEK", "weekly": "WEEK", "wk": "WEEK",
    "month": "MONTH", "monthly": "MONTH", "mo": "MONTH", "monat": "MONTH",
    "year": "YEAR", "yearly": "YEAR", "annual": "YEAR", "annually": "YEAR", "yr": "YEAR",
    "annum": "YEAR", "jahr": "YEAR", "salary": "YEAR",
}


# Symbols that name another currency in these countries: "$" in Canada is CAD.
_LOCAL_SYMBOLS: dict[str, dict[str, str]] = {
    "$": {"CA": "CAD", "AU": "AUD", "NZ": "NZD", "SG": "SGD", "HK": "HKD", "MX": "MXN",
          "AR": "ARS", "CL": "CLP", "CO": "COP", "TW": "TWD", "BR": "BRL"},
    "kr": {"SE": "SEK", "NO": "NOK", "DK": "DKK", "IS": "ISK"},
    "¥": {"CN": "CNY", "JP": "JPY"},
    "£": {"EG": "EGP"},
    "r": {"ZA": "ZAR", "BR": "BRL"},
}
HOURS_PER_YEAR, DAYS_PER_YEAR, WEEKS_PER_YEAR = 2080, 260, 52
YEARLY_FACTORS = {"HOUR": HOURS_PER_YEAR, "DAY": DAYS_PER_YEAR, "WEEK": WEEKS_PER_YEAR, "MONTH": 12, "YEAR": 1}
_UP_TO = re.compile(r"(?:up\s+to|bis\s+zu|jusqu'?\s?à|hasta|fino\s+a|max(?:imum|\.)?|maximal)\s*:?\s*$", re.I)
_FROM = re.compile(r"(?:\bfrom|\bab|à\s+partir\s+de|\bdesde|\bstarting\s+(?:at|from)|\bmin(?:imum|\.)?|"
                   r"\bmindestens|\bda)\s*:?\s*$", re.I)


def yearly(salary: Salary | None) -> tuple[float | None, float | None]:
    """Return (min, max) per year by YEARLY_FACTORS, or (None, None) without a period."""
    if salary is None or salary.period not in YEARLY_FACTORS:
        return None, None
    factor = YEARLY_FACTORS[salary.period]
    return (None if salary.min is None else round(salary.min * factor, 2),
            None if salary.max is None else round(salary.max * factor, 2))


def local_currency(symbol: str | None, country: str | None) -> str | None:
    """Return the ISO currency a symbol means in a country ("$", "CA" -> "CAD"), else its default."""
    if not symbol:
        return None
    local = _LOCAL_SYMBOLS.get(symbol.strip().lower(), {})
    if country and country.upper() in local:
        return local[country.upper()]
    return currency_code(symbol)


# Codes read in free text; other ISO codes ("ALL", "TOP", "CUP") are also ordinary words.
_TEXT_CODES = frozenset(
    "USD EUR GBP CHF CAD AUD NZD SGD HKD JPY CNY INR BRL MXN ZAR SEK NOK DKK PLN CZK HUF RON "
    "BGN TRY ILS AED SAR QAR KRW TWD THB IDR MYR PHP VND NGN KES EGP ARS CLP COP PEN UAH ISK".split()
)


@lru_cache(maxsize=512)
def currency_code(text: str | None) -> str | None:
    """Return the ISO 4217 code for a code or symbol, or None."""
    if not text or not isinstance(text, str):
        return None
    key = text.strip()
    if len(key) == 3 and key.isalpha():
        return key.upper() if pycountry.currencies.get(alpha_3=key.upper()) else None
    return _SYMBOLS.get(key.lower())


def period_code(text: object) -> str | None:
    """Return HOUR/DAY/WEEK/MONTH/YEAR for a structured interval spelling, or None."""
    if not isinstance(text, str) or not text.strip():
        return None
    upper = text.strip().upper()
    if upper in SALARY_PERIODS:
        return upper
    for word in re.findall(r"[a-zäöü]+", text.lower()):
        if word in _PERIOD_WORDS:
            return _PERIOD_WORDS[word]
    return None


def _number(num: str, mult: str) -> float | None:
    digits = re.sub(r"[\u202f\u00a0' ]", "", num)
    if "," in digits and "." in digits:
        decimal = "," if digits.rfind(",") > digits.rfind(".") else "."
        thousands = "." if decimal == "," else ","
        digits = digits.replace(thousands, "").replace(decimal, ".")
    elif "," in digits or "." in digits:
        sep = "," if "," in digits else "."
        groups = digits.split(sep)
        lakh = sep == "," and len(groups) > 2 and len(groups[-1]) == 3 and all(len(g) == 2 for g in groups[1:-1])
        if lakh or (len(groups) > 1 and all(len(g) == 3 for g in groups[1:])):
            digits = "".join(groups)
        else:
            digits = digits.replace(",", ".")
    try:
        value = float(digits)
    except ValueError:
        return None
    m = mult.strip().lower()
    if m in ("k", "thousand", "tsd", "tsd."):
        value *= 1_000
    elif m.startswith("m"):
        value *= 1_000_000
    return value


def _period_near(text: str, start: int, end: int, amount: float) -> str | None:
    after = text[end : end + 40]
    before = text[max(0, start - 60) : start]
    for window in (after, before):
        for value, pattern in _PERIODS:
            if pattern.search(window):
                return value
    # Unstated: only a clearly annual figure is read as a year (Ashby summaries "$255K – $405K").
    return "YEAR" if amount >= 10_000 else None


def _matches(text: str, country: str | None = None) -> list[Salary]:
    found: list[Salary] = []
    for m in _RANGE.finditer(text):
        cur = None
        tokens = [m.group(g) for g in ("apre", "apost", "bpre", "bpost") if m.group(g)]
        # An ISO code beats a symbol; a symbol is read with the job's country.
        for token in tokens:
            if token.isalpha() and token.upper() in _TEXT_CODES:
                cur = cur or currency_code(token)
        for token in tokens:
            if not token.isalpha() or token.lower().rstrip(".") in ("kr", "zł"):
                cur = cur or local_currency(token.rstrip("."), country)
        if cur is None:
            continue
        low = _number(m.group("anum"), m.group("amult") or "")
        high = _number(m.group("bnum"), m.group("bmult") or "") if m.group("bnum") else low
        if low is None or high is None:
            continue
        # "60-70k": the multiplier written once applies to both ends.
        if m.group("bmult") and not m.group("amult") and low < 1000 <= high:
            low *= high / _number(m.group("bnum"), "")
        if low > high:
            low, high = high, low
        if high <= 0 or high > 100_000_000:
            continue
        period = _period_near(text, m.start(), m.end(), high)
        if not m.group("bnum"):
            before = text[max(0, m.start() - 25): m.start()]
            if _UP_TO.search(before):
                low = None
            elif _FROM.search(before):
                high = None
        found.append(Salary(low, high, cur, period))
    return found


def parse_salary(text: object, country: str | None = None) -> Salary | None:
    """Return the first salary with a currency in text (symbols read with the job's country),
    or None when there is none."""
    cleaned = clean_text(text)
    if not cleaned:
        return None
    found = _matches(cleaned[:5000], country)
    return found[0] if found else None


def salary_in_description(text: object, country: str | None = None) -> Salary | None:
    """Return the salary a description states, only when every figure found agrees."""
    cleaned = clean_text(text)
    if not cleaned:
        return None
    found = {s for s in _matches(cleaned[:50_000], country) if s.period}
    return found.pop() if len(found) == 1 else None


def _float(value: object) -> float | None:
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return float(value) if value == value else None  # NaN is not a salary
    if isinstance(value, str) and value.strip():
        match = re.search(_NUM, value)
        if match:
            mult = value[match.end() :].strip()[:1]
            return _number(match.group(0), mult if mult in "kKmM" else "")
    return None


def salary_from_fields(
    min_value: object, max_value: object, currency: object, period_text: object
) -> Salary | None:
    """Return a Salary from structured ATS fields (Lever salaryRange, Ashby components, JSON-LD
    baseSalary, Personio salaryInformation), or None when no amount is given."""
    low, high = _float(min_value), _float(max_value)
    if low is None and high is None:
        return None
    low = high if low is None else low
    high = low if high is None else high
    if low is not None and high is not None and low > high:
        low, high = high, low
    cur = currency_code(currency) if isinstance(currency, str) else None
    period = period_code(period_text) or (_period_near("", 0, 0, high or 0) if high else None)
    return Salary(low, high, cur, period)
