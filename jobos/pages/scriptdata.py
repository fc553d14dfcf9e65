"""Jobs that live only in a page's script data: __NEXT_DATA__, Nuxt state, JSON or JS literals.

Apps built with Next.js, Nuxt and the like often ship their postings as data instead of links:
a JSON `<script>` block, a `window.__STATE__ = {...}` assignment, or an object literal inside a
JavaScript chunk the page loads. Others mount their app on an element and hand it its data in an
attribute: Inertia.js (`data-page`), React on Rails / react-rails (`data-props`,
`data-react-props`), Vue components rendered by a server (`:jobs="[...]"`, `v-bind:jobs`).
This module parses those (JSON with the standard library, JS object literals with chompjs) and
looks for what postings look like as data:

- an array of objects with a title-like key whose values read like roles and a URL-, id- or
  slug-like key (the URL is built from the site's own job links when only an id or slug is
  given);
- an object keyed by role titles whose values hold a posting's text (description,
  responsibilities, qualifications...).

Pure: text and URL in, `ScriptJobs` out (jobs, and the chunk URLs worth reading when the page
itself holds none).
"""
from __future__ import annotations

import json
import logging
import re
import time
from dataclasses import dataclass, field
from typing import Any, Iterator
from urllib.parse import urlsplit

import lxml.html

from jobos.normalize.text import clean_text
from jobos.pages.common import absolute, canonical_url, registrable_domain
from jobos.pages.listing import _GENDER, _ROLE_WORDS, JobLink, _slug, _title_text

logger = logging.getLogger(__name__)

MAX_SCRIPT_CHARS = 3_000_000  # per script or chunk: bigger ones are not read
MAX_LITERALS = 1500  # object/array literals tried per script
MAX_LITERAL_CHARS = 200_000
MAX_SECONDS = 2.0  # per script: a hostile script full of unterminated literals stops here
MAX_CHUNKS = 3
MAX_ATTRIBUTES = 200  # app-data attributes (JSON in data-*/Vue prop attributes) read per page
MIN_ATTRIBUTE_CHARS = 20  # shorter values ("[]", "{}", a flag) cannot hold a posting

_TITLE_KEYS = ("title", "jobTitle", "job_title", "jobtitle", "positionTitle", "position", "positionName",
               "postingTitle", "role", "roleTitle", "name", "text", "titel", "bezeichnung", "titre",
               "intitule", "titulo", "puesto", "titolo", "vacatureTitel", "functie")
_URL_KEYS = ("url", "href", "link", "jobUrl", "job_url", "absolute_url", "hostedUrl", "detailUrl",
             "detail_url", "permalink", "applyUrl", "apply_url", "canonicalUrl", "uri", "path")
_ID_KEYS = ("slug", "jobSlug", "handle", "id", "jobId", "job_id", "uuid", "postingId", "requisitionId",
            "reqId", "shortcode", "ref", "reference")
_TEXT_KEYS = re.compile(r"intro|description|summary|responsibilit|requirement|qualification|details|"
                        r"content|body|about|tasks|aufgaben|profil|missions|requisitos|overview", re.I)
_LOCATION_KEYS = ("location", "locationName", "city", "office", "place", "standort", "ort", "lieu",
                  "ville", "ubicacion", "ciudad", "sede")
_LITERAL_START = re.compile(r"""(?:[=(:,\[]|return|JSON\.parse\()\s*(\{\s*(?:["'\w$]|\})|\[\s*\{)""")
_JSON_TYPES = ("application/json", "application/ld+json", "text/json")
# data-page, data-props, data-react-props, data-vue-props...; Vue's bound props (:jobs, v-bind:jobs)
_DATA_ATTRIBUTE = re.compile(r"^(?:data-[\w.-]+|:[\w.-]+|v-bind:[\w.-]+)$", re.I)


@dataclass
class ScriptJobs:
    """Postings found in script data, and the same-site chunks worth reading for more."""

    jobs: list[JobLink] = field(default_factory=list)
    chunks: list[str] = field(default_factory=list)
    why: str | None = None


def _string(value: Any) -> str | None:
    if isinstance(value, str):
        return clean_text(value)
    if isinstance(value, dict):
        for key in ("name", "label", "text", "title", "value"):
            if isinstance(value.get(key), str):
                return clean_text(value[key])
    return None


def _role_like(text: str | None) -> bool:
    return bool(text) and len(text) < 160 and (_title_text(text) >= 2 and bool(_ROLE_WORDS.search(text) or _GENDER.search(text)))


def _title_of(entry: dict) -> str | None:
    for key in _TITLE_KEYS:
        if key in entry:
            text = _string(entry[key])
            if text:
                return text
    return None


def _location_of(entry: dict) -> str | None:
    for key in _LOCATION_KEYS:
        if key in entry:
            value = entry[key]
            if isinstance(value, list):
                texts = [t for t in (_string(v) for v in value) if t]
                if texts:
                    return " / ".join(texts)[:200]
            text = _string(value)
            if text:
                return text[:200]
    return None


