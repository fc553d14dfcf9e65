"""Values as a person reads them (dates, money, places, labels), template filters, and the
description sanitizer (the shared allow-list of `jobos.normalize.html`, re-applied at render)."""
from __future__ import annotations

import datetime as dt
import html as htmllib
import re
from functools import lru_cache
from typing import Any, Callable
from urllib.parse import urljoin, urlsplit

import nh3
import pycountry
from markupsafe import Markup, escape

from api.blueprints.ui import bp
from jobos.normalize.countries import country_name as shared_country_name
from jobos.normalize.location import place_of
from jobos.normalize.html import _SAFE_ATTRIBUTES as ALLOWED_ATTRIBUTES
from jobos.normalize.html import _SAFE_TAGS as ALLOWED_TAGS

FIELD_LABELS = {
    "title": "Title", "company": "Company", "company_domain": "Company domain", "source": "Source",
    "method": "Method", "external_id": "External id", "url": "Job page", "apply_url": "Apply link",
    "location": "Location", "city": "City", "region": "Region", "country": "Country",
    "workplace": "Workplace", "employment_type": "Employment type", "department": "Department",
    "salary_min": "Salary from", "salary_max": "Salary to", "salary_currency": "Currency",
    "salary_period": "Salary period", "posted_at": "Posted", "description": "Description",
    "description_html": "Description (HTML)", "status": "Status", "closed_at": "Closed",
    "board": "Board", "extraction_pending": "Extraction pending", "scraped_at": "Scraped",
    "first_seen": "First seen", "last_seen": "Last seen",
}
METHOD_LABELS = {
    "api": "the board's API", "jsonld": "JSON-LD on the page", "html": "the page text",
    "llm": "the language model",
}
EMPLOYMENT_LABELS = {
    "FULL_TIME": "Full-time", "PART_TIME": "Part-time", "CONTRACTOR": "Contract",
    "TEMPORARY": "Temporary", "INTERN": "Internship", "VOLUNTEER": "Volunteer",
    "PER_DIEM": "Per diem", "OTHER": "Other",
}
WORKPLACE_LABELS = {"onsite": "On site", "hybrid": "Hybrid", "remote": "Remote"}
PERIOD_LABELS = {"HOUR": "hour", "DAY": "day", "WEEK": "week", "MONTH": "month", "YEAR": "year"}


# --- formatting helpers (also template filters) ---------------------------------------------

@lru_cache(maxsize=1)
def countries() -> list[tuple[str, str]]:
    """Return (alpha-2 code, English name) for every ISO 3166-1 country, by name."""
    out = []
    for c in pycountry.countries:
        name = getattr(c, "common_name", None) or c.name
        out.append((c.alpha_2, name))
    return sorted(out, key=lambda pair: pair[1])


def country_name(code: str | None) -> str:
    """Return a country's English name for its code ('' for none; the code when unknown)."""
    if not code:
        return ""
    return shared_country_name(code) or code


def format_date(value: Any, with_time: bool = False) -> str:
    """Return '3 Mar 2024' (or with ' 14:05 UTC') for an ISO date or timestamp; '' for none."""
    if not value:
        return ""
    text = str(value)
    try:
        if len(text) <= 10:
            day = dt.date.fromisoformat(text)
            return f"{day.day} {day:%b %Y}"
        stamp = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return text
    if stamp.tzinfo:
        stamp = stamp.astimezone(dt.timezone.utc)
    out = f"{stamp.day} {stamp:%b %Y}"
    return f"{out} {stamp:%H:%M} UTC" if with_time else out


def _money(value: Any) -> str:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return str(value)
    return f"{number:,.0f}" if number == int(number) else f"{number:,.2f}"


def format_salary(job: dict[str, Any]) -> str:
    """Return '60,000–70,000 EUR a year' from the salary fields ('' when none)."""
    low, high = job.get("salary_min"), job.get("salary_max")
    if low is None and high is None:
        return ""
    if low is not None and high is not None and float(low) != float(high):
        amount = f"{_money(low)}–{_money(high)}"
    elif low is not None:
        amount = _money(low) if high is not None else f"from {_money(low)}"
    else:
        amount = f"up to {_money(high)}"
    parts = [amount]
    if job.get("salary_currency"):
        parts.append(str(job["salary_currency"]))
    period = PERIOD_LABELS.get(str(job.get("salary_period") or ""))
    if period:
        parts.append(f"a {period}" if period != "hour" else "an hour")
    return " ".join(parts)


