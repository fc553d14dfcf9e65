"""JSON-LD JobPosting objects in a page -> JobItem records (method 'jsonld').

Postings are taken as the site publishes them: single objects, lists, `@graph`, and postings
nested in other objects (an ItemList's `itemListElement[].item`, a WebPage's `mainEntity`).
Blocks that are not strict JSON (comments, trailing commas, raw newlines inside strings, HTML
entities) are cleaned leniently; a block that still cannot be read is counted, not raised.
"""
from __future__ import annotations

import html as html_lib
import json
import logging
import re
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any, Iterator

import lxml.html

from jobos.ats.base import BoardContext
from jobos.items import JobItem
from jobos.normalize.countries import country_code
from jobos.normalize.text import clean_text
from jobos.pages.common import (
    absolute, canonical_url, page_source, registrable_domain, text_id, url_id,
)

logger = logging.getLogger(__name__)

SALARY_PERIODS = {"HOUR", "DAY", "WEEK", "MONTH", "YEAR"}
# Profiles on these sites name the employer's page there, not the employer's own domain.
_NOT_COMPANY_DOMAINS = {
    "linkedin.com", "facebook.com", "twitter.com", "x.com", "instagram.com", "youtube.com",
    "glassdoor.com", "indeed.com", "xing.com", "stepstone.de", "wikipedia.org", "crunchbase.com",
    "ycombinator.com", "workatastartup.com", "github.com",
}
_TRAILING_COMMA = re.compile(r",\s*([}\]])")
_THOUSANDS = re.compile(r"^\d{1,3}([.,’' ]\d{3})+$")


@dataclass
class JsonLdJobs:
    """The JobPostings of one page: records, and what was skipped."""

    items: list[JobItem] = field(default_factory=list)
    expired: int = 0  # postings whose validThrough lies before the crawl time
    bad_blocks: int = 0  # ld+json blocks that could not be read even leniently


def script_blocks(html: str) -> list[str]:
    """Return the text of every <script type="application/ld+json"> block in a page."""
    try:
        doc = lxml.html.fromstring(html)
    except (ValueError, lxml.etree.ParserError):
        return []
    return [
        node.text_content()
        for node in doc.xpath('//script[contains(translate(@type, "LDJSON", "ldjson"), "ld+json")]')
        if node.text_content().strip()
    ]


def _strip_comments(text: str) -> str:
    """Return the text without // and /* */ comments outside JSON strings (URLs keep their //)."""
    out: list[str] = []
    i, n, in_string = 0, len(text), False
    while i < n:
        ch = text[i]
        if in_string:
            out.append(ch)
            if ch == "\\" and i + 1 < n:
                out.append(text[i + 1])
                i += 1
            elif ch == '"':
                in_string = False
        elif ch == '"':
            in_string = True
            out.append(ch)
        elif text.startswith("//", i):
            end = text.find("\n", i)
            i = n if end < 0 else end
            continue
        elif text.startswith("/*", i):
            end = text.find("*/", i + 2)
            i = n if end < 0 else end + 2
            continue
        else:
            out.append(ch)
        i += 1
    return "".join(out)


def load_block(text: str) -> Any:
    """Return the JSON value of an ld+json block, cleaned leniently; raise ValueError if unreadable."""
    text = text.strip().removeprefix("<!--").removesuffix("-->").strip()
    text = text.removeprefix("//<![CDATA[").removesuffix("//]]>").strip()
    try:
        return json.loads(text, strict=False)  # strict=False: raw newlines/tabs inside strings
    except ValueError:
        pass
    cleaned = _TRAILING_COMMA.sub(r"\1", _strip_comments(text))
    try:
        return json.loads(cleaned, strict=False)
    except ValueError:
        pass
    # Some CMSs entity-encode the whole block.
    return json.loads(_TRAILING_COMMA.sub(r"\1", html_lib.unescape(cleaned)), strict=False)


def _is_posting(obj: dict) -> bool:
    types = obj.get("@type")
    types = types if isinstance(types, list) else [types]
    return any(isinstance(t, str) and t.rsplit("/", 1)[-1].rsplit(":", 1)[-1] == "JobPosting"
               for t in types)


def iter_postings(value: Any, depth: int = 0) -> Iterator[dict]:
    """Yield every JobPosting object in a JSON-LD value, however deeply it is nested."""
    if depth > 12:
        return
    if isinstance(value, list):
        for entry in value:
            yield from iter_postings(entry, depth + 1)
    elif isinstance(value, dict):
        if _is_posting(value):
            yield value
            return
        for entry in value.values():
            if isinstance(entry, (dict, list)):
                yield from iter_postings(entry, depth + 1)


def job_postings(html: str) -> tuple[list[dict], int]:
    """Return (the page's JobPosting objects, the number of unreadable ld+json blocks)."""
    postings: list[dict] = []
    bad = 0
    for block in script_blocks(html):
        try:
            value = load_block(block)
        except ValueError:
            bad += 1
            continue
        postings.extend(iter_postings(value))
    return postings, bad


