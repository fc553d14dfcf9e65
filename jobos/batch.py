"""Batch refresh: many known companies read concurrently by one `careers` spider.

`scrapy crawl careers -a companies_file=companies.csv` reads a CSV (company, country,
careers_url) of companies whose careers page or board is known. Each company is a CompanyRun:
its arguments, partial flag, boards seen, discovery result and its own counts live there, not on
the spider. Requests carry their company in `request.meta["jobos_company"]` (CompanyMetaMiddleware
passes it from a response to the requests its callback yields, and records which company each
board belongs to), so the pipelines and extensions find an item's company from its board.
One company's failing board makes only that company partial: the others close their missing
jobs normally, each in its own crawl run row.
"""
from __future__ import annotations

import csv
import logging
from datetime import datetime
from pathlib import Path
from typing import Any, AsyncIterator

from scrapy import Request

from jobos.args import CrawlArgs, CrawlArgsError, parse_crawl_args
from jobos.ats import BoardContext
from jobos.conditional import mark_listing
from jobos.spiders.site import SiteMixin
from jobos.store.records import board_for

logger = logging.getLogger(__name__)

COMPANY_META = "jobos_company"
COLUMNS = ("company", "country", "careers_url")
MAX_COMPANIES = 50_000
MAX_ERRORS_SHOWN = 20

# Signal sent (company=CompanyRun) when a batch company's first request is made: its run starts.
company_started = object()


class CompaniesFileError(ValueError):
    """The companies file cannot be used; the message says which rows and why, one per line."""


def read_companies_file(path: str | Path) -> list[CrawlArgs]:
    """Return the companies of a CSV file (company, country, careers_url), each validated.

    Every bad row is reported, one sentence each; a file with any bad row is refused whole, so a
    typo never silently drops a company from the refresh.
    """
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise CompaniesFileError(f"companies file {path.name!r} does not exist") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise CompaniesFileError(f"companies file {path.name!r} cannot be read: {exc}") from None
    reader = csv.DictReader(text.splitlines())
    header = [(h or "").strip().lower() for h in (reader.fieldnames or [])]
    missing = [c for c in ("company", "careers_url") if c not in header]
    if missing:
        raise CompaniesFileError(
            f"companies file {path.name!r} needs a header row with the columns "
            f"{', '.join(COLUMNS)} (missing: {', '.join(missing)})")
    reader.fieldnames = header
    companies: list[CrawlArgs] = []
    errors: list[str] = []
    seen: dict[tuple[str, str | None, str | None], int] = {}
    for row in reader:
        line = reader.line_num
        if not any((v or "").strip() for k, v in row.items() if k):
            continue  # a blank line
        extra = row.get(None)
        if extra and any(str(v).strip() for v in extra):
            errors.append(f"row {line}: has more than the {len(header)} columns of the header")
            continue
        raw = {k: (row.get(k) or "").strip() or None for k in COLUMNS if k in header}
        if not raw.get("careers_url"):
            errors.append(f"row {line}: careers_url is empty; batch refresh reads known careers "
                          "pages or boards only (crawl a company alone to discover it)")
            continue
        try:
            args = parse_crawl_args({k: v for k, v in raw.items() if v is not None})
        except CrawlArgsError as exc:
            errors.append(f"row {line}: {str(exc).removeprefix('invalid crawl argument: ')}")
            continue
        key = (args.company.casefold(), args.country, args.careers_url)
        if key in seen:
            errors.append(f"row {line}: repeats row {seen[key]}")
            continue
        seen[key] = line
        companies.append(args)
    if errors:
        shown = errors[:MAX_ERRORS_SHOWN]
        more = len(errors) - len(shown)
        raise CompaniesFileError(
            f"companies file {path.name!r} has {len(errors)} bad row(s):\n" + "\n".join(shown)
            + (f"\n... and {more} more" if more else ""))
    if not companies:
        raise CompaniesFileError(f"companies file {path.name!r} lists no company")
    if len(companies) > MAX_COMPANIES:
        raise CompaniesFileError(f"companies file {path.name!r} lists {len(companies)} companies; "
                                 f"split it into files of at most {MAX_COMPANIES}")
    return companies


