"""One JSON object per log line (JOBOS_LOG_FORMAT=json), with the crawl id on every line."""
from __future__ import annotations

import json
import logging
from datetime import datetime, timezone

from scrapy import signals
from scrapy.exceptions import NotConfigured


class JsonFormatter(logging.Formatter):
    """Formats a record as one JSON object: time, level, logger, message, and context fields."""

    def __init__(self, context=None, **fixed: object):
        super().__init__()
        self.fixed = {k: v for k, v in fixed.items() if v is not None}
        self.context = context  # callable returning more fields, read at each line

    def _fields(self) -> dict:
        fields = dict(self.fixed)
        if self.context is not None:
            try:
                fields.update({k: v for k, v in self.context().items() if v is not None})
            except Exception:  # logging must never fail because of its context
                pass
        return fields

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": datetime.fromtimestamp(record.created, timezone.utc).isoformat(
                timespec="milliseconds"
            ),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            **self._fields(),
        }
        for key in ("crawl_id", "request_id", "user"):
            value = getattr(record, key, None)
            if value is not None:
                entry[key] = value
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, default=str, ensure_ascii=False)


def use_json_logs(context=None, **fixed: object) -> None:
    """Switch every handler of the root logger to JSON lines carrying the given fields."""
    formatter = JsonFormatter(context, **fixed)
    for handler in logging.getLogger().handlers:
        handler.setFormatter(formatter)


class JsonLogExtension:
    """With JOBOS_LOG_FORMAT=json, the crawl logs JSON lines with its crawl id and scrapyd job."""

    def __init__(self, crawler):
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler):
        if crawler.settings.get("JOBOS_LOG_FORMAT", "text") != "json":
            raise NotConfigured  # (no message: Scrapy would warn on every crawl)
        ext = cls(crawler)
        crawler.signals.connect(ext.spider_opened, signal=signals.spider_opened)
        ext._apply()
        return ext

    def _context(self) -> dict:
        spider = getattr(self.crawler, "spider", None)
        return {
            "spider": getattr(spider, "name", None),
            "crawl_id": getattr(getattr(spider, "args", None), "crawl_id", None),
            "scrapyd_job": getattr(spider, "scrapyd_job", None),
        }

    def _apply(self) -> None:
        use_json_logs(self._context)

    def spider_opened(self, spider):
        # The crawl id may be known only now (a command-line crawl creates its own run row).
        self._apply()
