"""StorePipeline: batched upserts into the store that survive a database outage.

Records are buffered and written every JOBOS_STORE_BATCH items and at close. When the database
is unavailable, the pipeline keeps records in memory (up to JOBOS_STORE_MAX_BUFFER), retries
with exponential backoff on later items, and spills the excess (and whatever is left at close)
to JSONL files under <data dir>/store-spill/. Spilled records are written back as soon as the
database answers again, in this crawl or at the next crawl's start. The crawl never fails
because of the store.
"""
from __future__ import annotations

import json
import logging
import os
import time
from pathlib import Path
from typing import Any

from itemadapter import ItemAdapter
from scrapy import signals
from scrapy.crawler import Crawler

from jobos import config
from jobos.store import open_store
from jobos.store.base import BaseStore, UpsertResult
from jobos.store.records import board_for, external_id_for, is_website_board
from jobos.store.scope import CrawlScope

logger = logging.getLogger(__name__)

SPILL_DIR = "store-spill"
STALE_CLAIM_SECONDS = 300


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


class StorePipeline:
    """Writes every record to the store; never loses one and never crashes the crawl."""

    def __init__(self, crawler: Crawler) -> None:
        settings = crawler.settings
        self.crawler = crawler
        self.stats = crawler.stats
        self.settings = settings
        self.batch_size = max(1, settings.getint("JOBOS_STORE_BATCH", 100))
        self.max_buffer = max(self.batch_size, settings.getint("JOBOS_STORE_MAX_BUFFER", 5000))
        self.max_delay = settings.getfloat("JOBOS_STORE_RETRY_MAX_DELAY", 30.0)
        self.close_wait = settings.getfloat("JOBOS_STORE_CLOSE_WAIT", 30.0)
        self.store: BaseStore | None = None
        self.buffer: list[dict] = []
        self.seen: dict[str, set[str]] = {}
        self.seen_urls: dict[str, list[str]] = {}  # website boards: where their jobs were found
        self.companies: dict[str, dict] = {}  # board -> company fields not yet written
        self._companies_done: set[str] = set()
        self.failures = 0
        self.next_try = 0.0
        self._spill_count = 0
        self._spill_dir = spill_dir(settings)
        crawler.signals.connect(self.spider_closed, signal=signals.spider_closed)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> StorePipeline:
        return cls(crawler)

    # ---- Scrapy hooks --------------------------------------------------------------------
    def open_spider(self) -> None:
        if self._ensure_store():
            self._replay_spills()

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
        self.buffer.append(record)
        if len(self.buffer) >= self.batch_size:
            self._flush()
        return item

    def close_spider(self) -> None:
        deadline = time.monotonic() + self.close_wait
        while self.buffer:
            self.next_try = 0.0
            self._flush()
            if not self.buffer or time.monotonic() >= deadline:
                break
            time.sleep(min(2.0, max(0.1, deadline - time.monotonic())))
        if self.buffer:
            self._spill(self.buffer)
            self.buffer = []

    def spider_closed(self, spider: Any, reason: str) -> None:
        """Close jobs the complete crawl no longer saw, then release the store."""
        try:
            complete = reason == "finished" and not getattr(spider, "partial", False)
            complete = complete and not getattr(spider, "failed_reason", None)
            if getattr(spider, "companies", None):  # batch mode: each company judged on its own
                if self.seen and self._ensure_store():
                    self._close_missing_batch(spider, reason)
            elif complete and self.seen and self._ensure_store():
                self._close_missing(spider)
            elif self.seen and not complete:
                logger.info("store: crawl not complete (%s); no job closed", reason)
            if self.seen and self.store is not None:
                self._link_duplicates()
        finally:
            if self.store is not None:
                try:
                    self.store.close()
                except Exception:  # noqa: BLE001
                    pass
                self.store = None

    # ---- internals -----------------------------------------------------------------------
    def _link_duplicates(self) -> None:
        """Link the crawled boards' jobs to the same jobs on the company's other boards."""
        try:
            linked = self.store.link_duplicates(list(self.seen))
        except Exception as exc:  # noqa: BLE001 - links are a view; never fail the crawl for them
            logger.warning("store: linking duplicates failed: %s", exc)
            return
        self.stats.set_value("jobos/store/duplicate_links", linked)

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

    def _ensure_store(self) -> bool:
        if self.store is not None:
            return True
        try:
            self.store = store_from_settings(self.settings)
            return True
        except Exception as exc:  # noqa: BLE001 - an unreachable database must not end the crawl
            self._failed("open", exc)
            return False

    def _failed(self, what: str, exc: Exception) -> None:
        self.failures += 1
        delay = min(self.max_delay, 0.5 * 2 ** min(self.failures, 10))
        self.next_try = time.monotonic() + delay
        self.stats.inc_value("jobos/store/errors")
        self.stats.inc_value(f"jobos/errors/store_{what}")
        logger.warning("store: %s failed (%s: %s); %d records kept, next try in %.1fs",
                       what, type(exc).__name__, exc, len(self.buffer), delay)

    def _flush(self) -> None:
        if time.monotonic() < self.next_try:
            self._bound_memory()
            return
        if not self._ensure_store():
            self._bound_memory()
            return
        crawl_id = crawl_id_of(self.crawler)
        try:
            self._write_companies()
            while self.buffer:
                batch = self.buffer[: self.batch_size]
                owner = None
                if getattr(self.crawler.spider, "board_owner", None):
                    # Batch mode: one company's records per upsert, under its crawl run.
                    owner = self._owner(board_for(batch[0]))
                    batch = [r for r in batch if self._owner(board_for(r)) is owner] or batch[:1]
                    crawl_id = getattr(owner, "crawl_id", None)
                result = self.store.upsert_jobs(batch, crawl_id)
                if owner is None:
                    del self.buffer[: len(batch)]
                else:
                    done = {id(r) for r in batch}
                    self.buffer = [r for r in self.buffer if id(r) not in done]
                self._count(result)
                if owner is not None:
                    self._count_for(owner, result)
        except Exception as exc:  # noqa: BLE001
            self._failed("write", exc)
            self._bound_memory()
            return
        if self.failures:
            logger.info("store: database reachable again after %d failed attempts", self.failures)
        self.failures = 0
        self._replay_spills()

    def _write_companies(self) -> None:
        for board in list(self.companies):
            fields = self.companies[board]
            self.store.upsert_company(fields["name"], fields["domain"], board,
                                      fields["careers_url"], fields["reason"], self._requester())
            self._companies_done.add(board)
            del self.companies[board]

    def _requester(self) -> str | None:
        """Return who asked for this crawl (the run's requested_by), to record who added a company."""
        crawl_id = crawl_id_of(self.crawler)
        if not crawl_id:
            return None
        if getattr(self, "_requested_by", (None,))[0] != crawl_id:
            run = self.store.get_crawl_run(crawl_id) or {}
            self._requested_by = (crawl_id, run.get("requested_by"))
        return self._requested_by[1]

    def _count(self, result: UpsertResult, prefix: str = "jobos/store") -> None:
        for name in ("new", "updated", "unchanged", "reopened", "invalid"):
            value = getattr(result, name)
            if value:
                self.stats.inc_value(f"{prefix}/{name}", value)

    def _count_for(self, owner: Any, result: UpsertResult) -> None:
        for name in ("new", "updated", "unchanged", "reopened", "invalid"):
            value = getattr(result, name)
            if value:
                owner.inc(f"jobos/store/{name}", value)

    def _close_missing_batch(self, spider: Any, reason: str) -> None:
        """Close, per company, the jobs its complete crawl no longer saw; a partial one closes none."""
        from jobos.batch import company_complete

        closed: dict[int, int] = {}
        for board, seen in self.seen.items():
            owner = self._owner(board)
            if owner is None or not company_complete(owner, spider, reason):
                continue
            start_url = owner.args.careers_url
            scope = CrawlScope.of(start_url, self.seen_urls.get(board, ())) if is_website_board(board) else None
            if scope is not None and scope.closes_nothing:
                continue  # that company's crawl started on a job page: it closes nothing
            try:
                count = self.store.close_missing(board, seen, owner.args.country, owner.crawl_id,
                                                 since=getattr(spider, "crawl_time", None), scope=scope)
            except Exception as exc:  # noqa: BLE001 - closing nothing is the safe failure
                self._failed("close", exc)
                continue
            if count:
                owner.inc("jobos/store/closed", count)
                self.stats.inc_value("jobos/store/closed", count)
                if owner.crawl_id:
                    closed[owner.crawl_id] = closed.get(owner.crawl_id, 0) + count
        for crawl_id, count in closed.items():
            try:
                self.store.update_crawl_run(crawl_id, closed=count)
            except Exception as exc:  # noqa: BLE001
                logger.warning("store: could not record closed count: %s", exc)
        partial = [c.args.company for c in spider.companies if not company_complete(c, spider, reason)]
        if partial:
            logger.info("store: %d of %d companies not complete; none of their jobs closed",
                        len(partial), len(spider.companies))

    def _bound_memory(self) -> None:
        excess = len(self.buffer) - self.max_buffer
        if excess > 0:
            self._spill(self.buffer[:excess])
            del self.buffer[:excess]

    def _spill(self, records: list[dict]) -> None:
        crawl_id = crawl_id_of(self.crawler)
        self._spill_count += 1
        path = self._spill_dir / f"store-{os.getpid()}-{int(time.time() * 1000)}-{self._spill_count}.jsonl"
        tmp = path.with_suffix(".tmp")
        with tmp.open("w", encoding="utf-8") as fh:
            for record in records:
                fh.write(json.dumps({"crawl_id": crawl_id, "item": record}, ensure_ascii=False) + "\n")
            fh.flush()
            os.fsync(fh.fileno())
        tmp.rename(path)  # complete files only: a reader never sees half a spill
        self.stats.inc_value("jobos/store/spilled", len(records))
        logger.warning("store: database unavailable; %d records saved to %s", len(records), path)

    def _replay_spills(self) -> None:
        """Write spilled records (this crawl's and earlier ones') now that the database answers."""
        now = time.time()
        candidates = sorted(self._spill_dir.glob("store-*.jsonl"))
        candidates += [p for p in sorted(self._spill_dir.glob("store-*.claimed"))
                       if now - p.stat().st_mtime > STALE_CLAIM_SECONDS]
        for path in candidates:
            claimed = path.with_suffix(".claimed")
            try:
                path.rename(claimed) if path != claimed else os.utime(claimed)
            except FileNotFoundError:
                continue  # another process took it
            try:
                lines = [json.loads(line) for line in claimed.read_text("utf-8").splitlines() if line.strip()]
                for i in range(0, len(lines), self.batch_size):
                    chunk = lines[i: i + self.batch_size]
                    for crawl_id in {entry.get("crawl_id") for entry in chunk}:
                        items = [e["item"] for e in chunk if e.get("crawl_id") == crawl_id]
                        self._count(self.store.upsert_jobs(items, crawl_id), "jobos/store")
                self.stats.inc_value("jobos/store/replayed", len(lines))
                claimed.unlink()
                logger.info("store: %d spilled records from %s written", len(lines), path.name)
            except Exception as exc:  # noqa: BLE001
                claimed.rename(path)  # upserts are idempotent: a partial replay is redone later
                self._failed("replay", exc)
                return

    def _close_missing(self, spider: Any) -> None:
        """Close what this complete crawl no longer listed: its boards, its scope, since its start.

        A website board's jobs are closed only within the listing the crawl read (see
        jobos.store.scope); jobs another crawl saw after this one started stay open.
        """
        args = getattr(spider, "args", None)
        country = getattr(args, "country", None)
        crawl_id = crawl_id_of(self.crawler)
        since = getattr(spider, "crawl_time", None)
        start_url = getattr(args, "careers_url", None)
        if not start_url and isinstance(getattr(spider, "discovery_result", None), dict):
            start_url = spider.discovery_result.get("careers_url")
        total = 0
        for board, seen in self.seen.items():
            scope = CrawlScope.of(start_url, self.seen_urls.get(board, ())) if is_website_board(board) else None
            if scope is not None and scope.closes_nothing:
                logger.info("store: the crawl started on a job page (%s); no job of %s closed",
                            start_url, board)
                continue
            try:
                total += self.store.close_missing(board, seen, country, crawl_id, since=since, scope=scope)
            except Exception as exc:  # noqa: BLE001 - closing nothing is the safe failure
                self._failed("close", exc)
        if total:
            self.stats.inc_value("jobos/store/closed", total)
        if crawl_id and total:
            try:
                # The progress extension wrote its final row before this handler ran.
                self.store.update_crawl_run(crawl_id, closed=total)
            except Exception as exc:  # noqa: BLE001
                logger.warning("store: could not record closed count: %s", exc)


def _plain(record: dict) -> dict:
    """Return a JSON-safe copy of a record (spill files and JSON columns need plain values)."""
    return json.loads(json.dumps(record, ensure_ascii=False, default=str))
