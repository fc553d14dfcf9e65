"""What every ATS module shares: the Board it reads, the crawl context, request helpers."""
from __future__ import annotations

import json
import logging
import math
import re
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any, Callable, Iterable
from urllib.parse import urlsplit

import lxml.html
import scrapy
from scrapy.http import Response

from jobos.items import JobItem

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Board:
    """A job board on an ATS: which ATS, its token there, and extras the API needs."""

    ats: str
    token: str
    url: str
    host: str | None = None  # API host when it varies by tenant (Workday, Personio, BambooHR...)
    site: str | None = None  # Workday career site name

    @property
    def key(self) -> str:
        """Return the board identity stored with every job: '<ats>:<token>'."""
        return f"{self.ats}:{self.token}"


@dataclass
class BoardContext:
    """What an ATS module needs to know about the crawl."""

    company: str
    country: str | None = None
    crawl_time: datetime = field(default_factory=lambda: datetime.now(timezone.utc))
    company_domain: str | None = None
    max_jobs: int | None = None
    # The crawl's stats collector (inc_value), for data problems the parsers count; None in
    # unit tests and wherever no crawl runs.
    stats: Any = field(default=None, repr=False, compare=False)

    @property
    def scraped_at(self) -> str:
        return self.crawl_time.astimezone(timezone.utc).isoformat(timespec="seconds").replace(
            "+00:00", "Z"
        )


def api_request(
    url: str,
    callback: Callable[..., Iterable[Any]],
    board: Board,
    ctx: BoardContext,
    *,
    method: str = "GET",
    json_body: Any = None,
    headers: dict[str, str] | None = None,
    priority: int = 0,
    **cb_kwargs: Any,
) -> scrapy.Request:
    """Return a Request for an ATS API call whose callback gets (response, board, ctx, **kw)."""
    hdrs = {"Accept": "application/json, text/xml;q=0.9, */*;q=0.5"}
    body = None
    if json_body is not None:
        body = json.dumps(json_body)
        hdrs["Content-Type"] = "application/json"
    hdrs.update(headers or {})
    return scrapy.Request(
        url,
        method=method,
        body=body,
        headers=hdrs,
        callback=callback,
        cb_kwargs={"board": board, "ctx": ctx, **cb_kwargs},
        meta={"jobos_board": board.key, "jobos_tier": "api"},
        priority=priority,
        dont_filter=method != "GET",
    )


_REDIRECTS = (301, 302, 303, 307, 308)


def probe_slug(slug: str | None) -> str:
    """Return a guessed slug as boards spell names and subdomains: lower case, a-z, 0-9 and '-'."""
    return re.sub(r"[^a-z0-9-]", "", (slug or "").lower())


def as_probe(request: scrapy.Request, statuses: tuple[int, ...] = (404,), *,
             redirects: bool = True) -> scrapy.Request:
    """Return a slug probe's request: an unknown board's answer (404, or `statuses`; redirects
    too when redirects=False) reaches the probe's callback, which reports no jobs, instead of
    failing as an error of the crawl."""
    request.meta["handle_httpstatus_list"] = [*statuses, *(() if redirects else _REDIRECTS)]
    if not redirects:
        request.meta["dont_redirect"] = True
    return request


def probe_request(board: Board | None, url: str | Callable[[Board], str],
                  callback: Callable[..., Iterable[Any]], ctx: BoardContext, *,
                  statuses: tuple[int, ...] = (404,), redirects: bool = True,
                  **kwargs: Any) -> scrapy.Request | None:
    """Return the API request of a slug probe for `board` (None when the slug names no board).

    `url` is the URL or a function of the board; other keywords go to api_request.
    """
    if board is None:
        return None
    request = api_request(url(board) if callable(url) else url, callback, board, ctx, **kwargs)
    return as_probe(request, statuses, redirects=redirects)


class BadResponse(Exception):
    """A board answered with a body that cannot be read (truncated JSON, HTML error page).

    Raised from callbacks; the spider middleware counts it (jobos/errors/bad_response), logs it
    once with the URL, and marks the crawl partial. Jobs already yielded are kept.
    """


def load_json(response: Response) -> Any:
    """Return the decoded JSON body; raise BadResponse when it is malformed."""
    try:
        return json.loads(response.text)
    except (ValueError, AttributeError) as exc:
        raise BadResponse(f"malformed JSON from {response.url}: {exc}") from None


# --- type-safe field access --------------------------------------------------------------------
# A board's JSON is third-party data: any field may hold another type than documented (true for
# a list, a string for an object). Read through these, an odd field reads as absent and costs
# that field only, not the job or the response.
def as_list(value: Any) -> list[Any]:
    """Return value when it is a JSON array, else [] (absent, null or another type)."""
    return value if isinstance(value, list) else []


def as_dict(value: Any) -> dict[str, Any]:
    """Return value when it is a JSON object, else {} (absent, null or another type)."""
    return value if isinstance(value, dict) else {}