def format_location(job: dict[str, Any]) -> str:
    """Return the job's place in the one display format (location_display; jobos.normalize.location)."""
    return place_of(job) or ""


def safe_http_url(value: Any) -> str | None:
    """Return the URL when it is an absolute http(s) URL, else None (no javascript:, data:...)."""
    if not isinstance(value, str):
        return None
    url = value.strip()
    if re.search(r"[\x00-\x20\x7f]", url):
        return None
    parts = urlsplit(url)
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return None
    return url


def _resolve_href(base_url: str | None) -> Callable[[str, str, str], str | None]:
    """Return an nh3 attribute filter: a link made absolute against the job's URL, kept only
    when it is http(s) or mailto (a relative link in a description pointed at this app)."""
    def attribute_filter(element: str, attribute: str, value: str) -> str | None:
        if element != "a" or attribute != "href":
            return value
        if value.lower().startswith("mailto:"):
            return value
        absolute = urljoin(base_url, value) if base_url else value
        return safe_http_url(absolute)
    return attribute_filter


def _same_words(a: str, b: str) -> bool:
    return " ".join(re.findall(r"\w+", a.lower())) == " ".join(re.findall(r"\w+", b.lower()))


_LEADING_HEADING = re.compile(r"^\s*((?:<div>\s*)*)<(h[1-6]|p)>\s*(?:<strong>|<b>)?(.*?)(?:</strong>|</b>)?\s*</\2>", re.S)


def sanitize_description(html: str | None, base_url: str | None = None, title: str | None = None) -> Markup | None:
    """Return the description HTML sanitized again at render time (safe to insert), or None.

    Links are resolved against the job's URL (base_url); a first heading that only repeats the
    job's title is dropped (the page shows the title already).
    """
    if not html:
        return None
    clean = nh3.clean(
        str(html), tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"}, link_rel="noopener noreferrer nofollow",
        strip_comments=True, attribute_filter=_resolve_href(safe_http_url(base_url)),
    )
    match = _LEADING_HEADING.match(clean)
    if title and match and "<" not in match.group(3) and _same_words(htmllib.unescape(match.group(3)), title):
        clean = match.group(1) + clean[match.end():]
    return Markup(clean)  # noqa: S704 - nh3 output with a strict allowlist


_URL_IN_TEXT = re.compile(r"https?://[^\s<>\"']+")


def linkify_text(text: str | None, title: str | None = None) -> Markup:
    """Return plain text escaped, with its http(s) URLs as links (a first line repeating the
    job's title dropped); nothing else of the text becomes markup."""
    text = str(text or "")
    first, sep, rest = text.lstrip().partition("\n")
    if title and sep and _same_words(first.lstrip("# "), title):
        text = rest.lstrip("\n")
    out, last = [], 0
    for match in _URL_IN_TEXT.finditer(text):
        url = match.group().rstrip(".,;:!?)")
        end = match.start() + len(url)
        out.append(escape(text[last:match.start()]))
        out.append(Markup('<a href="{0}" rel="noopener noreferrer nofollow">{0}</a>').format(url))
        last = end
    out.append(escape(text[last:]))
    return Markup("").join(out)


def field_value(field: str, value: Any) -> str:
    """Return a field's value as text a person reads."""
    if value is None or value == "":
        return "—"
    if field == "workplace":
        return WORKPLACE_LABELS.get(str(value), str(value))
    if field == "employment_type":
        return EMPLOYMENT_LABELS.get(str(value), str(value))
    if field == "country":
        return f"{country_name(value)} ({value})"
    if field == "method":
        return METHOD_LABELS.get(str(value), str(value))
    if field in ("salary_min", "salary_max"):
        return _money(value)
    if field == "salary_period":
        return PERIOD_LABELS.get(str(value), str(value))
    if field == "posted_at":
        return format_date(value)
    if field in ("first_seen", "last_seen", "closed_at", "scraped_at"):
        return format_date(value, with_time=True)
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


@bp.app_template_global()
def field_label(field: str) -> str:
    return FIELD_LABELS.get(field, field.replace("_", " ").capitalize())


for _name, _fn in (("date", format_date), ("salary", format_salary), ("location", format_location),
                   ("country_name", country_name), ("field_value", lambda v, f: field_value(f, v)),
                   ("workplace", lambda v: WORKPLACE_LABELS.get(v or "", v or "")),
                   ("employment", lambda v: EMPLOYMENT_LABELS.get(v or "", v or "")),
                   ("linkify", linkify_text)):
    bp.add_app_template_filter(_fn, _name)
