"""DuckDuckGo's HTML endpoint: the query to send, the results it gives back, and blocking.

Robots policy. Search engines' robots.txt forbids crawlers, but the search step is not a
crawl: it is the one query a user asked for ("where are Acme's jobs?"), sent as a person would
send it, at most JOBOS_MAX_SEARCH_REQUESTS (default 2) per crawl, never followed into further
result pages. So, by default (JOBOS_SEARCH_IGNORES_ROBOTS = True), only the search request
carries `dont_obey_robotstxt`; every other request of the crawl obeys robots.txt. Setting
JOBOS_SEARCH_IGNORES_ROBOTS = False makes the search obey robots.txt too, which in practice
turns it off (discovery then relies on ATS slug probes and domain guesses).

A CAPTCHA/anomaly page, HTTP 202 (DuckDuckGo's "try again later") or 429 is a `SearchBlocked`
outcome: discovery stops searching and falls back to domain guesses, never retrying into a
block.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass
from urllib.parse import parse_qs, urljoin, urlsplit

import lxml.html

logger = logging.getLogger(__name__)

ENDPOINT = "https://html.duckduckgo.com/html/"
BLOCK_STATUSES = (202, 403, 429)

# DuckDuckGo region codes (kl) by ISO country; countries with two languages use the first.
_REGIONS = {
    "AR": "ar-es", "AU": "au-en", "AT": "at-de", "BE": "be-nl", "BR": "br-pt", "BG": "bg-bg",
    "CA": "ca-en", "CL": "cl-es", "CN": "cn-zh", "CO": "co-es", "HR": "hr-hr", "CZ": "cz-cs",
    "DK": "dk-da", "EE": "ee-et", "FI": "fi-fi", "FR": "fr-fr", "DE": "de-de", "GR": "gr-el",
    "HK": "hk-tzh", "HU": "hu-hu", "IN": "in-en", "ID": "id-en", "IE": "ie-en", "IL": "il-en",
    "IT": "it-it", "JP": "jp-jp", "KR": "kr-kr", "LV": "lv-lv", "LT": "lt-lt", "MY": "my-en",
    "MX": "mx-es", "NL": "nl-nl", "NZ": "nz-en", "NO": "no-no", "PK": "pk-en", "PE": "pe-es",
    "PH": "ph-en", "PL": "pl-pl", "PT": "pt-pt", "RO": "ro-ro", "RU": "ru-ru", "SA": "xa-ar",
    "SG": "sg-en", "SK": "sk-sk", "SI": "sl-sl", "ZA": "za-en", "ES": "es-es", "SE": "se-sv",
    "CH": "ch-de", "TW": "tw-tzh", "TH": "th-en", "TR": "tr-tr", "UA": "ua-uk", "GB": "uk-en",
    "US": "us-en", "VN": "vn-en", "LU": "be-fr", "IS": "wt-wt",
}
NO_REGION = "wt-wt"

# The word people search for a company's jobs with, by country (its main language).
_CAREERS_WORD = {
    "DE": "karriere", "AT": "karriere", "CH": "karriere", "NL": "werken bij", "BE": "vacatures",
    "FR": "recrutement", "LU": "recrutement", "ES": "empleo", "MX": "empleo", "AR": "empleo",
    "IT": "lavora con noi", "PT": "carreiras", "BR": "carreiras", "NO": "ledige stillinger",
    "SE": "lediga jobb", "DK": "job", "FI": "rekrytointi", "PL": "kariera", "CZ": "kariera",
}


def region(country: str | None) -> str:
    """Return DuckDuckGo's kl region for an ISO country ('DE' -> 'de-de', 'GB' -> 'uk-en')."""
    if not country:
        return NO_REGION
    return _REGIONS.get(country.upper(), NO_REGION)


