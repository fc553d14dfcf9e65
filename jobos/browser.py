"""A scrapy-playwright download handler that starts Playwright only when a page needs it.

scrapy-playwright starts its Playwright driver (a Node.js process) when the engine starts, for
every crawl. Most crawls read ATS APIs and plain HTML and never render a page, so JobOS starts
the driver on the first request that asks for the browser (meta "playwright"), once.
"""
from __future__ import annotations

import asyncio
import logging

from scrapy_playwright.handler import ScrapyPlaywrightDownloadHandler

logger = logging.getLogger(__name__)


class LazyPlaywrightDownloadHandler(ScrapyPlaywrightDownloadHandler):
    """ScrapyPlaywrightDownloadHandler, minus the start-up launch: the browser is lazy."""

    _jobos_launch_lock: asyncio.Lock | None = None

    async def _maybe_launch_in_thread(self) -> None:  # engine_started (Scrapy >= 2.14)
        return None

    def _engine_started(self):  # engine_started (older Scrapy)
        return None

    async def _download_request(self, request, spider=None):
        if getattr(self, "browser_provider", None) is None:
            if self._jobos_launch_lock is None:
                self._jobos_launch_lock = asyncio.Lock()
            async with self._jobos_launch_lock:
                if getattr(self, "browser_provider", None) is None:
                    logger.info("first page that needs a browser: starting Playwright")
                    await self._launch()
        return await super()._download_request(request, spider)
