"""CrawlRunExtension: keeps the crawl run row current while a crawl runs.

On open it takes `spider.args.crawl_id` (the API created the row) or creates a row (source
'cli'), marks it running, and every JOBOS_PROGRESS_INTERVAL seconds writes the step and the
live counts from the crawl's stats. On close it writes the final status. A database error here
is logged and counted, never raised: progress is a view of the crawl, not part of it.
"""
from __future__ import annotations

import getpass
import logging
import os
import time
from datetime import datetime, timezone
from typing import Any

from scrapy import signals
from scrapy.crawler import Crawler
from twisted.internet import task

from jobos.store.base import BaseStore
from jobos.store.crawls import CrawlActive
from jobos.store.pipeline import store_from_settings

logger = logging.getLogger(__name__)


def final_status(spider: Any, reason: str) -> str:
    """Return the crawl run status for a closed crawl."""
    if getattr(spider, "failed_reason", None):
        return "failed"
    if reason in ("cancelled", "shutdown"):
        return "cancelled"
    if getattr(spider, "partial", False) or reason != "finished":
        return "partial"
    return "finished"


def progress_fields(stats: dict, spider: Any) -> dict:
    """Return the crawl run fields that reflect the crawl's stats right now."""
    def stat(name: str) -> int:
        return int(stats.get(name) or 0)

    def total(prefix: str) -> int:
        return sum(int(v) for k, v in stats.items() if k.startswith(prefix) and isinstance(v, (int, float)))

    fields = {
        "pages": stat("response_received_count"),
        "found": stat("item_scraped_count"),
        "new": stat("jobos/store/new"),
        "updated": stat("jobos/store/updated") + stat("jobos/store/reopened"),
        "unchanged": stat("jobos/store/unchanged"),
        "closed": stat("jobos/store/closed"),
        "dropped": total("jobos/dropped/"),
        "llm_calls": stat("jobos/llm/calls"),
        "errors": total("jobos/errors/"),
    }
    step = getattr(spider, "current_step", None)
    if step:
        fields["step"] = str(step)[:200]
    return fields


def error_summary(stats: dict, spider: Any) -> str | None:
    """Return the crawl's errors in one line ('failed: ...; store_write: 3; http_429: 2')."""
    parts = []
    reason = getattr(spider, "failed_reason", None)
    if reason:
        parts.append(f"failed: {reason}")
    errors = sorted((k.removeprefix("jobos/errors/"), v) for k, v in stats.items()
                    if k.startswith("jobos/errors/"))
    parts += [f"{name}: {count}" for name, count in errors]
    # Notes a person should see on the crawl page (the UI turns these keys into sentences).
    notes = sorted((k.removeprefix("jobos/"), v) for k, v in stats.items()
                   if k.startswith(_NOTE_PREFIXES) and v)
    parts += [f"{name}: {count}" for name, count in notes]
    for reason in getattr(spider, "partial_reasons", None) or []:
        parts.append(f"partial: {reason}")
    return "; ".join(parts)[:2000] or None


_NOTE_PREFIXES = (
    "jobos/discovery/search/blocked/",
    "jobos/discovery/search/failed",
    "jobos/discovery/not_found",
    "jobos/budget_exhausted",
    "jobos/llm/unavailable",
    "jobos/llm/pending",
    "jobos/llm/breaker_open",
)


