"""Downloader and spider middlewares: URL guard, request budget, backoff retries, crawl guard."""
from __future__ import annotations

import asyncio
import logging
import time
from email.utils import parsedate_to_datetime
from datetime import datetime, timezone
from typing import Any, AsyncIterator
from urllib.parse import urljoin

from scrapy import Request, signals
from scrapy.http.request import NO_CALLBACK
from scrapy.downloadermiddlewares.retry import RetryMiddleware, get_retry_request
from scrapy.exceptions import DontCloseSpider, DownloadTimeoutError, IgnoreRequest, NotConfigured
from scrapy.http import Response
from scrapy.utils.misc import load_object

from jobos import config
from jobos.ats.base import BadResponse, ProbeResult
from jobos.guard import refusal_reason, system_resolver

logger = logging.getLogger(__name__)


class SafeUrlMiddleware:
    """Refuses, before download, URLs to addresses that are not globally routable or non-http(s).

    Every request passes here, each redirect hop included (RedirectMiddleware's new requests go
    through the downloader middlewares again). IP literals are always checked. Host names are
    resolved and checked when the crawler resolves names itself (no proxy configured); behind a
    proxy, the proxy resolves them. The connection itself goes to an address the guard checked:
    this middleware installs jobos.egress's guarded resolver on the reactor, so the lookup Scrapy
    connects with refuses what the guard refuses (no second, unchecked lookup).
    JOBOS_ALLOW_PRIVATE=1 (node environment only) turns the guard off (development).
    """

    def __init__(self, crawler):
        settings = crawler.settings
        if settings.getbool("JOBOS_ALLOW_PRIVATE"):
            raise NotConfigured("JOBOS_ALLOW_PRIVATE is set: private targets are allowed")
        self.stats = crawler.stats
        resolver = settings.get("JOBOS_RESOLVER")  # dotted path, for tests (environment only)
        if resolver:
            self.resolver = load_object(resolver)
        else:
            self.resolver = None if config.proxy_url() else system_resolver
        self._install_resolver(load_object(resolver) if resolver else system_resolver)

    def _install_resolver(self, resolver) -> None:
        from twisted.internet import reactor

        from jobos.egress import make_guarded_resolver, proxy_hosts

        def refused(name: str, reason: str) -> None:
            short = reason.removeprefix("resolves_")
            self.stats.inc_value(f"jobos/refused/dns/{short}")
            self.stats.inc_value("jobos/refused")
            logger.warning("refused connection to %s (%s): not connected", name, reason)

        reactor.installResolver(make_guarded_resolver(reactor, resolver, proxy_hosts(), refused))

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def process_request(self, request: Request, spider=None):
        if request.meta.get("jobos_url_checked") == request.url:
            return None
        reason = refusal_reason(request.url, resolver=self.resolver)
        if reason:
            self.stats.inc_value(f"jobos/refused/{reason}")
            self.stats.inc_value("jobos/refused")
            logger.warning("refused %s (%s): not fetched", request.url, reason)
            raise IgnoreRequest(f"refused: {reason}")
        request.meta["jobos_url_checked"] = request.url
        return None


class RedirectLoopMiddleware:
    """Turns a redirect back to a URL already visited into a counted failure.

    Scrapy's duplicate filter would silently drop it (the job behind it would vanish without a
    trace); this raises IgnoreRequest("redirect loop ..."), which the spider's errback counts and
    treats as a lost page. Runs just before RedirectMiddleware sees the response.
    """

    def __init__(self, crawler):
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def process_response(self, request: Request, response: Response, spider=None):
        if response.status not in (301, 302, 303, 307, 308) or "Location" not in response.headers:
            return response
        if request.meta.get("dont_redirect") or response.status in request.meta.get(
            "handle_httpstatus_list", ()
        ):
            return response
        location = response.headers["Location"].decode("latin-1")
        target = urljoin(request.url, location).split("#", 1)[0]
        visited = {request.url.split("#", 1)[0], *request.meta.get("redirect_urls", ())}
        if target in visited:
            self.crawler.stats.inc_value("jobos/errors/redirect_loop")
            raise IgnoreRequest(f"redirect loop: {request.url} -> {target}")
        return response


