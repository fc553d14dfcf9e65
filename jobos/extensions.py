"""Scrapy extensions used by JobOS."""
from __future__ import annotations

import json
import logging
import os
import time
from datetime import datetime, timezone

from scrapy import signals
from scrapy.exceptions import NotConfigured
from scrapy.utils.defer import maybe_deferred_to_future
from twisted.internet import defer, task

from jobos.batch import company_started
from jobos.onethread import OneThread
from jobos.store import progress
from jobos.store.common import close_quietly
from jobos.store.progress import error_summary, final_status, progress_fields

logger = logging.getLogger(__name__)
HEARTBEAT = 60.0  # seconds: a batch company's unchanged progress is still written this often


class StatsFileExtension:
    """Writes the crawl's final stats as JSON to JOBOS_STATS_FILE (for scripts and benchmarks)."""

    def __init__(self, crawler, path: str):
        self.crawler = crawler
        self.path = path

    @classmethod
    def from_crawler(cls, crawler):
        path = crawler.settings.get("JOBOS_STATS_FILE")
        if not path:
            raise NotConfigured  # optional; a message would make Scrapy warn on every crawl
        ext = cls(crawler, path)
        crawler.signals.connect(ext.spider_closed, signal=signals.spider_closed)
        return ext

    def spider_closed(self, spider, reason):
        stats = dict(self.crawler.stats.get_stats())
        stats["finish_reason"] = reason
        stats["jobos/partial_reasons"] = getattr(spider, "partial_reasons", [])
        with open(self.path, "w", encoding="utf-8") as fh:
            json.dump(stats, fh, default=str, indent=1, sort_keys=True)


class CrawlRunExtension(progress.CrawlRunExtension):
    """The crawl run row of a crawl; in batch mode, one row per company.

    A batch company's row is created when its first request is made (company_started), holds
    that company's own counts and step, and ends with that company's status: one failing board
    makes only its company's run partial.

    The rows of the companies started in one turn of the reactor (the whole batch's first wave)
    are created together in a thread of their own: created in the signal handler, two or three
    database round trips per company held the reactor, and every download running, at start.
    """

    def __init__(self, crawler) -> None:
        super().__init__(crawler)
        self._batch: list = []  # the companies whose rows exist
        self._written: dict[int, tuple[dict, float]] = {}  # company index -> (fields, when) last written
        self._starting: list[tuple[object, datetime]] = []  # (company, started at) whose rows are not written
        self._creating: defer.Deferred | None = None  # the rows being created in the thread
        self._pool = OneThread("jobos-crawl-runs")
        crawler.signals.connect(self.company_started, signal=company_started)

    def _is_batch(self, spider) -> bool:
        return bool(getattr(spider, "companies", None))

    def spider_opened(self, spider) -> None:
        if not self._is_batch(spider):
            return super().spider_opened(spider)
        self._store()  # opened here, before any request, not in the thread or a callback
        if self.interval > 0:
            self._loop = task.LoopingCall(self.flush, spider)
            self._loop.start(self.interval, now=False)

    def company_started(self, company) -> None:
        """Note the company's start; its row is written with the others started in this turn."""
        self._starting.append((company, datetime.now(timezone.utc)))
        if len(self._starting) == 1 and self._creating is None:
            _reactor().callLater(0, self._create_started)

    def _create_started(self) -> defer.Deferred | None:
        """Create the rows of the companies started so far, in the crawl-run thread."""
        if self._creating is not None or not self._starting:
            return self._creating  # the rows being created go first; the rest follow them
        starting, self._starting = self._starting, []
        job = getattr(self.crawler.spider, "scrapyd_job", None) or os.environ.get("SCRAPY_JOB")
        self._creating = self._in_thread(self._create_rows, starting, job)
        self._creating.addCallbacks(self._rows_created, self._rows_failed)
        return self._creating

    def _create_rows(self, starting: list, job: str | None) -> list[tuple[object, int | None, Exception | None]]:
        """Create or adopt each company's row and mark it running (crawl-run thread)."""
        store = self.store
        node = os.environ.get("JOBOS_NODE") or os.uname().nodename
        who = progress._who()
        done = []
        for company, started_at in starting:
            try:
                crawl_id = company.crawl_id or store.create_crawl_run(
                    company.args.model_dump(), requested_by=who, source="cli")
                fields = {"status": "running", "started_at": started_at, "node": node}
                if job:
                    fields["scrapyd_job_id"] = job
                store.update_crawl_run(crawl_id, **fields)
                done.append((company, crawl_id, None))
            except Exception as exc:  # noqa: BLE001 - progress is a view of the crawl, not part of it
                done.append((company, None, exc))
        return done

    def _rows_created(self, done: list) -> None:
        self._creating = None
        for company, crawl_id, exc in done:
            if exc is not None:
                self._error("start", exc)
                continue
            company.crawl_id = crawl_id
            self._batch.append(company)
        if self._starting:  # companies started while these rows were written
            self._create_started()

    def _rows_failed(self, failure) -> None:
        self._creating = None
        self._error("start", failure.value)
        if self._starting:
            self._create_started()

    def _in_thread(self, fn, *args) -> defer.Deferred:
        if self.store is None:  # the store did not open (counted): no rows, as before
            return defer.succeed([])
        return self._pool.run(fn, *args)

    def flush(self, spider) -> None:
        if not self._is_batch(spider):
            return super().flush(spider)
        store = self._store()
        if store is None:
            return
        now = time.monotonic()
        for company in self._batch:
            # Only companies whose progress changed (and each at least every HEARTBEAT seconds,
            # so a waiting company never looks dead): a write per company every few seconds
            # holds the reactor, and every download then running, for as long as they take.
            fields = progress_fields(company.stats, company)
            last = self._written.get(company.index)
            if last is not None and last[0] == fields and now - last[1] < HEARTBEAT:
                continue
            try:
                store.update_crawl_run(company.crawl_id, **fields)
            except Exception as exc:  # noqa: BLE001
                self._error("progress", exc)
                return
            self._written[company.index] = (fields, now)

    async def spider_closed(self, spider, reason: str) -> None:
        if not self._is_batch(spider):
            return super().spider_closed(spider, reason)
        if self._loop is not None and self._loop.running:
            self._loop.stop()
        # Every company started has its row before the rows end.
        while self._creating is not None or self._starting:
            creating = self._creating or self._create_started()
            if creating is not None:
                await maybe_deferred_to_future(creating)
        self._pool.stop()
        store = self._store()
        for company in self._batch if store is not None else []:
            fields = progress_fields(company.stats, company)
            status = final_status(company, reason)
            if status == "finished" and getattr(spider, "partial", False):
                status = "partial"  # the whole batch stopped early (request budget)
            fields.update(status=status, finished_at=datetime.now(timezone.utc),
                          error_summary=error_summary(company.stats, company))
            try:
                store.update_crawl_run(company.crawl_id, **fields)
            except Exception as exc:  # noqa: BLE001
                self._error("finish", exc)
        close_quietly(self.store)
        self.store = None


def _reactor():
    from twisted.internet import reactor

    return reactor


__all__ = ["CrawlRunExtension", "StatsFileExtension"]
