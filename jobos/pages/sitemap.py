"""Sitemaps, robots.txt Sitemap lines and RSS/Atom job feeds: where a site lists postings it
does not link from its careers page. Pure parsers with limits (every sitemap is hostile).

- `robots_sitemaps(text, url)`: the `Sitemap:` lines of a robots.txt.
- `read_sitemap(body, url)`: a sitemap or sitemap index (gzip or plain) -> its URLs or child
  sitemaps, within a size limit, a gzip ratio limit and a URL count limit. XML is parsed by
  Scrapy's own `Sitemap` (lxml with entities not resolved, so no entity expansion bomb and no
  external entity is read).
- `job_urls(urls, careers_url)`: the sitemap URLs that are postings of the careers page: on the
  same site, below the careers page's path or below a jobs path segment.
- `feed_links(html, url)`: the RSS/Atom feeds a page links (`<link rel="alternate">`).
- `read_feed(body, url)`: a feed's entries (feedparser), within a size limit.
- `job_entries(feed, careers_url)`: the entries that are postings: all entries of a feed named
  for jobs, else the entries whose link looks like a posting.
"""
from __future__ import annotations

import logging
import re
import zlib
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import lxml.html

from jobos.normalize.text import clean_text
from jobos.pages.common import absolute, canonical_url, registrable_domain

logger = logging.getLogger(__name__)

MAX_BYTES = 5 * 1024 * 1024  # a sitemap or feed body, after decompression
MAX_GZIP_RATIO = 100  # decompressed/compressed; real sitemaps stay far below, bombs far above
MAX_URLS = 50_000  # URLs read from one sitemap (the protocol's own limit)
MAX_CHILD_SITEMAPS = 50  # children taken from one sitemap index
MAX_JOB_URLS = 500  # postings taken from a site's sitemaps or feeds
MAX_FEED_ENTRIES = 1000

# Path segments under which postings live, in the languages discovery speaks.
_JOB_SEGMENT = re.compile(
    r"/(jobs?|careers?|karriere|stellen(angebote?)?|stellenanzeigen?|vacanc(y|ies)|vacatures?|positions?|"
    r"openings?|offres?(-d-emploi)?|emplois?|empleos?|ofertas?|vagas?|lavora-con-noi|offerte|"
    r"ledige-stillinger|stillinger?|lediga-jobb|jobb|job-offers?|jobangebote?|opportunit(y|ies)|"
    r"requisitions?|rekrytering|tyopaikat|avoimet-tyopaikat)(/|$)",
    re.I,
)
# A feed named for jobs (its title or URL), in many languages.
_JOB_FEED = re.compile(
    r"\b(jobs?|careers?|karriere|stellen\w*|vacatures?|vacanc\w*|offres?|emplois?|empleos?|ofertas?|vagas?|"
    r"lediga|jobb|stillinger|ledige|lavora|posizioni|openings?|positions?|recrut\w*|rekryt\w*|werken-bij)\b",
    re.I,
)
_FEED_TYPES = ("application/rss+xml", "application/atom+xml", "application/feed+xml", "application/xml",
               "text/xml")
_COMMENT_FEED = re.compile(r"comments?|kommentar|commentaires|comentarios|reacties", re.I)


class SitemapError(ValueError):
    """A sitemap or feed that is refused (too big, a gzip bomb, not XML): the message says why."""


@dataclass
class SitemapResult:
    """What one sitemap gave: page URLs (a urlset) or child sitemaps (an index)."""

    urls: list[str] = field(default_factory=list)
    sitemaps: list[str] = field(default_factory=list)
    truncated: bool = False  # more URLs than MAX_URLS (the rest were not read)


@dataclass
class FeedEntry:
    """One item of an RSS/Atom feed."""

    title: str
    url: str
    summary: str | None = None
    published: str | None = None


@dataclass
class Feed:
    """A parsed feed: its title, its URL and its entries."""

    url: str
    title: str | None = None
    entries: list[FeedEntry] = field(default_factory=list)


# --- robots.txt ----------------------------------------------------------------------------
def robots_sitemaps(text: str, robots_url: str) -> list[str]:
    """Return the absolute sitemap URLs named in a robots.txt (`Sitemap:` lines), in order."""
    found: list[str] = []
    for line in (text or "").splitlines()[:10_000]:
        name, _, value = line.partition(":")
        if name.strip().lower() != "sitemap":
            continue
        url = absolute(value.strip(), robots_url)
        if url and url not in found:
            found.append(url)
    return found


# --- sitemaps ------------------------------------------------------------------------------
def _is_gzip(body: bytes) -> bool:
    return body[:2] == b"\x1f\x8b"


def decompressed(body: bytes, url: str = "") -> bytes:
    """Return a (possibly gzipped) body within MAX_BYTES and MAX_GZIP_RATIO; SitemapError if not."""
    if not _is_gzip(body):
        if len(body) > MAX_BYTES:
            raise SitemapError(f"{url or 'the sitemap'} is larger than {MAX_BYTES} bytes")
        return body
    from scrapy.utils.gz import gunzip

    limit = min(MAX_BYTES, max(1, len(body)) * MAX_GZIP_RATIO)
    try:
        return gunzip(body, max_size=limit)  # stops unpacking as soon as the limit is passed
    except ValueError:  # Scrapy's "decompression max size exceeded"
        raise SitemapError(f"{url or 'the sitemap'} unpacks to more than {limit} bytes "
                           f"({len(body)} compressed): refused as a possible gzip bomb") from None
    except (OSError, EOFError, zlib.error) as exc:
        raise SitemapError(f"{url or 'the sitemap'} is not valid gzip: {exc}") from None


