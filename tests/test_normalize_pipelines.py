"""The normalize pipelines, driven through a real Scrapy crawler object."""
from __future__ import annotations

import logging
from datetime import datetime, timezone
from types import SimpleNamespace

import pytest
from scrapy import Spider
from scrapy.exceptions import DropItem
from scrapy.utils.test import get_crawler

from jobos.items import JobItem
from jobos.normalize.pipelines import (
    CountryFilterPipeline,
    MarkdownPipeline,
    NormalizePipeline,
    ValidatePipeline,
)


class _Spider(Spider):
    name = "normalize-test"


def _crawler(**spider_attrs):
    crawler = get_crawler(_Spider)
    crawler.spider = crawler._create_spider()
    for key, value in spider_attrs.items():
        setattr(crawler.spider, key, value)
    return crawler


def test_markdown_pipeline():
    crawler = _crawler()
    pipe = MarkdownPipeline.from_crawler(crawler)
    item = JobItem(title="x", url="https://a.com", description_html="<h2>Role</h2><script>x()</script><p onclick='y()'>Hi</p>")
    out = pipe.process_item(item)
    assert out["description"] == "## Role\n\nHi"
    assert "script" not in out["description_html"] and "onclick" not in out["description_html"]
    kept = pipe.process_item(JobItem(description="Already markdown", description_html="<p>x</p>"))
    assert kept["description"] == "Already markdown"
    html_in_description = pipe.process_item({"description": "<p>Hello <b>there</b></p>"})
    assert html_in_description["description"] == "Hello **there**"
    assert crawler.stats.get_value("jobos/markdown/converted") == 3


def test_normalize_pipeline_uses_crawl_time_and_counts():
    crawler = _crawler(crawl_time=datetime(2026, 1, 10, tzinfo=timezone.utc))
    pipe = NormalizePipeline.from_crawler(crawler)
    item = pipe.process_item({"title": "x", "url": "https://a.com/j", "posted_text": "Posted 3 Days Ago", "country": "Narnia"})
    assert item["posted_at"] == "2026-01-07"
    assert crawler.stats.get_value("jobos/normalize/country_invalid") == 1
    assert crawler.stats.get_value("jobos/normalize/external_id_missing") == 1


def test_normalize_pipeline_without_crawl_time_uses_now():
    crawler = _crawler()
    item = NormalizePipeline.from_crawler(crawler).process_item({"title": "x", "url": "https://a.com/j", "posted_text": "Posted Today"})
    assert item["posted_at"] == datetime.now(timezone.utc).date().isoformat()


def test_validate_pipeline_drops_counts_and_logs_once(caplog):
    crawler = _crawler()
    pipe = ValidatePipeline.from_crawler(crawler)
    assert pipe.process_item({"title": "x", "url": "https://a.com/"})["title"] == "x"
    with caplog.at_level(logging.WARNING):
        for n in range(3):
            with pytest.raises(DropItem):
                pipe.process_item({"url": f"https://a.com/{n}"})
    with pytest.raises(DropItem):
        pipe.process_item({"title": "x", "url": "javascript:alert(1)"})
    assert crawler.stats.get_value("jobos/dropped/no_title") == 3
    assert crawler.stats.get_value("jobos/dropped/bad_url_scheme") == 1
    no_title_logs = [r for r in caplog.records if "no_title" in r.getMessage()]
    assert len(no_title_logs) == 1 and "https://a.com/0" in no_title_logs[0].getMessage()


def test_country_filter_pipeline():
    crawler = _crawler(args=SimpleNamespace(country="DE"))
    pipe = CountryFilterPipeline.from_crawler(crawler)
    assert pipe.process_item({"url": "u1", "country": "DE"})
    assert pipe.process_item({"url": "u2", "location": "Remote"})
    assert pipe.process_item({"url": "u3", "location": "Somewhere"})
    with pytest.raises(DropItem):
        pipe.process_item({"url": "u4", "country": "US", "location": "New York, NY"})
    assert crawler.stats.get_value("jobos/filtered/country") == 1


def test_country_filter_without_args_keeps_everything():
    for crawler in (_crawler(), _crawler(args=SimpleNamespace(country=None))):
        pipe = CountryFilterPipeline.from_crawler(crawler)
        assert pipe.process_item({"url": "u", "country": "US"})


def test_normalize_pipeline_uses_the_crawls_country_for_towns_of_one_name():
    # Valencia, Venezuela is the bigger place; a Spanish company's crawl means Valencia, Spain.
    crawl_time = datetime(2026, 9, 1, tzinfo=timezone.utc)
    for country, expected in (("ES", "ES"), (None, "VE")):
        crawler = _crawler(crawl_time=crawl_time, args=SimpleNamespace(country=country))
        pipe = NormalizePipeline.from_crawler(crawler)
        out = pipe.process_item(JobItem(title="x", url="https://a.com/1", location="Valencia"))
        assert out["country"] == expected


def test_country_filter_can_exclude_unknown_country():
    item = JobItem(title="x", url="https://a.com/1", location="Somewhere Unknown")
    keep = CountryFilterPipeline.from_crawler(_crawler(args=SimpleNamespace(country="DE")))
    assert keep.process_item(item) is item
    drop = CountryFilterPipeline.from_crawler(
        _crawler(args=SimpleNamespace(country="DE", unknown_country="exclude")))
    with pytest.raises(DropItem):
        drop.process_item(item)
