"""Normalize one job record in place against the record contract (DESIGN.md)."""
from __future__ import annotations

import hashlib
import logging
from datetime import datetime, timezone
from typing import Any

from itemadapter import ItemAdapter

from jobos.items import WORKPLACES
from jobos.normalize.countries import country_code
from jobos.normalize.dates import parse_date
from jobos.normalize.employment import employment_type
from jobos.normalize.location import Location, parse_locations, workplace_of
from jobos.normalize.salary import (
    currency_code,
    parse_salary,
    period_code,
    salary_from_fields,
    salary_in_description,
)
from jobos.normalize.text import clean_text
from jobos.normalize.urls import canonical_url, registrable_domain

logger = logging.getLogger(__name__)

_TEXT_FIELDS = ("title", "company", "department", "location")
# ATS workplace spellings: Ashby "OnSite"/"Hybrid"/"Remote", Lever "on-site"/"unspecified".
_WORKPLACE_WORDS = {
    "onsite": "onsite", "on site": "onsite", "on-site": "onsite", "office": "onsite",
    "in office": "onsite", "in-office": "onsite", "remote": "remote", "hybrid": "hybrid",
    "telecommute": "remote", "fully remote": "remote",
}


def _workplace_value(value: object) -> str | None:
    """Return a contract workplace for an ATS flag or text, or None."""
    if value is True:
        return "remote"
    if not isinstance(value, str) or not value.strip():
        return None
    key = " ".join(value.strip().lower().replace("_", " ").split())
    if key in WORKPLACES:
        return key
    if key.replace(" ", "") in _WORKPLACE_WORDS:
        return _WORKPLACE_WORDS[key.replace(" ", "")]
    return _WORKPLACE_WORDS.get(key) or workplace_of(value)


def _first_location(adapter: ItemAdapter) -> Location | None:
    texts: list[str] = []
    if isinstance(adapter.get("location"), str):
        texts.append(adapter["location"])
    for text in adapter.get("locations") or ():
        if isinstance(text, str):
            texts.append(text)
    for text in texts:
        for loc in parse_locations(text):
            if not loc.empty:
                return loc
    return None


def _location_workplace(adapter: ItemAdapter) -> str | None:
    texts = [adapter.get("location"), *(adapter.get("locations") or ())]
    found = {loc.workplace for t in texts if isinstance(t, str) for loc in parse_locations(t) if loc.workplace}
    if "hybrid" in found:
        return "hybrid"
    if found == {"remote"}:
        return "remote"
    # Remote among on-site places ("SF / NY / Remote"): the job can be done remotely.
    return "remote" if "remote" in found else ("onsite" if "onsite" in found else None)


def _fix_location(adapter: ItemAdapter, problems: list[str]) -> None:
    country = adapter.get("country")
    if country not in (None, ""):
        code = country_code(country) if isinstance(country, str) else None
        if code is None:
            adapter["country"] = None
            problems.append("country_invalid")
        elif code != country:
            adapter["country"] = code
            problems.append("country_fixed")
    else:
        adapter["country"] = None
    loc = _first_location(adapter)
    if loc is None:
        return
    same_country = not adapter.get("country") or loc.country == adapter.get("country")
    if not adapter.get("country") and loc.country:
        adapter["country"] = loc.country
    if same_country:
        if not adapter.get("city") and loc.city:
            adapter["city"] = loc.city
        if not adapter.get("region") and loc.region:
            adapter["region"] = loc.region


def _fix_workplace(adapter: ItemAdapter, problems: list[str]) -> None:
    current = adapter.get("workplace")
    value = _workplace_value(current)
    if current not in (None, "") and value is None:
        problems.append("workplace_invalid")
    value = (
        value
        or _workplace_value(adapter.get("remote_flag"))
        or _location_workplace(adapter)
        or workplace_of(adapter.get("title"))
    )
    adapter["workplace"] = value


def _fix_employment(adapter: ItemAdapter, problems: list[str]) -> None:
    current = adapter.get("employment_type")
    if current in (None, "", []):
        adapter["employment_type"] = None
        return
    value = employment_type(current)
    if value is None:
        problems.append("employment_type_unknown")
    adapter["employment_type"] = value


