"""What every ATS module shares: the Board it reads, the crawl context, request helpers."""
from __future__ import annotations

import json
import logging
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any, Callable, Iterable

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