def queries(company: str, country: str | None) -> list[str]:
    """Return the search queries to try in order: a careers query, then the name alone."""
    word = _CAREERS_WORD.get((country or "").upper(), "careers")
    first = f"{company} {word}"
    return [first, company] if first != company else [company]


def form_data(query: str, country: str | None) -> dict[str, str]:
    """Return the POST form the HTML endpoint takes (q, kl; b empty as its own form sends)."""
    return {"q": query, "kl": region(country), "b": ""}


@dataclass(frozen=True)
class SearchResult:
    """One organic result: the target URL (redirect decoded), its title and snippet."""

    url: str
    title: str
    snippet: str
    position: int


@dataclass(frozen=True)
class SearchBlocked:
    """The search engine refused to answer: why ('captcha', 'http 202', ...)."""

    reason: str


def decode_link(href: str) -> str | None:
    """Return the target of a result link (`//duckduckgo.com/l/?uddg=...` decoded), or None.

    Ads (`duckduckgo.com/y.js?...`) and DuckDuckGo's own pages give None.
    """
    if not href:
        return None
    url = urljoin("https://html.duckduckgo.com/html/", href.strip())
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    if host.endswith("duckduckgo.com"):
        if parts.path.startswith("/l/"):
            target = (parse_qs(parts.query).get("uddg") or [None])[0]
            return decode_link(target) if target else None
        return None  # y.js (ads), settings, feedback, other internal pages
    if parts.scheme not in ("http", "https") or not host:
        return None
    return url


def blocked(status: int, text: str) -> SearchBlocked | None:
    """Return SearchBlocked when the answer is a block (CAPTCHA page, 202/403/429), else None."""
    if status in BLOCK_STATUSES:
        return SearchBlocked(f"http {status}")
    lowered = (text or "")[:200_000].lower()
    if "anomaly-modal" in lowered or "anomaly.js" in lowered or "challenge-form" in lowered:
        return SearchBlocked("captcha")
    if "bots use duckduckgo too" in lowered:
        return SearchBlocked("captcha")
    if status >= 400:
        return SearchBlocked(f"http {status}")
    return None


def _is_ad(result_el) -> bool:
    classes = (result_el.get("class") or "").split()
    if "result--ad" in classes or any(c.startswith("result--ad") for c in classes):
        return True
    if result_el.xpath(".//*[contains(concat(' ', normalize-space(@class), ' '), ' badge--ad ')]"):
        return True
    return any("y.js" in (a.get("href") or "") for a in result_el.xpath(".//a[@href]"))


def parse_results(text: str) -> list[SearchResult]:
    """Return the organic results of a result page, in page order, ads skipped."""
    try:
        root = lxml.html.fromstring(text or "<html></html>")
    except (ValueError, lxml.etree.ParserError):
        return []
    results: list[SearchResult] = []
    seen: set[str] = set()
    blocks = root.xpath("//div[contains(concat(' ', normalize-space(@class), ' '), ' result ')]")
    for block in blocks:
        if _is_ad(block):
            continue
        links = block.xpath(".//a[contains(concat(' ', normalize-space(@class), ' '), ' result__a ')]")
        if not links:
            continue
        url = decode_link(links[0].get("href") or "")
        if not url or url in seen:
            continue
        seen.add(url)
        snippet_el = block.xpath(".//*[contains(concat(' ', normalize-space(@class), ' '), ' result__snippet ')]")
        snippet = " ".join(snippet_el[0].text_content().split()) if snippet_el else ""
        title = " ".join(links[0].text_content().split())
        results.append(SearchResult(url, title, snippet, len(results) + 1))
    return results


def ad_count(text: str) -> int:
    """Return how many ads a result page shows (for stats)."""
    try:
        root = lxml.html.fromstring(text or "<html></html>")
    except (ValueError, lxml.etree.ParserError):
        return 0
    blocks = root.xpath("//div[contains(concat(' ', normalize-space(@class), ' '), ' result ')]")
    return sum(1 for block in blocks if _is_ad(block))
