"""Thin Scrapy item pipelines, each calling one normalize module (see docs/INTERFACES.md)."""
from __future__ import annotations

import logging
import re
import threading
from datetime import datetime, timezone
from typing import Any

from itemadapter import ItemAdapter
from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem

from jobos.normalize.html import sanitize_html, to_markdown
from jobos.normalize.language import load_language_model
from jobos.normalize.location import matches_country
from jobos.normalize.places import GAZETTEER
from jobos.normalize.record import normalize_item
from jobos.normalize.reference import load_reference_data
from jobos.normalize.validate import problems

logger = logging.getLogger(__name__)

_LOOKS_LIKE_HTML = re.compile(r"</?(p|div|br|ul|ol|li|h[1-6]|strong|span)\b|&lt;(p|div|ul|li)\b", re.I)


class _CrawlerPipeline:
    """Base: keeps the crawler (Scrapy >= 2.14 passes no spider to process_item)."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.stats = crawler.stats

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> _CrawlerPipeline:
        return cls(crawler)

    @property
    def spider(self) -> Any:
        return getattr(self.crawler, "spider", None)


class MarkdownPipeline(_CrawlerPipeline):
    """description_html -> markdown description (when missing); description_html sanitized."""

    def process_item(self, item: Any) -> Any:
        adapter = ItemAdapter(item)
        raw = adapter.get("description_html")
        description = adapter.get("description")
        if not raw and isinstance(description, str) and _LOOKS_LIKE_HTML.search(description):
            # A producer put HTML where markdown belongs: treat it as the HTML description.
            raw, description = description, None
        if isinstance(raw, str) and raw.strip():
            if not description:
                adapter["description"] = to_markdown(raw) or None
            adapter["description_html"] = sanitize_html(raw) or None
            self.stats.inc_value("jobos/markdown/converted")
        elif "description_html" in adapter:
            adapter["description_html"] = None
        return item


class NormalizePipeline(_CrawlerPipeline):
    """Runs normalize_item with the spider's crawl time; counts jobos/normalize/<code>."""

    def open_spider(self, spider: Any = None) -> None:
        # The gazetteer takes a second or two to build: start it while discovery runs, so
        # the first job does not wait for all of it.
        threading.Thread(target=GAZETTEER.load, name="jobos-gazetteer", daemon=True).start()
        # The language model too, but here, before the first request: loaded by the first job,
        # it held the reactor for seconds on a loaded machine, and every download running
        # meanwhile timed out (13 of 22 job pages of a 3-company batch, 3 s timeout).
        try:
            load_language_model()
        except Exception:  # detection then answers None, as it does for any model problem
            logger.exception("language model not loaded")
        # The suffix list and the ISO tables (discovery ranks its first answers with them).
        try:
            load_reference_data()
        except Exception:  # then the first use loads them, as before
            logger.exception("reference data not loaded")

    def process_item(self, item: Any) -> Any:
        crawl_time = getattr(self.spider, "crawl_time", None)
        if not isinstance(crawl_time, datetime):
            crawl_time = datetime.now(timezone.utc)
        # The crawl's country is the company's: it decides between towns of one name.
        hint = getattr(getattr(self.spider, "args", None), "country", None)
        try:
            codes = normalize_item(item, crawl_time, country_hint=hint if isinstance(hint, str) else None)
        except Exception:  # a data problem must never end the crawl
            logger.exception("normalization failed for %s", ItemAdapter(item).get("url"))
            self.stats.inc_value("jobos/normalize/error")
            return item
        for code in codes:
            self.stats.inc_value(f"jobos/normalize/{code}")
        return item


class ValidatePipeline(_CrawlerPipeline):
    """Drops records without title or http(s) URL; counts jobos/dropped/<reason>."""

    def __init__(self, crawler: Crawler) -> None:
        super().__init__(crawler)
        self._logged: set[str] = set()

    def process_item(self, item: Any) -> Any:
        reason = problems(item)
        if reason is None:
            return item
        self.stats.inc_value(f"jobos/dropped/{reason}")
        url = ItemAdapter(item).get("url")
        if reason not in self._logged:
            self._logged.add(reason)
            logger.warning("dropping records: %s (first: %s); further drops are only counted", reason, url)
        raise DropItem(f"{reason}: {url}", log_level="DEBUG")


class CountryFilterPipeline(_CrawlerPipeline):
    """Drops jobs outside the crawl's country (spider.args.country); counts jobos/filtered/country."""

    def process_item(self, item: Any) -> Any:
        from jobos.batch import args_for  # batch mode: the item's company's arguments

        args = args_for(self.crawler, item)
        country = getattr(args, "country", None)
        # An `unknown_country` crawl argument of "exclude" drops jobs of unknown country too.
        include_unknown = getattr(args, "unknown_country", "include") != "exclude"
        if not country or matches_country(ItemAdapter(item), country, include_unknown):
            return item
        self.stats.inc_value("jobos/filtered/country")
        adapter = ItemAdapter(item)
        logger.debug("not in %s: %s (%s)", country, adapter.get("url"), adapter.get("location"))
        raise DropItem(f"outside {country}: {adapter.get('url')}", log_level="DEBUG")
