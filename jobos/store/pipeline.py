"""StorePipeline: batched upserts into the store, written off the reactor, that survive an outage.

Records are buffered and written every JOBOS_STORE_BATCH items and at close, in a worker thread
of their own (one thread: batches stay in order and the store's connection is used from one
thread), so items go on through the crawl without waiting for the database; close waits for
every write. When the database is unavailable, an OutageBuffer (jobos.store.buffer) keeps
records in memory (up to JOBOS_STORE_MAX_BUFFER), retries with exponential backoff on later
items, and spills the excess (and whatever is left at close) to JSONL files under
<data dir>/store-spill/. Spilled records are written back as soon as the database answers again,
in this crawl or at the next crawl's start. The crawl never fails because of the store.
"""
from __future__ import annotations

import json
import logging
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from itemadapter import ItemAdapter
from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.utils.defer import maybe_deferred_to_future
from twisted.internet import task
from twisted.internet.defer import Deferred

from jobos import config
from jobos.onethread import OneThread
from jobos.store import open_store
from jobos.store.base import BaseStore, UpsertResult
from jobos.store.buffer import OutageBuffer, Replay
from jobos.store.common import close_quietly
from jobos.store.records import board_for, external_id_for, is_website_board
from jobos.store.scope import CrawlScope

logger = logging.getLogger(__name__)

SPILL_DIR = "store-spill"
COUNTS = ("new", "updated", "unchanged", "reopened", "invalid")


def store_from_settings(settings: Any) -> BaseStore:
    """Return a store opened from crawler settings (DATABASE_URL, JOBOS_DATA_DIR) or the env."""
    url = settings.get("DATABASE_URL") or config.database_url()
    data_dir = settings.get("JOBOS_DATA_DIR") or None
    return open_store(database_url=url, data_dir=data_dir or config.data_dir())


def spill_dir(settings: Any) -> Path:
    """Return the folder where unsaved records wait for the database."""
    folder = Path(settings.get("JOBOS_DATA_DIR") or config.data_dir()) / SPILL_DIR
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def crawl_id_of(crawler: Crawler) -> int | None:
    """Return the crawl run id (set by CrawlRunExtension or the spider's arguments)."""
    value = crawler.stats.get_value("jobos/crawl_id") if crawler.stats else None
    if value:
        return int(value)
    args = getattr(crawler.spider, "args", None)
    value = getattr(args, "crawl_id", None)
    return int(value) if value else None


@dataclass
class _Batch:
    """One upsert: records of one crawl run (in batch mode, of one company)."""

    records: list[dict]
    crawl_id: int | None
    owner: Any = None  # the batch-mode CompanyRun, else None


@dataclass
class _Written:
    """What one trip to the worker thread did (handed back to the reactor thread to count)."""

    results: list[tuple[_Batch, UpsertResult]] = field(default_factory=list)
    unwritten: list[_Batch] = field(default_factory=list)
    companies: list[str] = field(default_factory=list)
    replay: Replay | None = None
    error: tuple[str, Exception] | None = None


