"""Scrapy extensions used by JobOS."""
from __future__ import annotations

import json
import logging

from scrapy import signals
from scrapy.exceptions import NotConfigured

from jobos.store.progress import CrawlRunExtension

logger = logging.getLogger(__name__)


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


__all__ = ["CrawlRunExtension", "StatsFileExtension"]