class CrawlRunExtension:
    """Creates or adopts the crawl run row and flushes progress into it."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.interval = crawler.settings.getfloat("JOBOS_PROGRESS_INTERVAL", 3.0)
        self.store: BaseStore | None = None
        self.crawl_id: int | None = None
        self._started = False  # the run row exists and says running
        self._loop: task.LoopingCall | None = None
        crawler.signals.connect(self.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(self.spider_closed, signal=signals.spider_closed)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> CrawlRunExtension:
        return cls(crawler)

    def _store(self) -> BaseStore | None:
        if self.store is None:
            try:
                self.store = store_from_settings(self.crawler.settings)
            except Exception as exc:  # noqa: BLE001
                self._error("open", exc)
        return self.store

    def _error(self, what: str, exc: Exception) -> None:
        self.crawler.stats.inc_value("jobos/progress/errors")
        logger.warning("crawl run: %s failed (%s: %s)", what, type(exc).__name__, exc)

    def spider_opened(self, spider: Any) -> None:
        args = getattr(spider, "args", None)
        self.crawl_id = getattr(args, "crawl_id", None)
        self._start_run(spider)
        if self.interval > 0:
            self._loop = task.LoopingCall(self.flush, spider)
            self._loop.start(self.interval, now=False)

    def _start_run(self, spider: Any) -> bool:
        """Create (command line) or adopt (API) the run row and mark it running; True when done.

        When the database is down at start, flush() and spider_closed() try again, so a crawl
        that began during an outage still gets its run row.
        """
        if self._started:
            return True
        store = self._store()
        if store is None:
            return False
        args = getattr(spider, "args", None)
        if not self.crawl_id and getattr(spider, "failed_reason", None):
            # Bad arguments: the crawl stops before any request, and said so on stderr; a run
            # row would be an empty 'failed' run with no company. (The API's runs exist already.)
            self._started = True
            return True
        try:
            if not self.crawl_id:
                raw = args.model_dump() if hasattr(args, "model_dump") else {}
                try:
                    self.crawl_id = store.create_crawl_run(raw, requested_by=_who(), source="cli")
                except CrawlActive as exc:
                    self._refuse(spider, str(exc))
                    return True
                if args is not None:
                    try:
                        args.crawl_id = self.crawl_id
                    except Exception:  # noqa: BLE001 - a frozen model keeps its value
                        pass
            fields = {"status": "running", "started_at": datetime.now(timezone.utc)}
            row = store.get_crawl_run(self.crawl_id) or {}
            if not row.get("node"):  # the API records the scrapyd node it chose; keep it
                fields["node"] = os.environ.get("JOBOS_NODE") or os.uname().nodename
            # scrapyd passes its job id as the spider argument _job (older versions also
            # set SCRAPY_JOB); a crawl scheduled straight through schedule.json has only this.
            job = getattr(spider, "scrapyd_job", None) or os.environ.get("SCRAPY_JOB")
            if job:
                fields["scrapyd_job_id"] = job
            store.update_crawl_run(self.crawl_id, **fields)
            self._started = True
        except CrawlActive as exc:  # this run was ended (died?) and another crawl took over
            self.crawl_id = None
            self._refuse(spider, str(exc))
        except Exception as exc:  # noqa: BLE001
            self._error("start", exc)
        if self.crawl_id:
            self.crawler.stats.set_value("jobos/crawl_id", int(self.crawl_id))
            spider.crawl_id = int(self.crawl_id)
        return self._started

    def _refuse(self, spider: Any, message: str) -> None:
        """Stop a command-line crawl of a company another crawl is already reading."""
        # One crawl of a company at a time: the spider refuses to start (as for a bad
        # argument) and this crawl writes no run row and closes no job.
        self._started = True
        self.crawler.stats.set_value("jobos/refused/already_running", 1)
        if not getattr(spider, "failed_reason", None):
            try:
                spider.failed_reason = message
            except Exception:  # noqa: BLE001 - a spider without the attribute
                pass
        logger.error("%s", message)
        # `scrapy crawl` exits non-zero when the crawler ends without a spider (the careers
        # spider refuses bad arguments the same way).
        self.crawler.signals.connect(self._exit_non_zero, signal=signals.engine_stopped)

    def _exit_non_zero(self) -> None:
        self.crawler.spider = None

    def flush(self, spider: Any) -> None:
        """Write the live counts into the crawl run row."""
        if not self._start_run(spider) or not self.crawl_id or self._store() is None:
            return
        try:
            self.store.update_crawl_run(self.crawl_id, **progress_fields(self.crawler.stats.get_stats(), spider))
        except Exception as exc:  # noqa: BLE001
            self._error("progress", exc)

    def spider_closed(self, spider: Any, reason: str) -> None:
        if self._loop is not None and self._loop.running:
            self._loop.stop()
        for attempt in range(3):
            if self._start_run(spider):
                break
            time.sleep(1.0 * (attempt + 1))
        if not self.crawl_id:
            return
        stats = self.crawler.stats.get_stats()
        fields = progress_fields(stats, spider)
        fields.update(status=final_status(spider, reason), finished_at=datetime.now(timezone.utc),
                      error_summary=error_summary(stats, spider))
        for attempt in range(3):
            store = self._store()
            if store is not None:
                try:
                    store.update_crawl_run(self.crawl_id, **fields)
                    break
                except Exception as exc:  # noqa: BLE001
                    self._error("finish", exc)
            if attempt < 2:
                time.sleep(1.0 * (attempt + 1))
        if self.store is not None:
            try:
                self.store.close()
            except Exception:  # noqa: BLE001
                pass
            self.store = None


def _who() -> str | None:
    try:
        return getpass.getuser()
    except Exception:  # noqa: BLE001
        return None