def as_str(value: Any, strip: bool = False) -> str | None:
    """Return a text field as published (a number as its text); None when blank or another type.

    strip=True also strips it (ids, titles); other text is cleaned by the normalizers.
    """
    if isinstance(value, str):
        if strip:
            return value.strip() or None
        return value if value.strip() else None
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    if isinstance(value, float) and math.isfinite(value):
        return str(int(value)) if value.is_integer() else str(value)
    return None


def as_number(value: Any) -> float | None:
    """Return a finite number (or numeric text) as float; None otherwise (bools included)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, str):
        value = value.strip()
    try:
        number = float(value)
    except (TypeError, ValueError, OverflowError):
        return None
    return number if math.isfinite(number) else None


def count_problem(ctx: BoardContext, key: str) -> None:
    """Count a data problem under jobos/errors/<key> in the crawl's stats, when there are any."""
    if ctx.stats is not None:
        ctx.stats.inc_value(f"jobos/errors/{key}")


def job_with_detail(full: Callable[[], JobItem], listing_only: Callable[[], JobItem],
                    board: Board, ctx: BoardContext, url: str) -> JobItem:
    """Return the job built with its detail call's data; on an odd detail, the listing-only job.

    An unreadable detail costs its fields, not the job: it is logged and counted (bad_job).
    """
    try:
        return full()
    except Exception as exc:  # noqa: BLE001 - any odd detail shape
        logger.warning("%s: detail %s could not be read (%s: %s); keeping the listing data",
                       board.key, url, type(exc).__name__, exc)
        count_problem(ctx, "bad_job")
        return listing_only()


def job_page_request(url: str, board: Board, ctx: BoardContext, row: dict[str, Any],
                     job_from: Callable[..., JobItem | None], page_fields: Callable[[str], Any], *,
                     statuses: tuple[int, ...] = (404,), headers: dict[str, str] | None = None
                     ) -> scrapy.Request:
    """Return the request of a listed job's own page, whose fields complete the listing's row.

    `job_from(row, board, ctx, fields)` makes the job, with `page_fields(page text)` when the
    page answers 200; with the row's data alone (`job_from(row, board, ctx)`) when it answers
    one of `statuses`, is not text, cannot be read (counted, as job_with_detail does) or fails
    for good (network, 5xx). Both are module-level functions of the ATS module.
    """
    request = api_request(url, parse_job_page, board, ctx, headers=headers, row=row, job_from=job_from,
                          page_fields=page_fields)
    request.meta["handle_httpstatus_list"] = list(statuses)
    return request.replace(errback=job_page_failed)


def parse_job_page(response: Response, board: Board, ctx: BoardContext, row: dict[str, Any],
                   job_from: Callable[..., JobItem | None], page_fields: Callable[[str], Any]
                   ) -> Iterable[JobItem]:
    """Yield the job of a listed row with its page's fields; the row's alone when the page is odd."""
    text = getattr(response, "text", None)
    if response.status != 200 or text is None:
        item = job_from(row, board, ctx)
    else:
        item = job_with_detail(lambda: job_from(row, board, ctx, page_fields(text)),
                               lambda: job_from(row, board, ctx), board, ctx, response.url)
    if item is not None:
        yield item


def job_page_failed(failure: Any) -> Iterable[JobItem]:
    """Yield the listing-only job when its page failed for good (network, 5xx)."""
    kw = failure.request.cb_kwargs
    logger.warning("%s: job page %s failed (%s); keeping the listing's data",
                   kw["board"].key, failure.request.url, failure.value)
    item = kw["job_from"](kw["row"], kw["board"], kw["ctx"])
    if item is not None:
        yield item


def _row_id(row: Any, keys: tuple[str, ...], id_of: Callable[[Any], Any] | None = None) -> str:
    if id_of is not None:
        try:
            return (as_str(id_of(row), strip=True) or "?")[:80]
        except Exception:  # noqa: BLE001 - the row is already known to be odd
            return "?"
    if isinstance(row, list) and row:  # rows of one job (Workable repeats a job per location)
        row = row[0]
    if isinstance(row, dict):
        for key in keys:
            text = as_str(row.get(key), strip=True)
            if text:
                return text[:80]
    return "?"


def parse_each(rows: Iterable[Any], parse: Callable[[Any], JobItem | None], board: Board,
               ctx: BoardContext, *, what: str = "job", id_keys: tuple[str, ...] = ("id",),
               id_of: Callable[[Any], Any] | None = None) -> list[JobItem]:
    """Return the JobItems `parse` makes of a response's rows, skipping the rows it cannot use.

    A row without id or title (parse returns None) is skipped with a warning. A row whose
    parsing raises is skipped, logged once with the board key and the row's id, and counted
    (jobos/errors/bad_job): one odd job must not lose the other jobs of the response. The id
    logged is the first of `id_keys` a row has, or what `id_of(row)` returns.
    """
    items = []
    for row in rows:
        try:
            item = parse(row)
        except Exception as exc:  # noqa: BLE001 - any parser bug on odd data costs one job only
            logger.warning("%s: skipped %s %s, which could not be parsed (%s: %s)", board.key,
                           what, _row_id(row, id_keys, id_of), type(exc).__name__, exc)
            logger.debug("parse error on a %s of %s", what, board.key, exc_info=True)
            count_problem(ctx, "bad_job")
            continue
        if item is None:
            logger.warning("%s: skipped a %s without id or title", board.key, what)
            continue
        items.append(item)
    return items