def read_sitemap(body: bytes, url: str) -> SitemapResult:
    """Return the URLs (urlset) or child sitemaps (sitemapindex) of a sitemap body.

    Raises SitemapError for a body that is too big, a gzip bomb, or not a sitemap.
    """
    from scrapy.utils.sitemap import Sitemap

    data = decompressed(body, url)
    if b"<!ENTITY" in data[:4096].upper():
        raise SitemapError(f"{url} declares XML entities: refused")
    try:
        sitemap = Sitemap(data)  # lxml, resolve_entities=False, no network, recover=True
    except Exception as exc:  # noqa: BLE001 - lxml raises several kinds for broken XML
        raise SitemapError(f"{url} is not a readable sitemap: {exc}") from None
    result = SitemapResult()
    kind = sitemap.type
    if kind not in ("urlset", "sitemapindex"):
        raise SitemapError(f"{url} is not a sitemap (root element {kind!r})")
    target = result.urls if kind == "urlset" else result.sitemaps
    limit = MAX_URLS if kind == "urlset" else MAX_CHILD_SITEMAPS
    for entry in sitemap:
        loc = absolute(entry.get("loc"), url)
        if not loc:
            continue
        if len(target) >= limit:
            result.truncated = True
            break
        target.append(loc)
    return result


def _site(url: str) -> str | None:
    return registrable_domain(url)


def _path(url: str) -> str:
    return urlsplit(url).path or "/"


def is_job_url(url: str, careers_url: str) -> bool:
    """True for a URL of the careers page's site that sits below its path or a jobs segment."""
    if _site(url) != _site(careers_url) or url.lower().endswith((".pdf", ".jpg", ".png", ".xml")):
        return False
    path, base = _path(url).rstrip("/"), _path(careers_url).rstrip("/")
    if path == base:
        return False
    if base and base != "/" and path.startswith(base + "/"):
        return True
    match = _JOB_SEGMENT.search(path + "/")
    return bool(match and path[match.end():].strip("/"))


def job_urls(urls: list[str], careers_url: str, limit: int = MAX_JOB_URLS) -> list[str]:
    """Return the sitemap URLs that are postings of the careers page (deduplicated, in order)."""
    found: list[str] = []
    seen: set[str] = set()
    for url in urls:
        key = canonical_url(url)
        if key in seen or not is_job_url(key, careers_url):
            continue
        seen.add(key)
        found.append(key)
        if len(found) >= limit:
            break
    return found


# --- feeds ---------------------------------------------------------------------------------
def feed_links(html: str, page_url: str) -> list[tuple[str, str | None]]:
    """Return the (URL, title) of the RSS/Atom feeds a page links, job-named feeds first.

    Comment feeds are left out. The page's own site only: a feed elsewhere is someone else's.
    """
    try:
        doc = lxml.html.fromstring(html)
    except (ValueError, lxml.etree.ParserError):
        return []
    found: list[tuple[str, str | None]] = []
    for link in doc.xpath("//link[@href]"):
        rel = (link.get("rel") or "").lower().split()
        kind = (link.get("type") or "").lower().split(";")[0].strip()
        if "alternate" not in rel or kind not in _FEED_TYPES:
            continue
        url = absolute(link.get("href"), page_url)
        title = clean_text(link.get("title"))
        if not url or _site(url) != _site(page_url) or _COMMENT_FEED.search(f"{url} {title or ''}"):
            continue
        if all(url != u for u, _ in found):
            found.append((url, title))
    found.sort(key=lambda pair: not is_job_feed(pair[0], pair[1]))
    return found


def is_job_feed(url: str, title: str | None) -> bool:
    """True when a feed's URL path or title names jobs."""
    return bool(_JOB_FEED.search(_path(url).replace("-", " ").replace("/", " ")) or
                _JOB_FEED.search(title or ""))


def read_feed(body: bytes, url: str) -> Feed:
    """Return a feed's title and entries (feedparser); SitemapError for a refused or broken body."""
    import feedparser

    data = decompressed(body, url)
    if b"<!ENTITY" in data[:4096].upper():
        raise SitemapError(f"{url} declares XML entities: refused")
    parsed = feedparser.parse(data, response_headers={"content-location": url})
    if not parsed.entries and parsed.get("bozo"):
        raise SitemapError(f"{url} is not a readable feed: {parsed.get('bozo_exception')!r}")
    feed = Feed(url=url, title=clean_text(parsed.feed.get("title")) if parsed.get("feed") else None)
    for entry in parsed.entries[:MAX_FEED_ENTRIES]:
        link = absolute(entry.get("link"), url)
        title = clean_text(entry.get("title"))
        if not link or not title:
            continue
        feed.entries.append(FeedEntry(
            title=title, url=canonical_url(link), summary=clean_text(entry.get("summary")) or None,
            published=entry.get("published") or entry.get("updated")))
    return feed


def job_entries(feed: Feed, careers_url: str, limit: int = MAX_JOB_URLS) -> list[FeedEntry]:
    """Return a feed's postings: every same-site entry of a job-named feed, else the entries
    whose link looks like a posting of the careers page."""
    named = is_job_feed(feed.url, feed.title)
    found: list[FeedEntry] = []
    seen: set[str] = set()
    for entry in feed.entries:
        if entry.url in seen or _site(entry.url) != _site(careers_url):
            continue
        if not (named or is_job_url(entry.url, careers_url)):
            continue
        if canonical_url(entry.url).rstrip("/") == canonical_url(careers_url).rstrip("/"):
            continue
        seen.add(entry.url)
        found.append(entry)
        if len(found) >= limit:
            break
    return found