class RequestBudgetMiddleware:
    """Counts requests; past JOBOS_REQUEST_BUDGET the rest are dropped and the crawl is partial."""

    def __init__(self, crawler):
        self.budget = crawler.settings.getint("JOBOS_REQUEST_BUDGET")
        self.crawler = crawler
        self.used = 0
        self.warned = False

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def process_request(self, request: Request, spider=None):
        if self.budget <= 0 or request.meta.get("jobos_budgeted"):
            return None
        if self.used >= self.budget:
            spider = self.crawler.spider
            if not self.warned:
                logger.warning("request budget of %d reached: the crawl ends as partial", self.budget)
                self.warned = True
                self.crawler.stats.set_value("jobos/budget_exhausted", True)
                if spider is not None:
                    spider.mark_partial("request budget reached")
            self.crawler.stats.inc_value("jobos/budget_dropped")
            raise IgnoreRequest("request budget reached")
        self.used += 1
        request.meta["jobos_budgeted"] = True
        return None


def retry_after_seconds(value: bytes | str | None) -> float | None:
    """Return the delay a Retry-After header asks for (seconds or HTTP date), or None."""
    if not value:
        return None
    text = value.decode("latin-1") if isinstance(value, bytes) else value
    text = text.strip()
    if text.isdigit():
        return float(text)
    try:
        when = parsedate_to_datetime(text)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)
    return max(0.0, (when - datetime.now(timezone.utc)).total_seconds())


# Requests that look for the career page: their failures never make a crawl partial, and their
# retries are never put off (a probe is a guess: it fails fast).
DISCOVERY_TIERS = frozenset({"probe", "search", "guess"})


class RetryLater(IgnoreRequest):
    """A failed request whose retry waits until the crawl's queue drains: not a failure (yet)."""