class CompanyRun(SiteMixin):
    """One company of a batch: its arguments and everything judged per company.

    It reads its careers page or board with the same SiteMixin routing as the single-company
    spider; the spider only schedules it and holds what the whole process shares.
    """

    def __init__(self, spider: Any, args: CrawlArgs, index: int) -> None:
        self.spider = spider
        self.args = args
        self.index = index
        self.crawl_time: datetime = spider.crawl_time
        self.partial = False
        self.partial_reasons: list[str] = []
        self.failed_reason: str | None = None
        self.current_step = "waiting"
        self.discovery_result: dict | None = None
        self.boards_seen: set[str] = set()
        self.crawl_id: int | None = args.crawl_id
        self.started = False
        # This company's own counters, under the crawl-stats names progress_fields reads.
        self.stats: dict[str, int] = {}

    def __repr__(self) -> str:
        return f"<CompanyRun {self.index} {self.args.company!r}>"

    @property
    def crawler(self):
        return self.spider.crawler

    def inc(self, key: str, count: int = 1) -> None:
        self.stats[key] = self.stats.get(key, 0) + count

    def board_context(self) -> BoardContext:
        return BoardContext(
            company=self.args.company, country=self.args.country, crawl_time=self.crawl_time,
            company_domain=(self.discovery_result or {}).get("company_domain"),
            max_jobs=self.args.max_jobs, stats=self.crawler.stats,
        )

    def set_step(self, step: str) -> None:
        self.current_step = step

    def mark_partial(self, reason: str) -> None:
        """Mark this company's crawl incomplete: it closes no jobs, its run shows as partial."""
        if reason not in self.partial_reasons:
            logger.warning("%s: crawl is partial: %s", self.args.company, reason)
            self.partial_reasons.append(reason)
        self.partial = True
        self.crawler.stats.inc_value("jobos/batch/partial_marks")

    def read_board(self, board, reason: str):
        owners = self.spider.board_owner
        owner = owners.get(board.key)
        if owner is not None and owner is not self:
            # Two rows of the file share a board: it is read once, for the first company.
            logger.warning("%s: board %s is read for %s already", self.args.company, board.key,
                           owner.args.company)
            self.crawler.stats.inc_value("jobos/batch/shared_board")
            return
        owners[board.key] = self
        for request in SiteMixin.read_board(self, board, reason):
            yield mark_listing(request, board)

    def start_requests_of_company(self):
        """Yield this company's first requests (its careers page or board)."""
        self.started = True
        self.set_step("board")
        for request in self.route_url(self.args.careers_url, reason="careers_url given"):
            yield stamp(request, self)


def stamp(request: Request, company: CompanyRun) -> Request:
    """Return the request, marked as one of this company's."""
    request.meta.setdefault(COMPANY_META, company)
    return request


def company_of(request_or_response: Any) -> CompanyRun | None:
    """Return the company a request (or a response's request) belongs to, in batch mode."""
    meta = getattr(request_or_response, "meta", None)
    try:
        company = meta.get(COMPANY_META) if meta is not None else None
    except AttributeError:  # a response without a request
        return None
    return company if isinstance(company, CompanyRun) else None


def company_of_item(crawler: Any, item: Any) -> CompanyRun | None:
    """Return the company an item belongs to (through its board), in batch mode; else None."""
    owners = getattr(getattr(crawler, "spider", None), "board_owner", None)
    if not owners:
        return None
    board = board_for(item)
    return owners.get(board) if board else None


class CompanyMetaMiddleware:
    """Spider middleware: the requests and items a callback yields belong to its response's company.

    Requests inherit `meta["jobos_company"]`; an item's board is recorded as the company's (a
    site's jobs have a 'website:<host>' board the spider never saw as a board). Responses are
    counted per company. Does nothing outside batch mode.
    """

    def __init__(self, crawler) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    async def process_spider_output(self, response, result: AsyncIterator[Any], spider=None):
        company = company_of(response)
        if company is None:
            async for obj in result:
                yield obj
            return
        company.inc("response_received_count")
        owners = self.crawler.spider.board_owner
        async for obj in result:
            if isinstance(obj, Request):
                stamp(obj, company)
            elif not isinstance(obj, (str, bytes)) and hasattr(obj, "get"):
                board = board_for(obj)
                if board:
                    owners.setdefault(board, company)
            yield obj


def args_for(crawler: Any, item: Any) -> Any:
    """Return the crawl arguments that apply to an item: its company's in batch mode."""
    company = company_of_item(crawler, item)
    if company is not None:
        return company.args
    return getattr(getattr(crawler, "spider", None), "args", None)


def company_complete(company: CompanyRun, spider: Any, reason: str) -> bool:
    """True when this company's jobs were all read: only then may its missing jobs be closed."""
    return (reason == "finished" and not company.partial and company.started
            and not getattr(spider, "partial", False) and not getattr(spider, "failed_reason", None))


__all__ = ["CompaniesFileError", "CompanyRun", "CompanyMetaMiddleware", "read_companies_file",
           "company_of", "company_of_item", "args_for", "company_complete", "company_started", "stamp"]
