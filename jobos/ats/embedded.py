"""Boards embedded in or linked from a company page, and the domains a text links to.

`detect_html` looks at everything in a page that can name a board: iframe and script sources
(Greenhouse's `embed/job_board/js?for=<token>`, Ashby's `jobs.ashbyhq.com/<name>/embed`, any
ATS iframe), object/embed sources, data-* attributes, links, and URLs inside inline scripts and
JSON, and the page's own URL (a short link or redirect that landed on a board). Every URL goes
through `jobos.ats.detect_url`, so an ATS module added later is found with no change here. A few
widgets name their board only in configuration, not as a URL (Lever's community embed
`accountName`, BambooHR's `data-bamboohr-domain`, SmartRecruiters' `company_name`); each module
declares those as EMBED_MARKERS, turned here into the board URL they stand for.
"""
from __future__ import annotations

import logging
import re
from typing import Iterator
from urllib.parse import urljoin, urlsplit

import lxml.html

from jobos.ats.base import Board
from jobos.normalize.urls import registrable_domain  # noqa: F401 - ATS modules import it from here

logger = logging.getLogger(__name__)

# Strength of the place a URL was found: embeds beat data attributes beat links beat mentions.
EMBED, ATTRIBUTE, SELF, LINK, MENTION = range(5)

_URL = re.compile(r"""(?:https?:)?//[A-Za-z0-9.-]+\.[A-Za-z]{2,}(?:[/?#][^\s"'<>\\)\]}`]*)?""")


def linked_domains(text: str) -> set[str]:
    """Return the registrable domains of every absolute URL in a text or HTML fragment."""
    found = set()
    for match in _URL.finditer((text or "").replace("\\/", "/")):
        domain = registrable_domain(match.group(0))
        if domain:
            found.add(domain)
    return found


def job_domains(items, own: set[str]) -> set[str]:
    """Return the domains a board's jobs link (job URL and description), minus the ATS's own.

    Slug probes use it as evidence that a board belongs to the company.
    """
    found: set[str] = set()
    for item in items:
        found |= linked_domains(item.get("url") or "")
        found |= linked_domains(item.get("description_html") or "")
    return found - own


def _absolute(url: str, base_url: str) -> str | None:
    url = (url or "").strip().replace("\\/", "/")
    if not url or url.startswith(("mailto:", "tel:", "javascript:", "data:", "#")):
        return None
    try:
        absolute = urljoin(base_url, url)
    except ValueError:
        return None
    return absolute if absolute.startswith(("http://", "https://")) else None


def _candidates(html: str, base_url: str) -> Iterator[tuple[int, str]]:
    """Yield (strength, url) for every URL in the page that may name a board."""
    try:
        root = lxml.html.fromstring(html)
    except (ValueError, lxml.etree.ParserError):
        return
    for el in root.iter():
        tag = el.tag if isinstance(el.tag, str) else ""
        attrs = el.attrib
        if tag in ("iframe", "frame", "script", "embed") and attrs.get("src"):
            yield EMBED, attrs["src"]
        elif tag == "object" and attrs.get("data"):
            yield EMBED, attrs["data"]
        for name, value in attrs.items():
            if name.startswith("data-") and value:
                if "/" in value or "." in value:
                    for match in _URL.finditer(value.replace("\\/", "/")):
                        yield ATTRIBUTE, match.group(0)
                    if value.startswith(("http", "/")):
                        yield ATTRIBUTE, value
        if tag == "link" and attrs.get("rel", "").lower() == "canonical" and attrs.get("href"):
            yield SELF, attrs["href"]
        if tag == "meta" and attrs.get("property", "").lower() == "og:url" and attrs.get("content"):
            yield SELF, attrs["content"]
        if tag in ("a", "area") and attrs.get("href"):
            yield LINK, attrs["href"]
        if tag == "form" and attrs.get("action"):
            yield LINK, attrs["action"]
        if tag == "script" and el.text:
            for match in _URL.finditer(el.text.replace("\\/", "/")):
                yield MENTION, match.group(0)
    from jobos.ats import embed_markers  # late import: jobos.ats imports the modules that import us

    parts = urlsplit(base_url or "")
    page = f"{parts.scheme}://{parts.netloc}" if parts.scheme in ("http", "https") and parts.netloc else ""
    for pattern, template in embed_markers():
        if "{page}" in template and not page:
            continue
        for match in pattern.finditer(html):
            # {} is the marker's first group (the whole match without one); {page} the page's
            # own origin, for front ends that serve their board's API on the company's host.
            yield EMBED, template.format(match.group(1) if pattern.groups else match.group(0), page=page)
    # URLs in the raw text (comments, attributes of unknown shape, noscript blocks).
    for match in _URL.finditer(html.replace("\\/", "/")):
        yield MENTION, match.group(0)


def detect_html(html: str, base_url: str) -> list[Board]:
    """Return the boards a page embeds or links, strongest first (embeds before plain links)."""
    from jobos.ats import detect_url  # late import: jobos.ats imports the modules that import us

    best: dict[str, tuple[int, int, Board]] = {}
    for order, (strength, raw) in enumerate(_candidates(html or "", base_url)):
        url = _absolute(raw, base_url)
        if url is None:
            continue
        try:
            board = detect_url(url)
        except Exception:  # a module's detect() must never break a page; count and go on
            logger.exception("detect_url failed on %s", url)
            continue
        if board is None:
            continue
        known = best.get(board.key)
        if known is None or strength < known[0]:
            best[board.key] = (strength, known[1] if known else order, board)
    if not best and base_url:
        # Nothing in the page names a board: a short link or redirect that landed on a board
        # page (whose markup may name nothing) is that board.
        try:
            own = detect_url(base_url)
        except Exception:  # as above: a detector's bug must not break a page
            logger.exception("detect_url failed on %s", base_url)
            return []
        return [own] if own is not None else []
    return [board for _, _, board in sorted(best.values(), key=lambda t: (t[0], t[1]))]
