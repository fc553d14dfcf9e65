"""Item pipelines, in order (see settings.ITEM_PIPELINES). Each is thin and calls one module."""
from __future__ import annotations

import asyncio
import logging

from itemadapter import ItemAdapter
from scrapy.exceptions import DropItem

from jobos.llm.pipeline import LlmExtractionPipeline
from jobos.normalize.pipelines import (
    CountryFilterPipeline,
    MarkdownPipeline,
    NormalizePipeline,
    ValidatePipeline,
)
from jobos.store.pipeline import StorePipeline

logger = logging.getLogger(__name__)


class DedupPipeline:
    """Drops a job already seen in this crawl (same board and id), stops at max_jobs.

    It also counts what leaves the crawl: jobs per source and per method.
    """

    def __init__(self, crawler):
        self.crawler = crawler
        self.seen: set[tuple[str, str]] = set()
        self.kept = 0

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def process_item(self, item):
        adapter = ItemAdapter(item)
        key = (adapter.get("board") or adapter.get("source") or "", str(adapter.get("external_id")))
        stats = self.crawler.stats
        if key in self.seen:
            stats.inc_value("jobos/dropped/duplicate")
            raise DropItem(f"duplicate of {key[0]} job {key[1]}")
        spider = self.crawler.spider
        max_jobs = getattr(getattr(spider, "args", None), "max_jobs", None)
        if max_jobs and self.kept >= max_jobs:
            stats.inc_value("jobos/dropped/max_jobs")
            raise DropItem("max_jobs reached")
        self.seen.add(key)
        self.kept += 1
        stats.inc_value(f"jobos/jobs/source/{adapter.get('source')}")
        stats.inc_value(f"jobos/jobs/method/{adapter.get('method')}")
        if max_jobs and self.kept >= max_jobs:
            # Not every job was read: the crawl is partial, so it closes none in the store.
            spider.mark_partial(f"max_jobs={max_jobs} reached")
            # Not awaited: the engine closes the spider after this item has gone through.
            asyncio.ensure_future(self.crawler.engine.close_spider_async(reason="max_jobs"))
        return item


__all__ = [
    "MarkdownPipeline",
    "LlmExtractionPipeline",
    "NormalizePipeline",
    "ValidatePipeline",
    "CountryFilterPipeline",
    "DedupPipeline",
    "StorePipeline",
]
