"""The browser (Playwright's driver) starts only for crawls that render a page."""
from __future__ import annotations

from tests.crawl import run_crawl

STARTED = "Starting download handler"  # scrapy-playwright's line when its driver starts


def test_api_board_crawl_never_starts_playwright(web):
    result = run_crawl(web, company="Blue Harbor", careers_url="https://boards.greenhouse.io/blueharbor")
    assert result.returncode == 0, result.stderr[-2000:]
    assert len(result.items) > 0
    assert STARTED not in result.log
    assert not any(k.startswith("playwright/") for k in result.stats)


def test_page_that_needs_javascript_starts_it_once(web):
    result = run_crawl(web, company="Kestrel Analytique", careers_url="https://jobs.kestrel-analytique.fr/")
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.log.count(STARTED) == 1
    assert result.stats.get("jobos/render/pages") == 1
    assert len(result.items) > 0
