"""Posted dates as ATSs publish them -> ISO 'YYYY-MM-DD', anchored on the crawl time.

ISO strings, epochs, European numeric dates and the common relative spellings ("Posted 3 Days
Ago", "vor 3 Tagen", "il y a 2 semaines", "hace 5 días", "Posted 30+ Days Ago") are read here
directly (fast, no language guessing). Anything else goes to dateparser, with the crawl time as
its base for relative dates and past dates preferred ("för 2 veckor sedan", "12. März 2026").
"""
from __future__ import annotations

import re
from datetime import date, datetime, timedelta, timezone

from dateutil import parser as dateutil_parser
from dateutil.relativedelta import relativedelta

from jobos.normalize.text import clean_text

# Epoch values: seconds or milliseconds (Lever createdAt). Anything outside 1995..2100 is noise.
_MIN_EPOCH, _MAX_EPOCH = 788_918_400, 4_102_444_800

_UNITS = {
    "day": "days", "days": "days", "tag": "days", "tagen": "days", "tage": "days",
    "jour": "days", "jours": "days", "dia": "days", "dias": "days", "día": "days", "días": "days",
    "dag": "days", "dagen": "days", "giorno": "days", "giorni": "days",
    "hour": "hours", "hours": "hours", "hr": "hours", "hrs": "hours", "stunde": "hours",
    "stunden": "hours", "heure": "hours", "heures": "hours", "minute": "minutes",
    "minutes": "minutes", "min": "minutes", "mins": "minutes", "minuten": "minutes",
    "week": "weeks", "weeks": "weeks", "woche": "weeks", "wochen": "weeks", "semaine": "weeks",
    "semaines": "weeks", "month": "months", "months": "months", "monat": "months",
    "monaten": "months", "monate": "months", "mois": "months", "mes": "months", "meses": "months",
    "year": "years", "years": "years", "jahr": "years", "jahren": "years", "jahre": "years",
    "an": "years", "ans": "years", "año": "years", "años": "years",
}
_RELATIVE = re.compile(
    r"(?<!\w)(?P<n>\d+|an?|one|einem|einer|un|une)\+?\s*(?P<unit>[a-zäéíñ]+)(?!\w)", re.I
)
_TODAY = re.compile(r"\b(today|just now|heute|aujourd'hui|hoy|oggi|vandaag|idag|i dag|new)\b", re.I)
_YESTERDAY = re.compile(r"\b(yesterday|gestern|hier|ayer|ieri|gisteren|igår|i går)\b", re.I)
_NUMERIC_DMY = re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{4})$")


def _anchor(now: datetime | None) -> datetime:
    if now is None:
        return datetime.now(timezone.utc)
    return now if now.tzinfo else now.replace(tzinfo=timezone.utc)


def _from_epoch(value: float) -> str | None:
    if value > _MAX_EPOCH * 10:  # milliseconds
        value /= 1000.0
    if not _MIN_EPOCH <= value <= _MAX_EPOCH:
        return None
    return datetime.fromtimestamp(value, tz=timezone.utc).date().isoformat()


def _relative(text: str, now: datetime) -> str | None:
    if _TODAY.search(text):
        return now.date().isoformat()
    if _YESTERDAY.search(text):
        return (now - timedelta(days=1)).date().isoformat()
    m = next((m for m in _RELATIVE.finditer(text) if m.group("unit").lower() in _UNITS), None)
    if m is None:
        return None
    unit = _UNITS[m.group("unit").lower()]
    n = m.group("n").lower()
    count = int(n) if n.isdigit() else 1
    if count > 10_000:
        return None
    return (now - relativedelta(**{unit: count})).date().isoformat()


def parse_date(value: object, now: datetime | None = None) -> str | None:
    """Return the ISO date 'YYYY-MM-DD' a posted/created value names, or None."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, (int, float)):
        return _from_epoch(float(value))
    text = clean_text(value)
    if not text or len(text) > 200:
        return None
    if re.fullmatch(r"\d{9,13}(\.\d+)?", text):
        return _from_epoch(float(text))
    iso = re.match(r"(\d{4})-(\d{2})-(\d{2})", text)
    if iso:
        try:
            return date(int(iso.group(1)), int(iso.group(2)), int(iso.group(3))).isoformat()
        except ValueError:
            return None
    dmy = _NUMERIC_DMY.match(text)
    if dmy:  # German/European "05.01.2024"
        try:
            return date(int(dmy.group(3)), int(dmy.group(2)), int(dmy.group(1))).isoformat()
        except ValueError:
            return None
    anchor = _anchor(now)
    relative = _relative(text, anchor)
    if relative:
        return relative
    if not re.search(r"\d{4}|[a-z]{3}", text, re.I):
        return None
    stripped = re.sub(r"^(posted|published|date posted|veröffentlicht|publié)( on| am| le)?:?\s*", "", text, flags=re.I)
    try:
        parsed = dateutil_parser.parse(stripped, default=datetime(anchor.year, 1, 1))
    except (ValueError, OverflowError):
        return _dateparser(stripped, anchor)
    if not re.search(r"\d{4}", stripped) and parsed.date() > anchor.date():
        # "Jan 5" without a year in the future means last year.
        parsed = parsed.replace(year=parsed.year - 1)
    return parsed.date().isoformat()


# The languages of the job markets we crawl; naming them keeps dateparser from trying all 200.
DATEPARSER_LANGUAGES = ("en", "de", "fr", "es", "pt", "it", "nl", "sv", "da", "nb", "fi", "pl", "cs")


def _dateparser(text: str, anchor: datetime) -> str | None:
    """Return the date dateparser reads in text (relative to anchor, past preferred), or None."""
    if not re.search(r"\d", text) or len(text) > 80:
        return None  # words alone are not a date; dateparser would guess at every language
    import dateparser  # imported on first use: it loads its language data

    settings = {
        "RELATIVE_BASE": anchor.astimezone(timezone.utc).replace(tzinfo=None),
        "PREFER_DATES_FROM": "past",
        "RETURN_AS_TIMEZONE_AWARE": False,
    }
    try:
        parsed = dateparser.parse(text, languages=list(DATEPARSER_LANGUAGES), settings=settings)
    except (ValueError, OverflowError, TypeError):
        return None
    if parsed is None or not 1995 <= parsed.year <= 2100:
        return None
    return parsed.date().isoformat()
