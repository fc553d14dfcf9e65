"""Batch progress (jobos.extensions.CrawlRunExtension.flush): a company's run row is written when
its progress changed, not every few seconds regardless: each write holds the reactor, and with
it every download running in the batch."""
from __future__ import annotations

from types import SimpleNamespace

from scrapy import Spider
from scrapy.utils.test import get_crawler

from jobos import extensions
from jobos.extensions import CrawlRunExtension


class _Store:
    def __init__(self):
        self.writes: list[tuple[int, dict]] = []

    def update_crawl_run(self, crawl_id, **fields):
        self.writes.append((crawl_id, fields))


def _company(index: int):
    return SimpleNamespace(index=index, crawl_id=100 + index, stats={}, current_step="board")


def test_only_companies_whose_progress_changed_are_written(monkeypatch):
    ext = CrawlRunExtension(get_crawler(Spider))
    ext.store = store = _Store()
    companies = [_company(i) for i in range(3)]
    ext._batch = list(companies)
    spider = SimpleNamespace(companies=companies)

    ext.flush(spider)
    assert sorted(c for c, _ in store.writes) == [100, 101, 102]  # first flush: every row
    store.writes.clear()
    ext.flush(spider)
    assert store.writes == []  # nothing changed: nothing written
    companies[1].stats["response_received_count"] = 4
    ext.flush(spider)
    assert [(c, f["pages"]) for c, f in store.writes] == [(101, 4)]
    store.writes.clear()

    # An unchanged company is still written once a heartbeat, so it never looks stale.
    clock = [extensions.time.monotonic() + extensions.HEARTBEAT + 1]
    monkeypatch.setattr(extensions.time, "monotonic", lambda: clock[0])
    ext.flush(spider)
    assert sorted(c for c, _ in store.writes) == [100, 101, 102]