def _walk(value: Any, depth: int = 0) -> Iterator[Any]:
    if depth > 12:
        return
    yield value
    if isinstance(value, dict):
        for entry in value.values():
            yield from _walk(entry, depth + 1)
    elif isinstance(value, list):
        for entry in value:
            yield from _walk(entry, depth + 1)


class _Patterns:
    """The site's own job link shapes, for building a posting's URL from its slug or id."""

    def __init__(self, page_url: str, doc) -> None:
        self.page_url = page_url
        self.prefixes: list[str] = []
        if doc is None:
            return
        from jobos.pages.listing import _JOB_SEGMENTS

        site = registrable_domain(page_url)
        for anchor in doc.iter("a"):
            url = absolute(anchor.get("href"), page_url)
            if not url or registrable_domain(url) != site:
                continue
            path = urlsplit(url).path
            match = _JOB_SEGMENTS.search(path)
            if match and path[match.end():].strip("/") and "/" not in path[match.end():].strip("/"):
                prefix = url[: url.index(path) + match.end()].rstrip("/") + "/"
                if prefix not in self.prefixes:
                    self.prefixes.append(prefix)

    def url_for(self, entry: dict) -> tuple[str, bool]:
        """Return (URL, inline) for a posting: its own URL, one built from its slug, or an anchor."""
        for key in _URL_KEYS:
            value = entry.get(key)
            if isinstance(value, str) and not value.startswith("#"):
                url = absolute(value, self.page_url)
                if url and canonical_url(url).rstrip("/") != canonical_url(self.page_url).rstrip("/"):
                    return canonical_url(url), False
        for key in _ID_KEYS:
            value = entry.get(key)
            if isinstance(value, (str, int)) and str(value).strip() and re.fullmatch(r"[\w.~-]{1,120}", str(value)):
                if self.prefixes:
                    return self.prefixes[0] + str(value), False
                return canonical_url(self.page_url) + "#" + str(value), True
        title = _title_of(entry) or ""
        return canonical_url(self.page_url) + "#" + _slug(title), True


def _rank(found: list[JobLink], page_url: str) -> tuple[int, int]:
    """Return how well a posting set fits the page: postings beneath the page's path, then size.

    An app's data often holds more than the page's own postings ("related jobs" of other
    companies or teams beside them, larger at times); the page's own postings live beneath it
    (/companies/acme/jobs -> /companies/acme/jobs/123-engineer) when the site nests them at all.
    """
    base = urlsplit(page_url)
    prefix = base.path.rstrip("/") + "/"
    beneath = 0
    for link in found:
        parts = urlsplit(link.url)
        if not link.inline and parts.netloc.lower() == base.netloc.lower() and parts.path.startswith(prefix) \
                and len(parts.path) > len(prefix):
            beneath += 1
    return beneath, len(found)


def _postings(value: Any, patterns: _Patterns) -> list[JobLink]:
    """Return the best posting set in a parsed value (arrays of postings, objects keyed by role)."""
    best: list[JobLink] = []
    for node in _walk(value):
        found: list[JobLink] = []
        if isinstance(node, list):
            entries = [e for e in node if isinstance(e, dict)]
            titled = [(e, _title_of(e)) for e in entries]
            roles = [(e, t) for e, t in titled if _role_like(t)]
            keyed = [e for e, _ in titled if any(k in e for k in _URL_KEYS + _ID_KEYS)]
            if entries and len(roles) >= max(1, 0.6 * len(entries)) and len(keyed) >= 0.6 * len(entries):
                for entry, title in titled:
                    if not title:
                        continue
                    url, inline = patterns.url_for(entry)
                    found.append(JobLink(url, title, _location_of(entry), inline=inline))
        elif isinstance(node, dict) and len(node) >= 1:
            keys = [k for k in node if isinstance(k, str)]
            roles = [k for k in keys if _role_like(k)]
            texty = [k for k in roles if isinstance(node[k], (dict, list)) and _has_posting_text(node[k])]
            if texty and len(texty) >= max(1, 0.6 * len(keys)):
                for key in keys:
                    if isinstance(node[key], (dict, list)) and _has_posting_text(node[key]):
                        title = clean_text(key)
                        location = _location_of(node[key]) if isinstance(node[key], dict) else None
                        found.append(JobLink(canonical_url(patterns.page_url) + "#" + _slug(title), title,
                                             location, inline=True))
        if _rank(found, patterns.page_url) > _rank(best, patterns.page_url):
            best = found
    unique: dict[tuple, JobLink] = {}
    for link in best:
        unique.setdefault((link.url, link.title), link)
    return list(unique.values())


def _has_posting_text(value: Any) -> bool:
    if isinstance(value, dict):
        return sum(1 for k in value if isinstance(k, str) and _TEXT_KEYS.search(k)) >= 1 and \
            sum(len(v) for v in value.values() if isinstance(v, str)) + \
            sum(len(" ".join(x for x in v if isinstance(x, str))) for v in value.values() if isinstance(v, list)) > 80
    return False


