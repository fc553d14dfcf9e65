"""Browser decisions: does a page need JavaScript, and the scrapy-playwright request for it.

The browser is the most expensive tier: a page is rendered only when its HTML shows it cannot
be read without JavaScript (an empty body, an app shell such as `<div id="root"></div>` with
scripts, a `noscript` "enable JavaScript" notice), and at most once. `render=always|never`
overrides the decision. Whatever the browser fetches by itself (XHR, scripts, redirect hops)
goes through the egress proxy jobos.browser starts (jobos.egress), which applies the SSRF guard;
`abort_request` skips heavy resources and refuses private IP literals before that.
"""
from __future__ import annotations

import logging
import re
from typing import Any

import lxml.html
import scrapy
from scrapy.http import Response, TextResponse

from jobos.guard import refusal_reason

logger = logging.getLogger(__name__)

CONTEXT_NAME = "jobos"
MAX_CLICKS = 30  # "load more" clicks per page
MAX_SCROLLS = 30  # infinite-scroll steps per page
# Below this much visible text a page with scripts is treated as an app shell.
SHELL_TEXT_CHARS = 200
NOSCRIPT_TEXT_CHARS = 1500

_MOUNT_IDS = {"root", "app", "__next", "___gatsby", "__nuxt", "q-app", "svelte", "main-app", "application"}
_MOUNT_TAGS = {"app-root"}  # Angular
_SPA_MARKERS = (
    "window.__NUXT__", "__NEXT_DATA__", "ng-version", "data-reactroot", "data-server-rendered",
    "window.__INITIAL_STATE__",
)
# "enable JavaScript" in the languages discovery speaks.
_NOSCRIPT = re.compile(
    r"(enable|turn on|activate)\s+javascript|javascript\s+(is\s+)?(required|disabled|must be enabled)"
    r"|javascript\s+(aktivieren|einschalten)|aktivieren\s+sie\s+javascript|javascript\s+ist\s+deaktiviert"
    r"|activer\s+(le\s+)?javascript|activez\s+javascript|javascript\s+est\s+d[ée]sactiv"
    r"|habilita(r)?\s+javascript|activa(r)?\s+javascript|javascript\s+inschakelen"
    r"|abilita(re)?\s+javascript|ativ(e|ar)\s+o\s+javascript|aktiver\s+javascript"
    r"|sl[åa]\s+p[åa]\s+javascript",
    re.I,
)
# Resources the browser need not load to show a page's text.
_SKIP_RESOURCES = {"image", "media", "font"}


def _visible_text_length(doc) -> int:
    body = doc.find(".//body")
    if body is None:
        body = doc
    total = 0
    for node in body.iter():
        if node.tag in ("script", "style", "noscript", "template", "svg") or not isinstance(node.tag, str):
            continue
        for text in (node.text, node.tail if node is not body else None):
            if text:
                total += len(text.strip())
    return total


def needs_browser(response: Response) -> str | None:
    """Return why a page cannot be read without JavaScript ('empty_body', 'app_shell',
    'noscript_notice', 'spa_marker'), or None when its HTML can be read as it is."""
    if not isinstance(response, TextResponse):
        return None
    ctype = (response.headers.get("Content-Type") or b"").decode("latin-1").lower()
    if ctype and "html" not in ctype:
        return None
    text = response.text
    if not text.strip():
        return "empty_body"
    try:
        doc = lxml.html.fromstring(text)
    except (ValueError, lxml.etree.ParserError):
        return "empty_body"
    visible = _visible_text_length(doc)
    scripts = doc.xpath("//script[@src or string-length(normalize-space(.)) > 0]")
    mount = any(
        (el.get("id") or "").lower() in _MOUNT_IDS and _visible_text_length(el) < SHELL_TEXT_CHARS
        for el in doc.xpath("//*[@id]")
    ) or any(True for _ in doc.iter(*_MOUNT_TAGS))
    if scripts and visible < SHELL_TEXT_CHARS and mount:
        return "app_shell"
    notice = any(_NOSCRIPT.search(ns.text_content() or "") for ns in doc.iter("noscript"))
    if notice and visible < NOSCRIPT_TEXT_CHARS:
        return "noscript_notice"
    if scripts and visible < SHELL_TEXT_CHARS:
        if any(marker in text for marker in _SPA_MARKERS):
            return "spa_marker"
        if visible == 0:
            return "empty_body"
    return None