class BackoffRetryMiddleware(RetryMiddleware):
    """Scrapy's retries, with exponential backoff and Retry-After honoured (bounded), and retries
    put off until the crawl's queue drains where retrying at once would only fail again.

    - 429/5xx answers and connection errors are retried at once with backoff (RETRY_TIMES).
    - A timeout is not: the host (or the crawler's own machine) is overloaded, and another try
      in the same crowd times out too. Its retries (still RETRY_TIMES) wait until nothing else
      is queued or downloading, and at least JOBOS_RETRY_BACKOFF_BASE * 2**attempt seconds,
      each with twice the previous download timeout (at most 4x DOWNLOAD_TIMEOUT).
    - A request that failed for good for one of those transient reasons gets
      JOBOS_RETRY_LAST_CHANCE more tries once the queue drains (at most 3): the rest of the crawl
      (in batch mode, every other company) is read first, then what failed is tried again.
      Only then does the spider's errback see the failure (and its company turn partial).

    Discovery requests (probes, search, domain guesses) and robots.txt are never put off. The crawl does not
    end while a put-off retry waits; each is bounded, so nothing is retried forever.
    Stats: jobos/retry/later (put off), jobos/retry/last_chance, jobos/retry/later_released,
    jobos/retry/later_recovered (a put-off retry that got an answer).
    """

    def __init__(self, settings, crawler=None):
        super().__init__(settings)
        self.backoff_base = settings.getfloat("JOBOS_RETRY_BACKOFF_BASE", 1.0)
        self.retry_after_max = settings.getfloat("JOBOS_RETRY_AFTER_MAX", 60)
        self.timeouts_later = settings.getbool("JOBOS_RETRY_TIMEOUTS_LATER", True)
        self.last_chance = max(0, min(3, settings.getint("JOBOS_RETRY_LAST_CHANCE", 1)))
        self.crawler_ref = crawler
        self.later: list[tuple[float, Request]] = []  # (not before, monotonic seconds; request)
        self._release_call = None

    @classmethod
    def from_crawler(cls, crawler):
        mw = cls(crawler.settings, crawler)
        mw.crawler = crawler
        crawler.signals.connect(mw.spider_idle, signal=signals.spider_idle)
        crawler.signals.connect(mw.spider_closed, signal=signals.spider_closed)
        return mw

    async def process_response(self, request: Request, response: Response, spider=None):
        if request.meta.get("jobos_retry_later") and response.status not in self.retry_http_codes:
            self.crawler.stats.inc_value("jobos/retry/later_recovered")
        if request.meta.get("dont_retry") or response.status not in self.retry_http_codes:
            return response
        attempt = request.meta.get("retry_times", 0)
        delay = retry_after_seconds(response.headers.get("Retry-After"))
        stats = self.crawler.stats
        if delay is not None and delay > self.retry_after_max:
            stats.inc_value("jobos/retry/retry_after_too_long")
            logger.warning(
                "%s asks to retry after %.0f s (more than %.0f s): giving up on it",
                request.url, delay, self.retry_after_max,
            )
            return response
        if delay is None:
            delay = self.backoff_base * (2**attempt)
        if self._used_up(request):
            self._last_chance(request, f"{response.status}")  # raises RetryLater when it may
        new = get_retry_request(
            request,
            spider=self.crawler.spider,
            reason=f"{response.status}",
            max_retry_times=request.meta.get("max_retry_times", self.max_retry_times),
            priority_adjust=self.priority_adjust,
            stats_base_key="retry",
        )
        if new is None:
            return response
        if delay > 0:
            stats.inc_value("jobos/retry/backoff_seconds", int(delay))
            await asyncio.sleep(delay)
        return new

    def process_exception(self, request: Request, exception: Exception, spider=None):
        if not isinstance(exception, self.exceptions_to_retry) or request.meta.get("dont_retry"):
            return None
        reason = f"{type(exception).__module__}.{type(exception).__name__}"
        if self._used_up(request):
            self._last_chance(request, reason, timeout=_is_timeout(exception))  # raises RetryLater when it may
            return self._retry(request, exception)  # None: the give-up, logged and counted
        new = self._retry(request, exception)
        if new is not None and self.timeouts_later and _is_timeout(exception) and _may_wait(request):
            self._longer_timeout(new)
            self._put_off(request, new, "later", reason)  # raises RetryLater
        return new

    def _longer_timeout(self, request: Request) -> None:
        """Give a timed-out request's retry twice the time, up to 4x DOWNLOAD_TIMEOUT."""
        base = self.crawler.settings.getfloat("DOWNLOAD_TIMEOUT")
        current = float(request.meta.get("download_timeout") or base)
        request.meta["download_timeout"] = min(2 * current, 4 * base)

    # --- retries put off until the queue drains ---------------------------------------------
    def _used_up(self, request: Request) -> bool:
        limit = request.meta.get("max_retry_times", self.max_retry_times)
        return request.meta.get("retry_times", 0) >= limit

    def _last_chance(self, request: Request, reason: str, timeout: bool = False) -> None:
        """Put off one more try of a request whose retries are used up, when it has one left."""
        used = request.meta.get("jobos_last_chance", 0)
        if used >= self.last_chance or not _may_wait(request):
            return
        new = request.replace(dont_filter=True, priority=request.priority + self.priority_adjust)
        new.meta["jobos_last_chance"] = used + 1
        if timeout:
            self._longer_timeout(new)
        self._put_off(request, new, "last_chance", reason)

    def _put_off(self, request: Request, new: Request, kind: str, reason: str) -> None:
        attempt = new.meta.get("retry_times", 0) + new.meta.get("jobos_last_chance", 0)
        new.meta["jobos_retry_later"] = True
        not_before = time.monotonic() + self.backoff_base * (2 ** max(0, attempt - 1))
        self.later.append((not_before, new))
        self.crawler.stats.inc_value(f"jobos/retry/{kind}")
        logger.info("%s failed (%s): tried again once the queue drains (%s)", request.url, reason,
                    kind.replace("_", " "))
        # This request is done; its retry carries the callbacks. Without an errback, Scrapy
        # drops an IgnoreRequest silently: the spider never sees a failure that is not one.
        request.errback = None
        raise RetryLater(f"retried later: {request.url}")

    def spider_idle(self, spider=None) -> None:
        """Nothing queued or downloading: send the put-off retries that are due (keep the crawl open)."""
        if not self.later:
            return
        if self._release_call is None or not self._release_call.active():
            from twisted.internet import reactor

            wait = max(0.0, min(t for t, _ in self.later) - time.monotonic())
            self._release_call = reactor.callLater(wait, self._release)
        raise DontCloseSpider("retries wait for the queue to drain")

    def _release(self) -> None:
        now = time.monotonic()
        due = [r for t, r in self.later if t <= now]
        self.later = [(t, r) for t, r in self.later if t > now]
        for request in due:
            self.crawler.engine.crawl(request)
        self.crawler.stats.inc_value("jobos/retry/later_released", len(due))

    def spider_closed(self, spider=None, reason: str = "") -> None:
        if self._release_call is not None and self._release_call.active():
            self._release_call.cancel()
        if self.later:
            # Only a crawl stopped early (not "finished") ends with retries waiting: its
            # companies are not complete, so nothing is closed on their account.
            self.crawler.stats.set_value("jobos/retry/later_dropped", len(self.later))
            logger.warning("crawl ended (%s) with %d retries still waiting: not sent", reason,
                           len(self.later))
            self.later = []