def _literals(script: str) -> Iterator[Any]:
    """Yield the JSON values and JS object/array literals found in a script's text."""
    import chompjs

    text = script.strip()
    if text[:1] in "[{":
        try:
            yield json.loads(text)
            return
        except (ValueError, RecursionError):  # nesting deeper than Python's stack: not data
            pass
    tried = 0
    end = -1
    deadline = time.monotonic() + MAX_SECONDS
    for match in _LITERAL_START.finditer(script):
        if time.monotonic() > deadline:
            logger.info("script data: time budget spent after %d literals", tried)
            break
        start = match.start(1)
        if start < end:
            continue  # inside a literal already read: its parts were walked with it
        tried += 1
        if tried > MAX_LITERALS:
            break
        try:
            value = chompjs.parse_js_object(script[start:start + MAX_LITERAL_CHARS])
        except (Exception, RecursionError):  # chompjs raises ValueError and others on what is not a literal
            continue
        if isinstance(value, (dict, list)) and value:
            yield value
            if isinstance(value, list) or len(value) > 1:
                end = start + 2  # smaller literals nested in it are walked through it anyway


def find_jobs(text: str, page_url: str, *, script: bool = False) -> ScriptJobs:
    """Return the postings in a page's script data (or in a JavaScript file when `script`)."""
    result = ScriptJobs()
    if not text:
        return result
    doc = None
    scripts: list[str] = []
    if script:
        scripts.append(text[:MAX_SCRIPT_CHARS])
    else:
        try:
            doc = lxml.html.fromstring(text)
        except (ValueError, lxml.etree.ParserError):
            return result
        for el in doc.iter("script"):
            kind = (el.get("type") or "").lower()
            if el.get("src") or kind == "application/ld+json":
                continue
            body = el.text or ""
            if body and len(body) <= MAX_SCRIPT_CHARS and (not kind or kind in _JSON_TYPES or "javascript" in kind
                                                            or kind == "module"):
                scripts.append(body)
        result.chunks = page_chunks(doc, page_url)
    patterns = _Patterns(page_url, doc)
    best: list[JobLink] = []
    why = None
    for body in scripts:
        for value in _literals(body):
            found = _postings(value, patterns)
            if _rank(found, page_url) > _rank(best, page_url):
                best, why = found, "script_data"
    if doc is not None:
        for value in attribute_data(doc):
            found = _postings(value, patterns)
            if _rank(found, page_url) > _rank(best, page_url):
                best, why = found, "attribute_data"
    result.jobs = best
    result.why = why
    return result


def attribute_data(doc) -> Iterator[Any]:
    """Yield the JSON values apps keep in element attributes (Inertia, React on Rails, Vue props).

    Only values that start like JSON and fit the size caps are parsed, the biggest first (an
    app's data is the page's biggest attribute; builders put small settings JSON on every widget),
    at most MAX_ATTRIBUTES of them and within one MAX_SECONDS budget for the page: the page is
    hostile and its attributes are as many and as big as it likes. A value that is not JSON is
    read as a JS literal once (Vue's bound props are JavaScript expressions), never scanned for
    literals inside it.
    """
    import chompjs

    values: list[tuple[int, int, str]] = []
    for el in doc.iter():
        if not isinstance(el.tag, str):
            continue  # comments, processing instructions
        for name, raw in el.items():
            if not _DATA_ATTRIBUTE.match(name) or not (MIN_ATTRIBUTE_CHARS <= len(raw) <= MAX_SCRIPT_CHARS):
                continue
            text = raw.strip()
            if text[:1] in "[{":
                values.append((-len(text), len(values), text))
    values.sort()
    deadline = time.monotonic() + MAX_SECONDS
    for tried, (_, _, text) in enumerate(values[:MAX_ATTRIBUTES]):
        if time.monotonic() > deadline:
            logger.info("attribute data: time budget spent after %d attributes", tried)
            return
        try:
            value = json.loads(text)
        except (ValueError, RecursionError):
            try:
                value = chompjs.parse_js_object(text[:MAX_LITERAL_CHARS])
            except (Exception, RecursionError):  # not a literal either
                continue
        if isinstance(value, (dict, list)) and value:
            yield value


def page_chunks(doc, page_url: str) -> list[str]:
    """Return the page's own script files that are named after its path (a route's chunk).

    Next.js and similar builders ship each route's code as a file whose path repeats the route
    (`.../chunks/app/careers/page-<hash>.js`): the data of a careers page may live only there.
    """
    site = registrable_domain(page_url)
    words = [w.lower() for w in urlsplit(page_url).path.split("/") if len(w) >= 3]
    if not words:
        return []
    found: list[str] = []
    for el in doc.iter("script"):
        url = absolute(el.get("src"), page_url)
        if not url or registrable_domain(url) != site:
            continue
        path = urlsplit(url).path.lower()
        segments = re.split(r"[/._-]", path)
        if path.endswith(".js") and any(word in segments for word in words[-1:]) and url not in found:
            found.append(url)
        if len(found) >= MAX_CHUNKS:
            break
    return found
