"""Canonical job URLs (tracking parameters removed) and registrable domains, offline."""
from __future__ import annotations

import re
from functools import lru_cache
from urllib.parse import parse_qsl, quote, urlencode, urlsplit, urlunsplit

import tldextract

# The bundled Public Suffix List snapshot only: no fetch at import or first use (crawlers run
# where the network may be filtered, and a fetch would stall the first item).
_EXTRACT = tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None, fallback_to_snapshot=True)

_TRACKING_EXACT = frozenset(
    {
        "gclid", "gclsrc", "dclid", "fbclid", "msclkid", "yclid", "twclid", "ttclid", "li_fat_id",
        "igshid", "mkt_tok", "_hsenc", "_hsmi", "hsctatracking", "gh_src", "lever-source",
        "lever-origin", "lever-source[]", "source", "src", "ref", "referrer", "referer", "trk",
        "trkinfo", "spm", "_ga", "_gl", "s_cid", "cmpid", "campaign", "ad_id", "adgroupid",
        "wt.mc_id", "ccuid", "ashby_jid_source", "utm",
    }
)
_TRACKING_PREFIXES = ("utm_", "mc_", "pk_", "hsa_", "vero_", "oly_")


def _is_tracking(name: str) -> bool:
    key = name.lower()
    return key in _TRACKING_EXACT or key.startswith(_TRACKING_PREFIXES)


def canonical_url(url: object) -> str | None:
    """Return url with a lower-case host, no fragment, default port and tracking parameters
    removed, other parameters kept in order.

    Non-http(s) absolute URLs come back unchanged so validation can reject them by scheme;
    relative or unparsable URLs give None.
    """
    if not isinstance(url, str):
        return None
    url = url.strip()
    if not url:
        return None
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return None
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https") or not parts.hostname:
        return url if scheme else None
    host = parts.hostname.lower().rstrip(".")
    try:
        host = host.encode("idna").decode("ascii") if not host.isascii() else host
    except UnicodeError:
        pass
    if ":" in host:  # IPv6 literal
        host = f"[{host}]"
    netloc = host
    if port and not ((scheme == "http" and port == 80) or (scheme == "https" and port == 443)):
        netloc = f"{host}:{port}"
    if parts.username:
        netloc = f"{parts.username}@{netloc}"
    pairs = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not _is_tracking(k)]
    query = urlencode(pairs, quote_via=quote, safe="/:@,[]") if pairs else ""
    path = quote(parts.path, safe="/%:@!$&'()*+,;=~-._") or "/"
    return urlunsplit((scheme, netloc, path, query, ""))


@lru_cache(maxsize=4096)
def registrable_domain(url_or_host: str | None) -> str | None:
    """Return the registrable domain ('acme.co.uk') of a URL or host name, or None."""
    if not url_or_host or not isinstance(url_or_host, str):
        return None
    text = url_or_host.strip()
    try:  # "https://x", protocol-relative "//x" (from HTML), or a bare host
        host = urlsplit(text).hostname if "//" in text else text.split("/")[0].split(":")[0]
    except ValueError:  # "http://[..." and other unparseable URLs
        return None
    if not host or re.fullmatch(r"[\d.]+|\[?[0-9a-f:]+\]?", host, re.I):
        return None
    parts = _EXTRACT(host.lower().rstrip("."))
    if not parts.domain or not parts.suffix:
        return None
    return f"{parts.domain}.{parts.suffix}"