def _is_timeout(exception: Exception) -> bool:
    from twisted.internet.error import TCPTimedOutError, TimeoutError as TwistedTimeoutError

    return isinstance(exception, (DownloadTimeoutError, TimeoutError, TwistedTimeoutError,
                                  TCPTimedOutError))


def _may_wait(request: Request) -> bool:
    """True when a request's retry may be put off: not discovery (it fails fast), and one the
    scheduler sent (robots.txt and other NO_CALLBACK requests are awaited by their caller)."""
    return request.meta.get("jobos_tier") not in DISCOVERY_TIERS and request.callback is not NO_CALLBACK


class CrawlGuardSpiderMiddleware:
    """Keeps one bad page from hurting the crawl.

    - every request gets the spider's errback when it has none (failures are counted, and a
      failed board request marks the crawl partial);
    - BadResponse (truncated JSON...) and other callback errors are counted and logged once
      with the URL, never crash the crawl; jobs already yielded are kept; outside discovery
      they make the crawl (in batch mode: the response's company) partial;
    - ProbeResult objects (ATS slug probes) go to the spider to judge, not to the pipelines.
    """

    def __init__(self, crawler):
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    async def process_start(self, start: AsyncIterator[Any]):
        # Start requests skip process_spider_output: they need the errback too, or a failed
        # first board call or careers page would surface only as a logged exception.
        spider = self.crawler.spider
        async for obj in start:
            yield self._prepare(obj, spider)

    async def process_spider_output(self, response, result: AsyncIterator[Any], spider=None):
        spider = self.crawler.spider
        async for obj in result:
            if isinstance(obj, ProbeResult):
                for out in spider.handle_probe(obj, response):
                    yield self._prepare(out, spider)
                continue
            yield self._prepare(obj, spider)

    def _prepare(self, obj: Any, spider) -> Any:
        if isinstance(obj, Request) and obj.errback is None:
            obj.errback = spider.on_request_error
        return obj

    def process_spider_exception(self, response, exception, spider=None):
        spider = self.crawler.spider
        stats = self.crawler.stats
        tier = response.meta.get("jobos_tier", "page")
        if isinstance(exception, BadResponse):
            stats.inc_value("jobos/errors/bad_response")
            logger.warning("unreadable response from %s: %s", response.url, exception)
        else:
            stats.inc_value(f"jobos/errors/callback/{type(exception).__name__}")
            logger.exception("error parsing %s", response.url, exc_info=exception)
        if tier not in DISCOVERY_TIERS:
            # A board, listing or job page whose callback failed may hold jobs the crawl did not
            # read: closing "missing" jobs after it would close live ones. Discovery is exempt.
            from jobos.batch import company_of  # batch mode: only the response's company

            what = "board response" if tier == "api" else "page"
            (company_of(response) or spider).mark_partial(f"unreadable {what} from {response.url}")
        return []
