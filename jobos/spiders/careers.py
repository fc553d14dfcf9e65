"""The `careers` spider: company + country -> discovery -> boards -> jobs.

It only routes (which request, which callback); extraction lives in jobos/ats/ and jobos/pages/,
discovery in jobos/discovery/ (driven by DiscoveryMixin), generic sites in SiteMixin.
"""
from __future__ import annotations

import logging
import sys
from datetime import datetime, timezone
from typing import Any, Iterable

import scrapy
from scrapy.exceptions import CloseSpider

from jobos import lockdown
from jobos.args import CrawlArgs, CrawlArgsError, parse_crawl_args
from jobos.ats import BoardContext
from jobos.conditional import BoardUnchanged, mark_listing
from jobos.batch import (CompaniesFileError, CompanyRun, company_of, company_started,
                         read_companies_file)
from jobos.spiders.discovery import DiscoveryMixin
from jobos.spiders.site import SiteMixin

logger = logging.getLogger(__name__)


class CareersSpider(DiscoveryMixin, SiteMixin, scrapy.Spider):
    """Find a company's career page and collect every open job there."""

    name = "careers"

    def __init__(self, *args: Any, **kwargs: Any):
        # scrapyd adds _job (its job id); other underscore arguments are scrapyd's too.
        self.scrapyd_job: str | None = kwargs.pop("_job", None)
        raw = {k: v for k, v in kwargs.items() if not k.startswith("_")}
        companies_file = raw.pop("companies_file", None)
        super().__init__(*args)
        self.crawl_time = datetime.now(timezone.utc)
        self.partial = False
        self.partial_reasons: list[str] = []
        self.failed_reason: str | None = None
        self.current_step = "starting"
        self.discovery_result: dict | None = None
        self.boards_seen: set[str] = set()
        # Batch mode (-a companies_file=...): one CompanyRun per company, and which company each
        # board belongs to; empty for a single-company crawl.
        self.companies: list[CompanyRun] = []
        self.board_owner: dict[str, CompanyRun] = {}
        if companies_file is not None:
            self._init_batch(str(companies_file), raw)
            return
        try:
            self.args: CrawlArgs = parse_crawl_args(raw)
        except CrawlArgsError as exc:
            # One line, on stderr and in the log; the crawl then stops before any request and
            # the process exits non-zero (see _refuse_bad_arguments).
            self.failed_reason = str(exc)
            self.args = CrawlArgs.model_construct(
                company=str(raw.get("company") or ""), country=None, careers_url=None,
                max_jobs=None, render="auto", crawl_id=_int_or_none(raw.get("crawl_id")),
                extract_pending=False,
            )

    def _init_batch(self, path: str, raw: dict) -> None:
        others = sorted(raw)
        self.args = CrawlArgs.model_construct(
            company="batch", country=None, careers_url=None, max_jobs=None, render="auto",
            crawl_id=None, extract_pending=False,
        )
        if others:
            self.failed_reason = (f"with companies_file, give each company's details in the file "
                                  f"(not also: {', '.join(others)})")
            return
        try:
            companies = read_companies_file(path)
        except CompaniesFileError as exc:
            self.failed_reason = str(exc)
            return
        self.companies = [CompanyRun(self, args, i) for i, args in enumerate(companies)]
        self.args = self.args.model_copy(update={"company": f"{len(companies)} companies"})

    @classmethod
    def update_settings(cls, settings) -> None:
        super().update_settings(settings)
        # Security settings come from the node's environment, never from the crawl's caller.
        lockdown.enforce(settings)

    @classmethod
    def from_crawler(cls, crawler, *args: Any, **kwargs: Any):
        spider = super().from_crawler(crawler, *args, **kwargs)
        if spider.companies and not crawler.settings.frozen:
            # The request budget is per company: a batch of N gets N budgets.
            budget = crawler.settings.getint("JOBOS_REQUEST_BUDGET")
            if budget > 0:
                # At the priority it was given with (-s on the command line is above "spider").
                priority = crawler.settings.getpriority("JOBOS_REQUEST_BUDGET") or 0
                crawler.settings.set("JOBOS_REQUEST_BUDGET", budget * len(spider.companies),
                                     priority=max(priority, 30))
        if spider.failed_reason:
            crawler.signals.connect(spider._refuse_bad_arguments, scrapy.signals.engine_stopped)
        return spider

    # --- lifecycle --------------------------------------------------------------------------
    def board_context(self) -> BoardContext:
        return BoardContext(
            company=self.args.company,
            country=self.args.country,
            crawl_time=self.crawl_time,
            company_domain=(self.discovery_result or {}).get("company_domain"),
            max_jobs=self.args.max_jobs,
            stats=self.crawler.stats,
        )

    async def start(self):
        if self.failed_reason:
            print(f"jobos: {self.failed_reason}", file=sys.stderr, flush=True)
            logger.error("%s", self.failed_reason)
            raise CloseSpider("bad_arguments")
        if self.companies:
            self.crawler.stats.set_value("jobos/batch/companies", len(self.companies))
            self.set_step("board")
            for company in self.companies:
                self.crawler.signals.send_catch_log(company_started, company=company)
                for request in company.start_requests_of_company():
                    yield request
            return
        self.crawler.stats.set_value("jobos/company", self.args.company)
        if self.args.country:
            self.crawler.stats.set_value("jobos/country", self.args.country)
        if self.args.extract_pending:
            await self.extract_pending()
        if self.args.careers_url:
            self.set_step("board")
            for request in self.route_url(self.args.careers_url, reason="careers_url given"):
                yield request
        else:
            self.set_step("discovery")
            for request in self.discover():
                yield request

    async def extract_pending(self) -> None:
        """Run LLM extraction for records an earlier crawl left pending (-a extract_pending=1)."""
        from jobos.llm.models import LlmConfig, make_chat_model_from_config
        from jobos.llm.pending import extract_pending
        from jobos.store.pipeline import store_from_settings

        self.set_step("extraction")
        try:
            config = LlmConfig.load(self.settings)
            store = store_from_settings(self.settings)
        except Exception as exc:  # a missing store or bad LLM config must not stop the crawl
            logger.warning("pending extraction skipped: %s", exc)
            self.crawler.stats.inc_value("jobos/errors/extract_pending")
            return
        try:
            counts = await extract_pending(
                store, make_chat_model_from_config(config), None,
                budget=config.token_budget, model_name=config.model,
            )
            logger.info("pending extraction: %s", counts)
            for key, value in (counts or {}).items():
                if isinstance(value, (int, float)):
                    self.crawler.stats.set_value(f"jobos/extract_pending/{key}", value)
        except Exception as exc:
            logger.warning("pending extraction failed: %s", exc)
            self.crawler.stats.inc_value("jobos/errors/extract_pending")
        finally:
            store.close()

    def _refuse_bad_arguments(self) -> None:
        # `scrapy crawl` exits 0 when a spider closes normally and 1 when the crawler ends
        # without a spider (CrawlerProcess.bootstrap_failed): a bad argument must exit non-zero,
        # without the traceback an exception from __init__ would print.
        self.crawler.spider = None

    # --- helpers shared by the mixins ---------------------------------------------------------
    def read_board(self, board, reason: str) -> Iterable[Any]:
        """Yield a board's first requests; a whole-list one is sent conditionally (jobos.conditional)."""
        for request in super().read_board(board, reason):
            yield mark_listing(request, board)

    def set_step(self, step: str) -> None:
        """Record the current step (discovery, board, site, extraction, storing) for progress."""
        if step != self.current_step:
            logger.info("step: %s", step)
        self.current_step = step
        self.crawler.stats.set_value("jobos/step", step)

    def mark_partial(self, reason: str) -> None:
        """Mark the crawl incomplete: it will close no jobs, and its run shows as partial.

        In batch mode this is the whole batch (a request budget reached): no company closes jobs.
        """
        if reason not in self.partial_reasons:
            logger.warning("crawl is partial: %s", reason)
            self.partial_reasons.append(reason)
        self.partial = True
        self.crawler.stats.set_value("jobos/partial", True)

    def on_request_error(self, failure) -> Iterable[Any]:
        """Count a failed request; mark the crawl partial when a job may have been lost.

        A failed board (API) request or listing page always does. A failed job page does too
        (5xx, reset, timeout, too large, redirect loop), unless the site says the job is gone
        (404/410): a crawl that missed a job must not close it in the store.
        """
        request = failure.request
        if isinstance(failure.value, BoardUnchanged):
            return []  # not a failure: the board is as the last complete crawl read it
        kind = failure.type.__name__ if failure.type else "Error"
        tier = request.meta.get("jobos_tier", "page")
        self.crawler.stats.inc_value(f"jobos/errors/{tier}/{kind}")
        target = company_of(request) or self  # in batch mode, only the request's company
        if target is not self:
            target.inc(f"jobos/errors/{tier}/{kind}")
        message = str(failure.value)
        if kind == "IgnoreRequest" and not _is_redirect_failure(message):
            return []  # refused by the URL guard, robots.txt or the budget (counted there)
        status = getattr(getattr(failure.value, "response", None), "status", None)
        logger.warning("request failed (%s, %s%s): %s", tier, kind,
                       f" {status}" if status else "", request.url)
        gone = status in (404, 410) and not request.meta.get("jobos_required")
        if tier == "api" or (tier == "page" and not gone):
            target.mark_partial(f"{kind}{f' {status}' if status else ''} fetching {request.url}")
        if tier == "api":
            return list(self.board_fallback(request, status))  # the page's own jobs, if any
        return []


def _is_redirect_failure(message: str) -> bool:
    return "max redirections" in message or "redirect loop" in message


def _int_or_none(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None