# --- field mapping ------------------------------------------------------------------------
def _first(value: Any) -> Any:
    if isinstance(value, list):
        return next((v for v in value if v not in (None, "", {})), None)
    return value


def _text(value: Any) -> str | None:
    value = _first(value)
    if isinstance(value, dict):
        value = value.get("name") or value.get("@value") or value.get("value")
    return clean_text(value) if isinstance(value, (str, int, float)) else None


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, (int, float)):
        return float(value)
    if isinstance(value, str):
        text = value.strip()
        if _THOUSANDS.match(text):  # "3.200" (de), "45,000" (en), "120 000" (fr)
            text = re.sub(r"\D", "", text)
        text = re.sub(r"[^\d.,-]", "", text).replace(",", "")
        try:
            return float(text) if text else None
        except ValueError:
            return None
    return None


def _country(value: Any) -> str | None:
    text = _text(value)
    if not text:
        return None
    if len(text) == 2 and text.isalpha():
        return text.upper() if country_code(text) else None
    return country_code(text)


def _plain_name(text: str | None) -> str | None:
    # Workday puts "AMER - Canada - Quebec - Montreal - 10 Rue Duke" in addressLocality: that is
    # location text for the normalizer, not a city.
    if not text or len(text) > 60 or any(ch.isdigit() for ch in text) or " - " in text:
        return None
    return text


def _addresses(posting: dict) -> list[dict]:
    places = posting.get("jobLocation")
    places = places if isinstance(places, list) else [places]
    found = []
    for place in places:
        if isinstance(place, dict):
            address = place.get("address", place)
            if isinstance(address, list):
                address = _first(address)
            if isinstance(address, str):
                address = {"addressLocality": address}
            if isinstance(address, dict):
                found.append(address)
        elif isinstance(place, str) and place.strip():
            found.append({"addressLocality": place})
    return found


def _address_text(address: dict) -> str | None:
    parts = []
    for key in ("addressLocality", "addressRegion", "addressCountry"):
        text = _text(address.get(key))
        if text and text not in parts:
            parts.append(text)
    return ", ".join(parts) or None


def _location_fields(posting: dict) -> dict[str, Any]:
    out: dict[str, Any] = {}
    addresses = _addresses(posting)
    texts = [t for t in (_address_text(a) for a in addresses) if t]
    remote = str(_first(posting.get("jobLocationType")) or "").upper() == "TELECOMMUTE"
    applicant = posting.get("applicantLocationRequirements")
    applicant = applicant if isinstance(applicant, list) else [applicant]
    applicant_names = [n for n in (_text(a) for a in applicant if a) if n]
    if addresses:
        first = addresses[0]
        out["city"] = _plain_name(_text(first.get("addressLocality")))
        out["region"] = _plain_name(_text(first.get("addressRegion")))
        out["country"] = _country(first.get("addressCountry"))
    if remote:
        out["workplace"] = "remote"
        out["remote_flag"] = "TELECOMMUTE"
        if not texts and applicant_names:
            texts = [f"Remote - {name}" for name in applicant_names]
            if len(applicant_names) == 1:
                out["country"] = _country(applicant_names[0])
        elif not texts:
            texts = ["Remote"]
    if texts:
        out["location"] = " / ".join(texts) if len(texts) <= 3 else "; ".join(texts)
        out["locations"] = texts
    return out


def _salary_fields(posting: dict) -> dict[str, Any]:
    salary = _first(posting.get("baseSalary") or posting.get("estimatedSalary"))
    if isinstance(salary, (int, float, str)) and not isinstance(salary, bool):
        amount = _number(salary)
        return {"salary_min": amount, "salary_max": amount} if amount else {
            "salary_text": clean_text(str(salary))}
    if not isinstance(salary, dict):
        return {}
    value = salary.get("value")
    out: dict[str, Any] = {}
    currency = _text(salary.get("currency"))
    if isinstance(value, dict):
        currency = currency or _text(value.get("currency"))
        low, high = _number(value.get("minValue")), _number(value.get("maxValue"))
        single = _number(value.get("value"))
        if low is None and high is None and single is not None:
            low = high = single
        unit = (_text(value.get("unitText")) or _text(salary.get("unitText")) or "").upper()
    else:
        low = high = _number(value)
        unit = (_text(salary.get("unitText")) or "").upper()
    out["salary_min"], out["salary_max"] = low, high
    if currency and len(currency) == 3 and currency.isalpha():
        out["salary_currency"] = currency.upper()
    if unit in SALARY_PERIODS:
        out["salary_period"] = unit
    elif unit:
        out["salary_text"] = unit
    return out


