"""One JSON object per log line (JOBOS_LOG_FORMAT=json), with the crawl id on every line."""
from __future__ import annotations

import json
import logging
from datetime import datetime, timezone

from scrapy import signals
from scrapy.exceptions import NotConfigured


class JsonFormatter(logging.Formatter):
    """Formats a record as one JSON object: time, level, logger, message, and context fields."""

    def __init__(self, **context: object):
        super().__init__()
        self.context = {k: v for k, v in context.items() if v is not None}

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": datetime.fromtimestamp(record.created, timezone.utc).isoformat(
                timespec="milliseconds"
            ),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            **self.context,
        }
        for key in ("crawl_id", "request_id", "user"):
            value = getattr(record, key, None)
            if value is not None:
                entry[key] = value
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, default=str, ensure_ascii=False)


def use_json_logs(**context: object) -> None:
    """Switch every handler of the root logger to JSON lines carrying `context`."""
    formatter = JsonFormatter(**context)
    for handler in logging.getLogger().handlers:
        handler.setFormatter(formatter)


class JsonLogExtension:
    """With JOBOS_LOG_FORMAT=json, the crawl logs JSON lines with its crawl id and scrapyd job."""

    def __init__(self, crawler):
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler):
        if crawler.settings.get("JOBOS_LOG_FORMAT", "text") != "json":
            raise NotConfigured("JOBOS_LOG_FORMAT is not json")
        ext = cls(crawler)
        crawler.signals.connect(ext.spider_opened, signal=signals.spider_opened)
        ext._apply()
        return ext

    def _apply(self) -> None:
        spider = getattr(self.crawler, "spider", None)
        args = getattr(spider, "args", None)
        use_json_logs(
            spider=getattr(spider, "name", None),
            crawl_id=getattr(args, "crawl_id", None),
            scrapyd_job=getattr(spider, "scrapyd_job", None),
        )

    def spider_opened(self, spider):
        # The crawl id may be known only now (a command-line crawl creates its own run row).
        self._apply()
