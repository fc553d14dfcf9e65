"""Personio career sites: the public XML feed (one document holds every position and its text)."""
from __future__ import annotations

import logging
import re
from typing import Any, Iterable
from urllib.parse import urlsplit

import scrapy
from lxml import etree
from scrapy.http import Response

from jobos.ats import base
from jobos.ats.base import Board, BoardContext, ProbeResult
from jobos.ats.embedded import job_domains
from jobos.items import JobItem

logger = logging.getLogger(__name__)

NAME = "personio"
# Registry data (see jobos.ats): where its URLs live, examples, widget markers, fields filled.
HOSTS = (
    ".jobs.personio.de",
    ".jobs.personio.com",
)
PATHS: tuple[str, ...] = ()
URL_SHAPES = (
    "https://acme.jobs.personio.de/",
    "https://acme.jobs.personio.com/job/123456",
    "https://acme.jobs.personio.de/xml?language=en",
)
EMBED_MARKERS: tuple[tuple[str, str], ...] = ()
FIELDS = (
    "external_id", "title", "url", "apply_url", "location", "department", "employment_type",
    "salary_min", "salary_max", "salary_currency", "salary_period", "posted_at",
    "description_html",
)

_HOST = re.compile(r"^([a-z0-9][a-z0-9-]*)\.jobs\.personio\.(de|com)$")
_PERIODS = {"yearly": "YEAR", "monthly": "MONTH", "weekly": "WEEK", "daily": "DAY", "hourly": "HOUR"}
# Feed languages Personio serves; the feed falls back to the company's default language.
LANGUAGES = ("de", "en", "fr", "es", "nl", "it", "pt")
_COUNTRY_LANGUAGE = {"DE": "de", "AT": "de", "CH": "de", "FR": "fr", "ES": "es", "NL": "nl",
                     "IT": "it", "PT": "pt", "BE": "nl"}
# Employment types that say more than the schedule; otherwise "full-time"/"part-time" does.
_SPECIFIC_TYPES = {"intern", "trainee", "freelance", "temporary", "working_student", "apprentice"}
# A hardened parser: no entities, no network, no huge trees (the feed comes from anywhere).
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False, recover=False)


def _board(sub: str, tld: str = "de") -> Board | None:
    sub = (sub or "").lower()
    if not re.match(r"^[a-z0-9][a-z0-9-]*$", sub):
        return None
    host = f"{sub}.jobs.personio.{tld}"
    return Board(NAME, sub, f"https://{host}/", host=host)


def detect(url: str) -> Board | None:
    """Return the Board of a Personio career site, job, XML feed or iframe URL, or None."""
    try:
        host = (urlsplit(url.strip()).hostname or "").lower()
    except ValueError:
        return None
    match = _HOST.match(host)
    return _board(match.group(1), match.group(2)) if match else None


def _language(ctx: BoardContext) -> str:
    return _COUNTRY_LANGUAGE.get((ctx.country or "").upper(), "en")


def _feed_url(board: Board, ctx: BoardContext) -> str:
    return f"https://{board.host or board.token + '.jobs.personio.de'}/xml?language={_language(ctx)}"


def start(board: Board, ctx: BoardContext) -> Iterable[scrapy.Request]:
    """Return the one request for the XML feed."""
    yield base.api_request(_feed_url(board, ctx), parse_feed, board, ctx,
                           headers={"Accept": "application/xml, text/xml;q=0.9, */*;q=0.5"})


def _text(el: etree._Element | None, path: str) -> str | None:
    found = el.find(path) if el is not None else None
    text = (found.text or "").strip() if found is not None else ""
    return text or None


def _number(text: str | None) -> float | None:
    try:
        return float(text) if text else None
    except ValueError:
        return None


def _salary(position: etree._Element) -> dict[str, Any]:
    info = position.find("salaryInformation")
    if info is None:
        return {}
    low, high = _number(_text(info, "min")), _number(_text(info, "max"))
    if low is None and high is None:
        return {}
    return {
        "salary_min": low,
        "salary_max": high,
        "salary_currency": _text(info, "currencyCode"),
        "salary_period": _PERIODS.get((_text(info, "type") or "").lower()),
    }


def _description(position: etree._Element) -> str | None:
    parts = []
    for block in position.findall("jobDescriptions/jobDescription"):
        name, value = _text(block, "name"), _text(block, "value")
        if value:
            parts.append((f"<h2>{name}</h2>\n" if name else "") + value)
    return "\n".join(parts) or None


def _employment_type(position: etree._Element) -> str | None:
    kind, schedule = _text(position, "employmentType"), _text(position, "schedule")
    if kind and kind.lower() in _SPECIFIC_TYPES:
        return kind
    return schedule or kind


def parse_position(position: etree._Element, board: Board, ctx: BoardContext) -> JobItem | None:
    """Return the JobItem for one <position>, or None without id or name."""
    job_id, title = _text(position, "id"), _text(position, "name")
    if not job_id or not title:
        return None
    offices = [_text(position, "office")]
    offices += [(o.text or "").strip() for o in position.findall("additionalOffices/office")]
    offices = list(dict.fromkeys(o for o in offices if o))
    url = f"https://{board.host}/job/{job_id}?language={_language(ctx)}"
    return base.new_job(
        board,
        ctx,
        external_id=job_id,
        title=title,
        url=url,
        apply_url=f"{url}#apply",
        location=offices[0] if offices else None,
        locations=offices or None,
        employment_type=_employment_type(position),
        department=_text(position, "department"),
        posted_at=_text(position, "createdAt"),
        description_html=_description(position),
        **_salary(position),
    )


def load_feed(body: bytes) -> etree._Element:
    """Return the feed's root element; raise BadResponse when the XML is malformed or not a feed."""
    try:
        root = etree.fromstring(body, _PARSER)
    except etree.XMLSyntaxError as exc:
        raise base.BadResponse(f"malformed Personio XML: {exc}") from None
    if root is None or root.tag != "workzag-jobs":
        raise base.BadResponse(f"not a Personio feed (root <{getattr(root, 'tag', None)}>)")
    return root


def parse_feed_xml(body: bytes, board: Board, ctx: BoardContext) -> list[JobItem]:
    """Return the JobItems of a Personio XML feed."""
    return base.parse_each(load_feed(body).findall("position"),
                           lambda position: parse_position(position, board, ctx), board, ctx,
                           what="position", id_of=lambda position: _text(position, "id"))


def parse_feed(response: Response, board: Board, ctx: BoardContext) -> Iterable[JobItem]:
    """Yield every position of the feed."""
    yield from parse_feed_xml(response.body, board, ctx)


def probe(slug: str, ctx: BoardContext) -> scrapy.Request | None:
    """Return a request for <slug>.jobs.personio.de/xml."""
    return base.probe_request(_board(base.probe_slug(slug)), lambda board: _feed_url(board, ctx), parse_probe, ctx,
                              headers={"Accept": "application/xml, text/xml;q=0.9, */*;q=0.5"})


def parse_probe(response: Response, board: Board, ctx: BoardContext) -> Iterable[ProbeResult]:
    """Yield one ProbeResult: position count, subcompany names, domains linked from the texts."""
    if response.status != 200:
        yield ProbeResult(board, 0)  # an unknown company answers 404 with an HTML page
        return
    root = load_feed(response.body)
    items = parse_feed_xml(response.body, board, ctx)
    names = sorted({n for n in (_text(p, "subcompany") for p in root.findall("position")) if n})
    domains = job_domains(items, own={"personio.de", "personio.com"})
    yield ProbeResult(board, len(items), names=names, domains=domains, items=items)