def new_job(board: Board, ctx: BoardContext, **fields: Any) -> JobItem:
    """Return a JobItem with the fields every API record shares already set."""
    item = JobItem(
        company=ctx.company,
        company_domain=ctx.company_domain,
        source=board.ats,
        method="api",
        board=board.key,
        scraped_at=ctx.scraped_at,
        extraction_pending=False,
    )
    for key, value in fields.items():
        if value is not None and value != "":
            item[key] = value
    return item


@dataclass
class ProbeResult:
    """What a slug probe found on an ATS: enough to decide whether the board is this company's.

    Yielded by a module's probe callback instead of items; the spider decides (discovery) and,
    when it accepts the board, uses `items` (the first page's jobs) and `follow` (further paging
    requests) so accepting a probe costs no extra request.
    """

    board: Board
    job_count: int
    names: list[str] = field(default_factory=list)  # company/board names the ATS shows
    domains: set[str] = field(default_factory=set)  # registrable domains linked from the board
    items: list[JobItem] = field(default_factory=list)
    follow: list[scrapy.Request] = field(default_factory=list)


# --- JSON-LD job pages (ATS job pages read for their schema.org JobPosting) ----------------------
def jsonld_posting(html: str) -> dict | None:
    """Return the page's first JSON-LD JobPosting object, or None."""
    try:
        root = lxml.html.fromstring(html)
    except (ValueError, lxml.etree.ParserError):
        return None
    for script in root.xpath("//script[@type='application/ld+json']"):
        try:
            data = json.loads(script.text or "")
        except ValueError:
            continue
        for obj in (data if isinstance(data, list) else as_list(as_dict(data).get("@graph")) or [data]):
            if isinstance(obj, dict) and obj.get("@type") in ("JobPosting", ["JobPosting"]):
                return obj
    return None


def posting_address(posting: dict) -> dict:
    """Return a JSON-LD JobPosting's first jobLocation address object, or {}."""
    place = posting.get("jobLocation")
    if isinstance(place, list):
        place = place[0] if place else None
    return as_dict(as_dict(place).get("address"))


def posting_country(address: dict) -> str | None:
    """Return an address's two-letter addressCountry, upper case; None for a name or nothing."""
    value = address.get("addressCountry")
    text = as_str(as_dict(value).get("name") if isinstance(value, dict) else value, strip=True)
    return text.upper() if text and len(text) == 2 else None  # a name is left to the normalizer


# ---- systems that give each company a subdomain (<tenant>.<system host>) --------------------
# Subdomains the systems use for themselves, never a company's board.
SERVICE_SUBDOMAINS = frozenset({
    "www", "app", "api", "help", "support", "developer", "developers", "docs", "status", "blog",
    "assets", "static", "cdn", "marketplace", "mail", "go", "attachments"})
_TENANT = re.compile(r"^[a-z0-9][a-z0-9-]*$")


def tenant_board(ats: str, tenant: str | None, suffix: str, path: str = "/") -> Board | None:
    """Return the Board of a company's subdomain `<tenant><suffix>`, or None for a service host."""
    tenant = (tenant or "").lower()
    if not _TENANT.match(tenant) or tenant in SERVICE_SUBDOMAINS:
        return None
    host = f"{tenant}{suffix}"
    return Board(ats, tenant, f"https://{host}{path}", host=host)


def tenant_of(url: str, suffix: str) -> str | None:
    """Return the one-label tenant of a URL on `<tenant><suffix>` (suffix like '.breezy.hr'), or None."""
    try:
        host = (urlsplit(url.strip()).hostname or "").lower()
    except ValueError:
        return None
    if host.endswith(suffix) and host.count(".") == suffix.count("."):
        return host[: -len(suffix)]
    return None


# ---- systems that name each company's board in the path (<host>/<name>) ---------------------
# A board name in a path: a letter or digit, then letters, digits, '_' and '-'.
PATH_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]*$")
# Paths a board host uses for itself (assets, API, framework files), never a company's board.
HOST_PATHS = frozenset({"static", "assets", "api", "favicon.ico", "robots.txt", "_next", "embed"})


def path_name(name: str | None, *, pattern: re.Pattern[str] = PATH_NAME,
              reserved: Iterable[str] = HOST_PATHS) -> str | None:
    """Return a path segment as a board name (lower case), or None when it cannot be one: it does
    not match `pattern`, or it is one of the host's own paths (`reserved`, lower case)."""
    if not name or not pattern.match(name) or name.lower() in reserved:
        return None
    return name.lower()
