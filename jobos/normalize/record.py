"""Normalize one job record in place against the record contract (DESIGN.md)."""
from __future__ import annotations

import hashlib
import logging
import re
from datetime import datetime, timezone
from typing import Any

from itemadapter import ItemAdapter

from jobos.items import WORKPLACES
from jobos.normalize.countries import country_code
from jobos.normalize.dates import parse_date
from jobos.normalize.employment import employment_type
from jobos.normalize.language import detect_language
from jobos.normalize.location import Location, display_location, parse_locations, workplace_of
from jobos.normalize.remote import (
    arrangement_in_description,
    is_weak_remote_bucket,
    remote_scope,
    scope_in_description,
)
from jobos.normalize.salary import (
    Salary,
    currency_code,
    parse_salary,
    period_code,
    salary_from_fields,
    salary_in_description,
    yearly,
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


def _location_texts(adapter: ItemAdapter) -> list[str]:
    texts = [adapter.get("location"), *(adapter.get("locations") or ())]
    return list(dict.fromkeys(t for t in texts if isinstance(t, str) and t.strip()))


def _all_locations(adapter: ItemAdapter, hint: str | None) -> list[Location]:
    return [loc for text in _location_texts(adapter) for loc in parse_locations(text, hint)]


def _first_location(adapter: ItemAdapter, hint: str | None = None) -> Location | None:
    return next((loc for loc in _all_locations(adapter, hint) if not loc.empty), None)


def _location_workplace(adapter: ItemAdapter) -> str | None:
    texts = [t for t in _location_texts(adapter) if not is_weak_remote_bucket(t, adapter.get("source"))]
    locs = [loc for t in texts for loc in parse_locations(t)]
    found = {loc.workplace for loc in locs if loc.workplace}
    if "hybrid" in found:
        return "hybrid"
    if "remote" in found:
        # Remote beside office cities ("SF / NY / Remote"): an office or remote, which the ATSs
        # that say both (Ashby's workplaceType on such jobs) call hybrid.
        return "hybrid" if any(loc.city and not loc.remote for loc in locs) else "remote"
    return "onsite" if "onsite" in found else None


def _fix_location(adapter: ItemAdapter, problems: list[str], hint: str | None = None) -> None:
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
    loc = _first_location(adapter, hint)
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
    """Workplace from evidence, strongest first (see normalize.remote)."""
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
    # Last: a description sentence about this role's arrangement (never a perk). A Workday
    # "US, TX, Remote" bucket was left out above, so only such a sentence makes it remote.
    adapter["workplace"] = value or arrangement_in_description(adapter.get("description"))


def _fix_place_display(adapter: ItemAdapter, hint: str | None) -> None:
    """remote_scope for remote jobs; location_display from the normalized parts."""
    if adapter.get("workplace") == "remote":
        if not adapter.get("remote_scope"):
            locs = [loc for loc in _all_locations(adapter, hint) if loc.workplace in (None, "remote")]
            if not locs and adapter.get("country"):
                locs = [Location(country=adapter.get("country"))]
            adapter["remote_scope"] = remote_scope(locs) or scope_in_description(adapter.get("description"))
    else:
        adapter["remote_scope"] = None
    adapter["location_display"] = display_location(
        adapter.get("city"), adapter.get("region"), adapter.get("country"),
        adapter.get("workplace"), adapter.get("remote_scope"),
    )


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
    _fix_salary_figures(adapter, problems)
    low, high = yearly(Salary(adapter.get("salary_min"), adapter.get("salary_max"), None,
                              adapter.get("salary_period")))
    adapter["salary_min_yearly"], adapter["salary_max_yearly"] = low, high


def _fix_salary_figures(adapter: ItemAdapter, problems: list[str]) -> None:
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
        country = adapter.get("country")
        parsed = parse_salary(adapter.get("salary_text"), country)
        if parsed is None and adapter.get("method") in ("html", "llm", "jsonld", "api"):
            # Descriptions only for one unambiguous figure with a currency and a period.
            parsed = salary_in_description(adapter.get("description"), country)
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


def _fix_language(adapter: ItemAdapter) -> None:
    current = adapter.get("language")
    if isinstance(current, str) and re.fullmatch(r"[a-z]{2}", current.strip().lower()):
        adapter["language"] = current.strip().lower()
        return
    adapter["language"] = detect_language(adapter.get("title"), adapter.get("description"))


def normalize_item(item: Any, crawl_time: datetime | None = None,
                   country_hint: str | None = None) -> list[str]:
    """Return the problem codes found while normalizing item in place (fixed or nulled).

    country_hint is the company's (the crawl's) country: it decides between places of one name
    the location text does not tell apart.
    """
    crawl_time = crawl_time or datetime.now(timezone.utc)
    hint = country_code(country_hint) if isinstance(country_hint, str) else None
    adapter = ItemAdapter(item)
    problems: list[str] = []
    for name in _TEXT_FIELDS:
        if name in adapter or adapter.get(name) is not None:
            adapter[name] = clean_text(adapter.get(name))
    _fix_urls(adapter, problems)
    _fix_location(adapter, problems, hint)
    _fix_workplace(adapter, problems)
    _fix_place_display(adapter, hint)
    _fix_employment(adapter, problems)
    _fix_salary(adapter, problems)
    _fix_dates(adapter, crawl_time, problems)
    _fix_language(adapter)
    return problems
