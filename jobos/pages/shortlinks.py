"""Short links on a careers page (grnh.se, lnkd.in, bit.ly, ...): followed once, then read by the
ATS module of the URL they land on.

`short_links(html, url)` lists a page's links to link shorteners; `landing_url(response)` gives
where one hop of such a link leads (the Location of its redirect, or, for shorteners that show
an interstitial page, the one outgoing link on it). The spider requests each short link without
following redirects itself, so exactly one hop is taken and the landing URL is judged by
`jobos.ats.detect_url` before anything is requested there.
"""
from __future__ import annotations

from urllib.parse import urlsplit

import lxml.html

from jobos.pages.common import absolute, canonical_url

# Link shorteners, including the ones ATSs use for their postings (grnh.se: Greenhouse).
SHORTENER_HOSTS = frozenset({
    "grnh.se", "lnkd.in", "bit.ly", "t.co", "tinyurl.com", "ow.ly", "buff.ly", "rebrand.ly", "goo.gl",
    "is.gd", "cutt.ly", "tiny.cc", "rb.gy", "shorturl.at", "t.ly", "s.id", "bl.ink", "short.io",
})
MAX_SHORT_LINKS = 10  # requests per page: each is one hop
REDIRECT_STATUSES = (301, 302, 303, 307, 308)


def is_short_link(url: str) -> bool:
    """True for a URL on a link shortener's host."""
    try:
        host = (urlsplit(url).hostname or "").lower()
    except ValueError:
        return False
    return host.removeprefix("www.") in SHORTENER_HOSTS


def short_links(html: str, page_url: str, limit: int = MAX_SHORT_LINKS) -> list[str]:
    """Return the page's short links (with a path: a bare shortener home is not a link), in order."""
    try:
        doc = lxml.html.fromstring(html)
    except (ValueError, lxml.etree.ParserError):
        return []
    found: list[str] = []
    for anchor in doc.iter("a"):
        url = absolute(anchor.get("href"), page_url)
        if not url or not is_short_link(url) or not urlsplit(url).path.strip("/"):
            continue
        key = canonical_url(url)
        if key not in found:
            found.append(key)
            if len(found) >= limit:
                break
    return found


def landing_url(status: int, location: str | None, body: str | None, url: str) -> str | None:
    """Return where a short link leads after one hop: its redirect's Location, or the single
    outgoing link of an interstitial page ("you are leaving ..."); None when it leads nowhere."""
    if status in REDIRECT_STATUSES:
        return absolute(location, url) if location else None
    if status != 200 or not body:
        return None
    try:
        doc = lxml.html.fromstring(body)
    except (ValueError, lxml.etree.ParserError):
        return None
    host = (urlsplit(url).hostname or "").lower()
    targets = []
    for anchor in doc.iter("a"):
        target = absolute(anchor.get("href"), url)
        if target and (urlsplit(target).hostname or "").lower() != host and target not in targets:
            targets.append(target)
    return targets[0] if len(targets) == 1 else None