class StorePipeline:
    """Writes every record to the store; never loses one and never crashes the crawl."""

    def __init__(self, crawler: Crawler) -> None:
        settings = crawler.settings
        self.crawler = crawler
        self.stats = crawler.stats
        self.settings = settings
        self.batch_size = max(1, settings.getint("JOBOS_STORE_BATCH", 100))
        self.close_wait = settings.getfloat("JOBOS_STORE_CLOSE_WAIT", 30.0)
        self.buffer = OutageBuffer(
            spill_dir(settings),
            max_records=max(self.batch_size, settings.getint("JOBOS_STORE_MAX_BUFFER", 5000)),
            max_delay=settings.getfloat("JOBOS_STORE_RETRY_MAX_DELAY", 30.0),
        )
        self.store: BaseStore | None = None  # opened, used and closed in the store thread only
        self.seen: dict[str, set[str]] = {}
        self.seen_urls: dict[str, list[str]] = {}  # website boards: where their jobs were found
        self.companies: dict[str, dict] = {}  # board -> company fields not yet written
        self._companies_done: set[str] = set()
        self._requested_by: tuple[int | None, str | None] = (None, None)
        self._writing: Deferred | None = None  # the write under way in the store thread
        self._pool = OneThread("jobos-store")
        crawler.signals.connect(self.spider_closed, signal=signals.spider_closed)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> StorePipeline:
        return cls(crawler)

    # ---- Scrapy hooks --------------------------------------------------------------------
    async def open_spider(self) -> None:
        """Open the store and write back earlier crawls' spilled records, off the reactor."""
        written = await self._in_thread(self._open_and_replay)
        self._apply(written)

    def process_item(self, item: Any) -> Any:
        record = _plain(ItemAdapter(item).asdict())
        board, ext = board_for(record), external_id_for(record)
        if board and ext:
            self.seen.setdefault(board, set()).add(ext)
            if is_website_board(board) and record.get("url"):
                self.seen_urls.setdefault(board, []).append(str(record["url"]))
            owner = self._owner(board)
            if owner is not None:
                owner.inc("item_scraped_count")
            if board not in self.companies and board not in self._companies_done:
                self.companies[board] = {
                    "name": record.get("company") or board,
                    "domain": record.get("company_domain"),
                    "board": board,
                    **self._discovery_for(board),
                }
        self.buffer.add(record)
        if len(self.buffer) >= self.batch_size:
            self._flush()
        return item  # the write goes on in the store thread

    async def close_spider(self) -> None:
        """Wait for every write; retry what failed until JOBOS_STORE_CLOSE_WAIT, then spill it."""
        deadline = time.monotonic() + self.close_wait
        tries = 0
        while True:
            while self._writing is not None:  # one write's end may start the next
                await maybe_deferred_to_future(self._idle())
            if not self.buffer or tries and time.monotonic() >= deadline:
                break
            if tries:
                pause = min(2.0, max(0.1, deadline - time.monotonic()))
                await maybe_deferred_to_future(task.deferLater(_reactor(), pause, lambda: None))
            tries += 1
            self._flush(force=True)  # at least one try, whatever the back-off said
        self._spill_rest()

    async def spider_closed(self, spider: Any, reason: str) -> None:
        """Close jobs the complete crawl no longer saw, link duplicates, then release the store."""
        try:
            complete = reason == "finished" and not getattr(spider, "partial", False)
            complete = complete and not getattr(spider, "failed_reason", None)
            closes: list[dict] = []
            if getattr(spider, "companies", None):  # batch mode: each company judged on its own
                closes = self._batch_closes(spider, reason) if self.seen else []
            elif complete and self.seen:
                closes = self._closes(spider)
            elif self.seen and not complete:
                logger.info("store: crawl not complete (%s); no job closed", reason)
            if self.seen:
                done = await self._in_thread(self._close_and_link, closes)
                self._closed(done)
        finally:
            if self._pool.started:
                await self._in_thread(self._release_store)
            self._pool.stop()

    # ---- the store thread ----------------------------------------------------------------
    def _in_thread(self, fn: Callable[..., Any], *args: Any) -> Any:
        """Return an awaitable of fn(*args) run in the store thread."""
        return maybe_deferred_to_future(self._deferred_in_thread(fn, *args))

    def _deferred_in_thread(self, fn: Callable[..., Any], *args: Any) -> Deferred:
        return self._pool.run(fn, *args)

    def _ensure_store(self) -> None:
        """Open the store if it is not (store thread)."""
        if self.store is None:
            self.store = store_from_settings(self.settings)

    def _open_and_replay(self) -> _Written:
        written = _Written()
        try:
            self._ensure_store()
        except Exception as exc:  # noqa: BLE001 - an unreachable database must not end the crawl
            written.error = ("open", exc)
            return written
        written.replay = self.buffer.replay(self.store.upsert_jobs, self.batch_size)
        return written

    def _write(self, batches: list[_Batch], companies: dict[str, dict], requester_of: int | None) -> _Written:
        """Write companies, then batches in order, then spilled records (store thread)."""
        written = _Written()
        try:
            self._ensure_store()
        except Exception as exc:  # noqa: BLE001
            written.error, written.unwritten = ("open", exc), batches
            return written
        try:
            requester = self._requester(requester_of) if companies else None
            for board, fields in companies.items():
                self.store.upsert_company(fields["name"], fields["domain"], board,
                                          fields["careers_url"], fields["reason"], requester)
                written.companies.append(board)
            for i, batch in enumerate(batches):
                written.unwritten = batches[i:]
                written.results.append((batch, self.store.upsert_jobs(batch.records, batch.crawl_id)))
            written.unwritten = []
        except Exception as exc:  # noqa: BLE001
            written.error = ("write", exc)
            if not written.results:
                written.unwritten = batches
            return written
        written.replay = self.buffer.replay(self.store.upsert_jobs, self.batch_size)
        return written

    def _requester(self, crawl_id: int | None) -> str | None:
        """Return who asked for this crawl (the run's requested_by), to record who added a company."""
        if not crawl_id:
            return None
        if self._requested_by[0] != crawl_id:
            run = self.store.get_crawl_run(crawl_id) or {}
            self._requested_by = (crawl_id, run.get("requested_by"))
        return self._requested_by[1]

    def _close_and_link(self, closes: list[dict]) -> dict:
        """Close each board's missing jobs and link duplicates (store thread)."""
        done: dict[str, Any] = {"closed": [], "errors": [], "linked": None, "link_error": None,
                                "run_errors": []}
        try:
            self._ensure_store()
        except Exception as exc:  # noqa: BLE001 - closing nothing is the safe failure
            done["errors"].append(exc)
            return done
        per_run: dict[int, int] = {}
        for close in closes:
            try:
                count = self.store.close_missing(close["board"], close["seen"], close["country"],
                                                 close["crawl_id"], since=close["since"], scope=close["scope"])
            except Exception as exc:  # noqa: BLE001
                done["errors"].append(exc)
                continue
            done["closed"].append((close, count))
            if count and close["crawl_id"]:
                per_run[close["crawl_id"]] = per_run.get(close["crawl_id"], 0) + count
        for crawl_id, count in per_run.items():
            try:
                # The progress extension wrote its final row before this handler ran.
                self.store.update_crawl_run(crawl_id, closed=count)
            except Exception as exc:  # noqa: BLE001
                done["run_errors"].append(exc)
        try:
            done["linked"] = self.store.link_duplicates(list(self.seen))
        except Exception as exc:  # noqa: BLE001 - links are a view; never fail the crawl for them
            done["link_error"] = exc
        return done

    def _release_store(self) -> None:
        close_quietly(self.store)
        self.store = None

    # ---- the reactor thread: what to write, and counting what was written ---------------
    def _flush(self, force: bool = False) -> None:
        """Start writing what is buffered, unless a write is under way or the database rests."""
        if self._writing is not None:
            self._bound_memory()  # its end starts the next write
            return
        if not force and not self.buffer.ready():
            self._bound_memory()
            return
        if not self.buffer and not self.companies:
            return
        batches = self._batches(self.buffer.take())
        companies = dict(self.companies)
        d = self._deferred_in_thread(self._write, batches, companies, crawl_id_of(self.crawler))
        d.addCallback(self._apply)
        d.addErrback(self._lost, batches)
        d.addBoth(self._write_ended)
        self._writing = d

    def _batches(self, records: list[dict]) -> list[_Batch]:
        """Return the records as upserts in order: batch_size each, in batch mode per company."""
        if not getattr(self.crawler.spider, "board_owner", None):
            crawl_id = crawl_id_of(self.crawler)
            return [_Batch(records[i: i + self.batch_size], crawl_id)
                    for i in range(0, len(records), self.batch_size)]
        # Batch mode: one company's records per upsert, under its crawl run.
        by_owner: dict[int, list] = {}
        for record in records:
            owner = self._owner(board_for(record))
            by_owner.setdefault(id(owner), [owner, []])[1].append(record)
        out = []
        for owner, recs in by_owner.values():
            crawl_id = getattr(owner, "crawl_id", None)
            out += [_Batch(recs[i: i + self.batch_size], crawl_id, owner)
                    for i in range(0, len(recs), self.batch_size)]
        return out

    def _apply(self, written: _Written) -> None:
        """Count what the store thread wrote; keep what it could not write."""
        for board in written.companies:
            self._companies_done.add(board)
            self.companies.pop(board, None)
        for batch, result in written.results:
            self._count(result)
            if batch.owner is not None:
                self._count_for(batch.owner, result)
        self.buffer.put_back([r for batch in written.unwritten for r in batch.records])
        if written.error is not None:
            self._failed(*written.error)
            self._bound_memory()
            return
        if written.replay is not None:
            for result in written.replay.results:
                self._count(result)
            if written.replay.records:
                self.stats.inc_value("jobos/store/replayed", written.replay.records)
            if written.replay.error is not None:
                self._failed("replay", written.replay.error)
                return
        if self.buffer.failures:
            logger.info("store: database reachable again after %d failed attempts", self.buffer.failures)
        self.buffer.succeeded()

    def _lost(self, failure: Any, batches: list[_Batch]) -> None:
        # _write catches what the store raises; this is a bug in the counting: keep the records.
        logger.error("store: writing a batch failed unexpectedly: %s", failure.getTraceback())
        self.buffer.put_back([r for batch in batches for r in batch.records])
        self._failed("write", failure.value)

    def _write_ended(self, _: Any) -> None:
        self._writing = None
        # What came in during the write goes next, even short of a batch: the flush that would
        # have written it was skipped while the write ran, and no later item may come to start it.
        if self.buffer and self.buffer.ready():
            self._flush()

    def _idle(self) -> Deferred:
        """Return a Deferred that fires when the write under way has been counted."""
        d: Deferred = Deferred()
        if self._writing is None:
            d.callback(None)
        else:
            self._writing.addBoth(lambda result: (d.callback(None), result)[1])
        return d

    def _spill_rest(self) -> None:
        spilled = self.buffer.spill_all(crawl_id_of(self.crawler))
        if spilled:
            self.stats.inc_value("jobos/store/spilled", spilled)

    def _bound_memory(self) -> None:
        spilled = self.buffer.bound(crawl_id_of(self.crawler))
        if spilled:
            self.stats.inc_value("jobos/store/spilled", spilled)

    def _failed(self, what: str, exc: Exception) -> None:
        delay = self.buffer.failed()
        self.stats.inc_value("jobos/store/errors")
        self.stats.inc_value(f"jobos/errors/store_{what}")
        logger.warning("store: %s failed (%s: %s); %d records kept, next try in %.1fs",
                       what, type(exc).__name__, exc, len(self.buffer), delay)

    def _count(self, result: UpsertResult, prefix: str = "jobos/store") -> None:
        for name in COUNTS:
            value = getattr(result, name)
            if value:
                self.stats.inc_value(f"{prefix}/{name}", value)

    def _count_for(self, owner: Any, result: UpsertResult) -> None:
        for name in COUNTS:
            value = getattr(result, name)
            if value:
                owner.inc(f"jobos/store/{name}", value)

    def _owner(self, board: str | None) -> Any:
        """Return the batch company a board belongs to (batch mode), else None."""
        owners = getattr(self.crawler.spider, "board_owner", None)
        return owners.get(board) if owners and board else None

    def _discovery_for(self, board: str) -> dict:
        result = getattr(self._owner(board) or self.crawler.spider, "discovery_result", None)
        if not isinstance(result, dict):
            return {"careers_url": None, "reason": None}
        if result.get("board") not in (None, board):
            return {"careers_url": None, "reason": None}
        return {"careers_url": result.get("careers_url"), "reason": result.get("reason")}

    # ---- closing: decided here, done in the store thread --------------------------------
    def _closes(self, spider: Any) -> list[dict]:
        """Return what this complete crawl closes: its boards, its scope, since its start.

        A website board's jobs are closed only within the listing the crawl read (see
        jobos.store.scope); jobs another crawl saw after this one started stay open.
        """
        args = getattr(spider, "args", None)
        start_url = getattr(args, "careers_url", None)
        if not start_url and isinstance(getattr(spider, "discovery_result", None), dict):
            start_url = spider.discovery_result.get("careers_url")
        closes = []
        for board, seen in self.seen.items():
            scope = CrawlScope.of(start_url, self.seen_urls.get(board, ())) if is_website_board(board) else None
            if scope is not None and scope.closes_nothing:
                logger.info("store: the crawl started on a job page (%s); no job of %s closed",
                            start_url, board)
                continue
            closes.append({"board": board, "seen": seen, "country": getattr(args, "country", None),
                           "crawl_id": crawl_id_of(self.crawler), "scope": scope,
                           "since": getattr(spider, "crawl_time", None), "owner": None})
        return closes

    def _batch_closes(self, spider: Any, reason: str) -> list[dict]:
        """Return what batch mode closes: per company, only when its crawl was complete."""
        from jobos.batch import company_complete

        closes = []
        for board, seen in self.seen.items():
            owner = self._owner(board)
            if owner is None or not company_complete(owner, spider, reason):
                continue
            start_url = owner.args.careers_url
            scope = CrawlScope.of(start_url, self.seen_urls.get(board, ())) if is_website_board(board) else None
            if scope is not None and scope.closes_nothing:
                continue  # that company's crawl started on a job page: it closes nothing
            closes.append({"board": board, "seen": seen, "country": owner.args.country,
                           "crawl_id": owner.crawl_id, "scope": scope,
                           "since": getattr(spider, "crawl_time", None), "owner": owner})
        partial = [c.args.company for c in spider.companies if not company_complete(c, spider, reason)]
        if partial:
            logger.info("store: %d of %d companies not complete; none of their jobs closed",
                        len(partial), len(spider.companies))
        return closes

    def _closed(self, done: dict) -> None:
        """Count what closing and linking did (reactor thread)."""
        for exc in done["errors"]:
            self._failed("close", exc)
        total = 0
        for close, count in done["closed"]:
            total += count
            if count and close["owner"] is not None:
                close["owner"].inc("jobos/store/closed", count)
        if total:
            self.stats.inc_value("jobos/store/closed", total)
        for exc in done["run_errors"]:
            logger.warning("store: could not record closed count: %s", exc)
        if done["link_error"] is not None:
            logger.warning("store: linking duplicates failed: %s", done["link_error"])
        elif done["linked"] is not None:
            self.stats.set_value("jobos/store/duplicate_links", done["linked"])


def _reactor() -> Any:
    from twisted.internet import reactor

    return reactor


def _plain(record: dict) -> dict:
    """Return a JSON-safe copy of a record (spill files and JSON columns need plain values)."""
    return json.loads(json.dumps(record, ensure_ascii=False, default=str))
