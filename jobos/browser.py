"""A scrapy-playwright download handler that starts Playwright only when a page needs it, and
whose browser reaches the network only through the egress proxy (jobos.egress).

scrapy-playwright starts its Playwright driver (a Node.js process) when the engine starts, for
every crawl. Most crawls read ATS APIs and plain HTML and never render a page, so JobOS starts
the driver on the first request that asks for the browser (meta "playwright"), once.

Before the browser starts, an EgressProxy is started on 127.0.0.1 and given to Chromium (and to
every context) as its only proxy, loopback included: every navigation, redirect hop,
subresource, beacon, iframe and worker request is checked there by the SSRF guard. Service
workers are blocked and WebSockets refused in every context; a page whose final response was
refused (or sits at an address the guard refuses) is dropped, never parsed.
"""
from __future__ import annotations

import asyncio
import logging
import re

from scrapy.exceptions import IgnoreRequest
from scrapy.utils.misc import load_object
from scrapy_playwright.handler import ScrapyPlaywrightDownloadHandler

from jobos import config
from jobos.egress import EgressProxy
from jobos.guard import refusal_reason

logger = logging.getLogger(__name__)

_ANY_URL = re.compile(r".*")


class LazyPlaywrightDownloadHandler(ScrapyPlaywrightDownloadHandler):
    """ScrapyPlaywrightDownloadHandler, minus the start-up launch: the browser is lazy, and
    its every connection goes through the egress proxy."""

    _jobos_launch_lock: asyncio.Lock | None = None

    def __init__(self, crawler):
        super().__init__(crawler)
        settings = crawler.settings
        self._jobos_allow_private = settings.getbool("JOBOS_ALLOW_PRIVATE")
        resolver = settings.get("JOBOS_RESOLVER")  # dotted path, for tests (environment only)
        self._jobos_resolver = load_object(resolver) if resolver else None
        self._jobos_egress: EgressProxy | None = None
        self._jobos_stats = crawler.stats

    def _jobos_refused(self, what: str, reason: str) -> None:
        self._jobos_stats.inc_value("jobos/refused/browser")
        self._jobos_stats.inc_value(f"jobos/refused/browser/{reason}")
        logger.warning("browser request refused %s (%s)", what, reason)

    async def _jobos_start_egress(self) -> None:
        self._jobos_egress = EgressProxy(
            resolver=self._jobos_resolver, upstream=config.proxy_url(), no_proxy=config.no_proxy(),
            on_refused=self._jobos_refused, allow_private=self._jobos_allow_private,
        )
        await self._jobos_egress.start()
        # No bypass list: Playwright then adds <-loopback>, so loopback goes through it too.
        self.config.launch_options = {**self.config.launch_options, "proxy": {"server": self._jobos_egress.url}}

    def _jobos_lock_down(self, request) -> None:
        """Context options no request may change: our proxy, no service workers, no
        persistent profile; and a page init that refuses WebSockets."""
        kwargs = dict(request.meta.get("playwright_context_kwargs") or {})
        kwargs.pop("user_data_dir", None)
        kwargs["proxy"] = {"server": self._jobos_egress.url}
        kwargs["service_workers"] = "block"
        request.meta["playwright_context_kwargs"] = kwargs
        original = request.meta.get("playwright_page_init_callback")
        if getattr(original, "_jobos_locked", False):
            return
        if isinstance(original, str):
            original = load_object(original)
        refused = self._jobos_refused

        async def init_page(page, req):
            async def no_websocket(ws):
                refused(ws.url, "websocket")
                await ws.close(code=1008, reason="WebSockets are off")

            await page.route_web_socket(_ANY_URL, no_websocket)
            if original is not None:
                await original(page, req)

        init_page._jobos_locked = True
        request.meta["playwright_page_init_callback"] = init_page

    async def _download_request(self, request, spider=None):
        if getattr(self, "browser_provider", None) is None:
            if self._jobos_launch_lock is None:
                self._jobos_launch_lock = asyncio.Lock()
            async with self._jobos_launch_lock:
                if getattr(self, "browser_provider", None) is None:
                    if self.config.cdp_url or self.config.connect_url:
                        raise IgnoreRequest("refused: a remote browser cannot be held to the egress guard")
                    if self._jobos_egress is None:
                        await self._jobos_start_egress()
                    logger.info("first page that needs a browser: starting Playwright")
                    await self._launch()
        self._jobos_lock_down(request)
        response = await super()._download_request(request, spider)
        reason = None
        marker = response.headers.get("X-JobOS-Refused")
        if marker:
            reason = marker.decode("latin-1")
        elif not self._jobos_allow_private and not response.url.startswith(("about:", "data:", "blob:")):
            reason = refusal_reason(response.url)  # where the page ended (no network for about:/data:)
        if reason:
            self._jobos_refused(response.url, reason)
            raise IgnoreRequest(f"refused: the browser ended at {response.url} ({reason})")
        return response

    async def _close(self) -> None:
        await super()._close()
        if self._jobos_egress is not None:
            await self._jobos_egress.close()
            self._jobos_egress = None

    async def _maybe_launch_in_thread(self) -> None:  # engine_started (Scrapy >= 2.14)
        return None

    def _engine_started(self):  # engine_started (older Scrapy)
        return None

