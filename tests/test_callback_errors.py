"""A callback that fails on a board, listing or job page makes the crawl partial (so it closes
no job it did not read); a failing discovery callback does not."""
from __future__ import annotations

import pytest
from scrapy.http import HtmlResponse, Request
from scrapy.utils.test import get_crawler

from jobos.middlewares import CrawlGuardSpiderMiddleware
from jobos.spiders.careers import CareersSpider


def _crawl():
    crawler = get_crawler(CareersSpider)
    crawler.spider = crawler._create_spider(company="Acme GmbH", country="DE",
                                            careers_url="https://www.acme.example/jobs")
    crawler.stats.open_spider()
    return crawler, CrawlGuardSpiderMiddleware.from_crawler(crawler)


def _response(tier: str) -> HtmlResponse:
    request = Request("https://www.acme.example/jobs/7", meta={"jobos_tier": tier})
    return HtmlResponse(request.url, body=b"<html></html>", request=request)


@pytest.mark.parametrize("tier", ["page", "api"])
def test_a_failed_page_callback_makes_the_crawl_partial(tier):
    crawler, middleware = _crawl()
    assert middleware.process_spider_exception(_response(tier), OSError("disk full")) == []
    assert crawler.spider.partial is True
    assert any("acme.example/jobs/7" in reason for reason in crawler.spider.partial_reasons)
    assert crawler.stats.get_value("jobos/errors/callback/OSError") == 1


@pytest.mark.parametrize("tier", ["probe", "search", "guess"])
def test_a_failed_discovery_callback_does_not(tier):
    crawler, middleware = _crawl()
    middleware.process_spider_exception(_response(tier), ValueError("odd answer"))
    assert crawler.spider.partial is False
    assert crawler.stats.get_value("jobos/errors/callback/ValueError") == 1