def _company_domain(posting: dict) -> str | None:
    org = _first(posting.get("hiringOrganization"))
    if not isinstance(org, dict):
        return None
    candidates = org.get("sameAs") or []
    candidates = candidates if isinstance(candidates, list) else [candidates]
    for url in [org.get("url"), *candidates]:
        if not isinstance(url, str) or not url.startswith(("http://", "https://", "//")):
            continue
        from urllib.parse import urlsplit

        try:
            path = urlsplit(url).path
        except ValueError:  # "http://[..." and other unparseable URLs: not a company site
            continue
        if path.strip("/"):  # a profile page somewhere, not the company's own site
            continue
        domain = registrable_domain(url)
        if domain and domain not in _NOT_COMPANY_DOMAINS:
            return domain
    return None


def _description_html(posting: dict) -> str | None:
    text = _first(posting.get("description"))
    if not isinstance(text, str) or not text.strip():
        return None
    if "&lt;" in text and "<" not in text:  # the HTML was entity-encoded once more
        text = html_lib.unescape(text)
    return text.strip()


def _identifier(posting: dict) -> str | None:
    identifier = _first(posting.get("identifier"))
    if isinstance(identifier, dict):
        identifier = identifier.get("value") or identifier.get("@id")
    return _text(identifier)


def _parse_date(value: Any) -> datetime | None:
    text = _text(value)
    if not text:
        return None
    try:
        when = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    return when if when.tzinfo else when.replace(tzinfo=timezone.utc)


def _anchor_urls(html: str, base_url: str) -> dict[str, str]:
    """Return {normalized link text: URL}, to give URL-less postings on a listing their link."""
    try:
        doc = lxml.html.fromstring(html)
    except (ValueError, lxml.etree.ParserError):
        return {}
    found: dict[str, str] = {}
    for a in doc.iter("a"):
        url = absolute(a.get("href"), base_url)
        text = clean_text(a.text_content())
        if url and text:
            found.setdefault(text.casefold(), url)
    return found


def posting_to_item(
    posting: dict, page_url: str, ctx: BoardContext, *, url: str | None = None
) -> JobItem | None:
    """Return the JobItem of one JobPosting object (None without a title)."""
    title = _text(posting.get("title")) or _text(posting.get("name"))
    if not title:
        return None
    job_url = url or absolute(_text(posting.get("url")), page_url) or page_url
    source = page_source(job_url)
    ident = _identifier(posting)
    fields: dict[str, Any] = {
        "title": title,
        "url": job_url,
        "external_id": ident or url_id(job_url),
        "posted_at": _text(posting.get("datePosted")),
        "employment_type": _text(posting.get("employmentType")),
        "description_html": _description_html(posting),
        **_location_fields(posting),
        **_salary_fields(posting),
    }
    domain = _company_domain(posting) or ctx.company_domain
    if domain is None and source.source == "website":
        domain = registrable_domain(job_url)
    item = JobItem(
        company=ctx.company or _text(posting.get("hiringOrganization")),
        company_domain=domain,
        source=source.source,
        method="jsonld",
        board=source.board,
        scraped_at=ctx.scraped_at,
        extraction_pending=False,
    )
    for key, value in fields.items():
        if value is not None and value != "" and value != []:
            item[key] = value
    item["provenance"] = {
        key: {"method": "jsonld", "quote": None}
        for key in fields
        if key in item and key not in ("external_id", "locations", "remote_flag", "salary_text")
    }
    return item


def parse_jsonld(html: str, page_url: str, ctx: BoardContext) -> JsonLdJobs:
    """Return the JobPosting records of a page (expired postings and bad blocks counted)."""
    result = JsonLdJobs()
    postings, result.bad_blocks = job_postings(html)
    if not postings:
        return result
    links: dict[str, str] | None = None
    urls_used: set[str] = set()
    many = len(postings) > 1
    identifiers = [_identifier(p) for p in postings]
    shared_id = many and len(set(identifiers)) < len(identifiers)
    for index, posting in enumerate(postings):
        valid = _parse_date(posting.get("validThrough"))
        if valid is not None and valid < ctx.crawl_time:
            result.expired += 1
            continue
        url = absolute(_text(posting.get("url")), page_url)
        if url is None and many:
            # Several URL-less postings on a listing: the link with the posting's title is its
            # page; failing that, a fragment keeps the records apart.
            if links is None:
                links = _anchor_urls(html, page_url)
            title = (_text(posting.get("title")) or "").casefold()
            url = links.get(title) or f"{canonical_url(page_url)}#job-{index + 1}"
        item = posting_to_item(posting, page_url, ctx, url=url)
        if item is None:
            continue
        if many and (shared_id or item["url"] in urls_used or "#job-" in item["url"]):
            # No id of its own on a shared page: the page and the title identify it.
            item["external_id"] = text_id(canonical_url(page_url), item["title"])
        urls_used.add(item["url"])
        result.items.append(item)
    if len(result.items) == 1 and not result.items[0].get("apply_url"):
        item = result.items[0]
        if canonical_url(item["url"]) == canonical_url(page_url):
            # The posting's own page: its apply link or button (JSON-LD has no apply URL field).
            from jobos.pages.detail import find_apply_url

            apply_url = find_apply_url(html, page_url)
            if apply_url:
                item["apply_url"] = apply_url
    return result