# --- page methods -------------------------------------------------------------------------
async def wait_for_quiet(page, timeout_ms: int = 10_000) -> bool:
    """Wait until the page's network is idle; a page that never goes quiet (long polling, a
    hostile page holding a request open) is read as it is after `timeout_ms`. True when idle."""
    try:
        await page.wait_for_load_state("networkidle", timeout=timeout_ms)
        return True
    except Exception as exc:  # Playwright's TimeoutError: read what is there
        logger.info("%s did not go quiet within %d ms (%s): reading it as it is",
                    page.url, timeout_ms, type(exc).__name__)
        return False


async def click_until_gone(page, selector: str, max_clicks: int = MAX_CLICKS, pause_ms: int = 400) -> int:
    """Click a "load more" button until it disappears or stops adding content; return clicks."""
    clicks = 0
    for _ in range(max_clicks):
        button = page.locator(selector).first
        try:
            if not await button.count() or not await button.is_visible() or await button.is_disabled():
                break
            before = await page.evaluate("document.body.innerText.length")
            await button.click(timeout=5000)
            clicks += 1
            await page.wait_for_load_state("networkidle", timeout=10_000)
            await page.wait_for_timeout(pause_ms)
            if await page.evaluate("document.body.innerText.length") <= before:
                break
        except Exception as exc:  # a stale or covered button ends the clicking, not the page
            logger.debug("load-more click on %s stopped: %s", selector, exc)
            break
    return clicks


async def scroll_to_end(page, max_scrolls: int = MAX_SCROLLS, pause_ms: int = 600) -> int:
    """Scroll an infinite-scroll page until its height stops growing; return scroll steps."""
    steps = 0
    height = await page.evaluate("document.body.scrollHeight")
    for _ in range(max_scrolls):
        await page.evaluate("window.scrollTo(0, document.body.scrollHeight)")
        steps += 1
        try:
            await page.wait_for_load_state("networkidle", timeout=10_000)
        except Exception:
            pass
        await page.wait_for_timeout(pause_ms)
        new_height = await page.evaluate("document.body.scrollHeight")
        if new_height <= height:
            break
        height = new_height
    return steps


def page_methods(*, load_more: str | None = None, infinite_scroll: bool = False,
                 wait_for: str | None = None) -> list[Any]:
    """Return the scrapy-playwright PageMethods that make a page show all its jobs."""
    from scrapy_playwright.page import PageMethod

    methods: list[Any] = [PageMethod(wait_for_quiet)]
    if wait_for:
        methods.append(PageMethod("wait_for_selector", wait_for, timeout=10_000, state="attached"))
    if load_more:
        methods.append(PageMethod(click_until_gone, load_more))
    if infinite_scroll:
        methods.append(PageMethod(scroll_to_end))
    return methods


def browser_request(
    request: scrapy.Request,
    settings,
    reason: str,
    *,
    load_more: str | None = None,
    infinite_scroll: bool = False,
    wait_for: str | None = None,
) -> scrapy.Request:
    """Return a copy of `request` that scrapy-playwright renders in the browser.

    The context options (proxy certificate policy...) come from JOBOS_BROWSER_CONTEXT and are
    passed per request, so the browser starts only when a page needs it.
    """
    meta = dict(request.meta)
    meta.update({
        "playwright": True,
        "playwright_context": CONTEXT_NAME,
        "playwright_context_kwargs": dict(settings.getdict("JOBOS_BROWSER_CONTEXT") or {}),
        "playwright_page_methods": page_methods(
            load_more=load_more, infinite_scroll=infinite_scroll, wait_for=wait_for),
        "jobos_rendered": reason,
    })
    return request.replace(meta=meta, dont_filter=True)


def is_rendered(response: Response) -> bool:
    """True when the response came from the browser."""
    return bool(response.meta.get("jobos_rendered"))


def abort_request(playwright_request) -> bool:
    """Return True for browser sub-requests that must not be made (PLAYWRIGHT_ABORT_REQUEST):
    images, fonts and media (not needed to read a page), and URLs the SSRF guard refuses."""
    if playwright_request.resource_type in _SKIP_RESOURCES:
        return True
    url = playwright_request.url
    if url.startswith(("data:", "blob:", "about:")):
        return False
    reason = refusal_reason(url)
    if reason:
        logger.warning("browser request refused %s (%s)", url, reason)
        return True
    return False
