"""A batch's crawl run rows (jobos.extensions.CrawlRunExtension): created off the reactor, the
companies started in one turn together, each company still with its own row."""
from __future__ import annotations

import asyncio
import threading
from datetime import datetime
from types import SimpleNamespace

from scrapy import Spider
from scrapy.utils.test import get_crawler
from twisted.internet import defer

from jobos import extensions
from jobos.extensions import CrawlRunExtension


class _Store:
    """Records each call and the thread it came from."""

    def __init__(self):
        self.calls: list[tuple[str, str]] = []
        self.rows: dict[int, dict] = {}
        self.closed = False

    def create_crawl_run(self, args, requested_by=None, source="cli"):
        self.calls.append(("create", threading.current_thread().name))
        crawl_id = 1000 + len(self.rows)
        self.rows[crawl_id] = {"company": args["company"], "source": source}
        return crawl_id

    def update_crawl_run(self, crawl_id, **fields):
        self.calls.append(("update", threading.current_thread().name))
        self.rows[crawl_id].update(fields)

    def close(self):
        self.closed = True


class _Reactor:
    def __init__(self):
        self.later: list = []

    def callLater(self, delay, fn, *args):  # noqa: N802 - Twisted's name
        self.later.append((fn, args))

    def run_later(self):
        later, self.later = self.later, []
        for fn, args in later:
            fn(*args)


def _company(index: int, crawl_id: int | None = None):
    return SimpleNamespace(index=index, crawl_id=crawl_id, stats={}, current_step="board", partial=False,
                           partial_reasons=[], started=True,
                           args=SimpleNamespace(model_dump=lambda i=index: {"company": f"Company {i}"}))


def _extension(monkeypatch):
    ext = CrawlRunExtension(get_crawler(Spider))
    ext.store = store = _Store()
    reactor = _Reactor()
    monkeypatch.setattr(extensions, "_reactor", lambda: reactor, raising=False)
    writes: list[int] = []

    def in_thread(fn, *args):
        # The real thread pool fires its Deferred through the running reactor; here the work
        # runs in a thread of its own and the Deferred fires when it is done.
        out = []
        thread = threading.Thread(target=lambda: out.append(fn(*args)), name="runs-thread")
        thread.start()
        thread.join()
        writes.append(len(args[0]))
        return defer.succeed(out[0])

    ext._in_thread = in_thread
    return ext, store, reactor, writes


def test_a_batch_creates_its_run_rows_together_off_the_reactor(monkeypatch):
    ext, store, reactor, writes = _extension(monkeypatch)
    companies = [_company(i) for i in range(50)]
    companies[7].crawl_id = 77  # a row the API created: adopted, not created again
    store.rows[77] = {"company": "Company 7", "source": "api"}
    before = datetime.now().astimezone()
    for company in companies:
        ext.company_started(company)
    # Nothing written in the signal handler (on the reactor): one write is scheduled for all.
    assert store.calls == [] and len(reactor.later) == 1
    reactor.run_later()
    assert writes == [50]
    assert {thread for _, thread in store.calls} == {"runs-thread"}
    assert sum(1 for call, _ in store.calls if call == "create") == 49
    # Each company its own row, running since its own start, in the order they started.
    assert ext._batch == companies
    ids = [c.crawl_id for c in companies]
    assert len(set(ids)) == 50 and ids[7] == 77
    for company in companies:
        row = store.rows[company.crawl_id]
        assert row["company"] == f"Company {company.index}" and row["status"] == "running"
        assert row["started_at"] >= before and row["node"]

    # A company started later gets its row in a write of its own.
    late = _company(50)
    ext.company_started(late)
    reactor.run_later()
    assert writes == [50, 1] and late.crawl_id and ext._batch[-1] is late


def test_a_company_started_just_before_the_close_still_gets_its_row_and_status(monkeypatch):
    ext, store, reactor, writes = _extension(monkeypatch)
    company = _company(0)
    ext.company_started(company)  # its scheduled write has not run when the crawl closes
    spider = SimpleNamespace(companies=[company], partial=False, failed_reason=None)
    asyncio.run(ext.spider_closed(spider, "finished"))
    assert writes == [1]
    row = store.rows[company.crawl_id]
    assert row["status"] == "finished" and row["started_at"] and row["finished_at"]
    assert store.closed


def test_a_failing_row_write_is_counted_and_the_close_still_ends(monkeypatch):
    ext, store, reactor, writes = _extension(monkeypatch)

    def broken(fn, *args):
        return defer.fail(OSError("the thread pool is gone"))

    ext._in_thread = broken
    company = _company(0)
    ext.company_started(company)
    spider = SimpleNamespace(companies=[company], partial=False, failed_reason=None)
    asyncio.run(ext.spider_closed(spider, "finished"))  # returns: nothing left waiting
    assert ext.crawler.stats.get_value("jobos/progress/errors") == 1
    assert store.closed and not store.rows