def _number(value: Any) -> float | None | bool:
    """Return a float, None for empty, or False for a value that is not a number."""
    if value in (None, ""):
        return None
    if isinstance(value, bool):
        return False
    if isinstance(value, (int, float)):
        return float(value) if value == value and value >= 0 else False
    parsed = salary_from_fields(value, None, None, None)
    return parsed.min if parsed and parsed.min is not None else False


def _fix_salary(adapter: ItemAdapter, problems: list[str]) -> None:
    low, high = _number(adapter.get("salary_min")), _number(adapter.get("salary_max"))
    if low is False or high is False:
        problems.append("salary_not_numeric")
        low = None if low is False else low
        high = None if high is False else high
    if low is not None and high is not None and low > high:
        low, high = high, low
        problems.append("salary_min_gt_max")
    currency = adapter.get("salary_currency")
    code = currency_code(currency) if isinstance(currency, str) else None
    if currency not in (None, "") and code is None:
        problems.append("salary_currency_invalid")
    period = adapter.get("salary_period")
    pcode = period_code(period)
    if period not in (None, "") and pcode is None:
        problems.append("salary_period_invalid")

    if low is None and high is None:
        parsed = parse_salary(adapter.get("salary_text"))
        if parsed is None and adapter.get("method") in ("html", "llm", "jsonld", "api"):
            # Descriptions only for one unambiguous figure with a currency and a period.
            parsed = salary_in_description(adapter.get("description"))
        if parsed is not None:
            low, high = parsed.min, parsed.max
            code = code or parsed.currency
            pcode = pcode or parsed.period
    if low is None and high is None:
        code = pcode = None  # a currency or period without an amount says nothing
    adapter["salary_min"], adapter["salary_max"] = low, high
    adapter["salary_currency"], adapter["salary_period"] = code, pcode


def _fix_dates(adapter: ItemAdapter, crawl_time: datetime, problems: list[str]) -> None:
    posted = adapter.get("posted_at")
    value = parse_date(posted, crawl_time) if posted not in (None, "") else None
    if posted not in (None, "") and value is None:
        problems.append("posted_at_invalid")
    if value is None and adapter.get("posted_text"):
        value = parse_date(adapter.get("posted_text"), crawl_time)
    adapter["posted_at"] = value
    if not adapter.get("scraped_at"):
        stamp = crawl_time.astimezone(timezone.utc) if crawl_time.tzinfo else crawl_time
        adapter["scraped_at"] = stamp.replace(microsecond=0, tzinfo=None).isoformat() + "Z"


def _fix_urls(adapter: ItemAdapter, problems: list[str]) -> None:
    for name in ("url", "apply_url"):
        value = adapter.get(name)
        if isinstance(value, str) and value.strip():
            canonical = canonical_url(value)
            if canonical is None and name == "apply_url":
                problems.append("apply_url_invalid")
            # A URL we cannot canonicalize stays as given: validation decides about it.
            adapter[name] = canonical or (value.strip() if name == "url" else None)
        elif name in adapter and value is not None and not isinstance(value, str):
            adapter[name] = None
    url = adapter.get("url")
    if not adapter.get("external_id") and isinstance(url, str) and url:
        adapter["external_id"] = hashlib.sha1(url.encode("utf-8")).hexdigest()[:16]
        problems.append("external_id_missing")
    elif adapter.get("external_id") is not None and not isinstance(adapter.get("external_id"), str):
        adapter["external_id"] = str(adapter["external_id"])
    domain = adapter.get("company_domain")
    if isinstance(domain, str) and domain.strip():
        adapter["company_domain"] = registrable_domain(domain) or domain.strip().lower()
    elif adapter.get("source") == "website" and isinstance(url, str):
        adapter["company_domain"] = registrable_domain(url)


def normalize_item(item: Any, crawl_time: datetime | None = None) -> list[str]:
    """Return the problem codes found while normalizing item in place (fixed or nulled)."""
    crawl_time = crawl_time or datetime.now(timezone.utc)
    adapter = ItemAdapter(item)
    problems: list[str] = []
    for name in _TEXT_FIELDS:
        if name in adapter or adapter.get(name) is not None:
            adapter[name] = clean_text(adapter.get(name))
    _fix_urls(adapter, problems)
    _fix_location(adapter, problems)
    _fix_workplace(adapter, problems)
    _fix_employment(adapter, problems)
    _fix_salary(adapter, problems)
    _fix_dates(adapter, crawl_time, problems)
    return problems
