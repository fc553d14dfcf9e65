"""Starting, retrying and cancelling crawl runs on scrapyd (shared by the API and the CLI)."""
from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass
from typing import Any, Callable

from jobos.args import CrawlArgs

from api.nodes import NoNodeAvailable, NodeError, ScrapydCluster

logger = logging.getLogger(__name__)

ACTIVE = ("pending", "running")
MAX_ATTEMPTS = 2  # the first try and one automatic retry


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


class CrawlUnavailable(Exception):
    """scrapyd could not take the crawl; the run has been marked failed."""

    def __init__(self, crawl_id: int, message: str):
        super().__init__(message)
        self.crawl_id = crawl_id
        self.message = message


@dataclass
class Started:
    crawl_id: int
    existing: bool
    status: str


def spider_args(args: CrawlArgs | dict[str, Any], crawl_id: int) -> dict[str, Any]:
    """Return the `-a` arguments for the careers spider (strings, no empty values)."""
    raw = args.model_dump() if isinstance(args, CrawlArgs) else dict(args)
    raw["crawl_id"] = crawl_id
    out: dict[str, Any] = {}
    for key, value in raw.items():
        if value is None or key not in CrawlArgs.model_fields:
            continue
        if isinstance(value, bool):
            if not value:
                continue
            value = "true"
        out[key] = value
    return out


def job_id(crawl_id: int, attempt: int) -> str:
    """Return the scrapyd job id we give a crawl run's attempt (findable in listjobs)."""
    return f"jobos-{crawl_id}-{attempt}"


class CrawlService:
    """Creates crawl runs and sends them to scrapyd; never leaves a run pending on failure."""

    def __init__(
        self,
        store: Any,
        cluster: ScrapydCluster,
        spider: str = "careers",
        on_event: Callable[[str], None] | None = None,
    ):
        self.store = store
        self.cluster = cluster
        self.spider = spider
        self.on_event = on_event or (lambda name: None)

    def start(self, args: CrawlArgs, requested_by: str, source: str = "api") -> Started:
        """Return the new crawl run (or the active one for the same company and country).

        The store's unique index on active runs decides: of two triggers at the same moment
        (two API workers), one creates the run and dispatches it, the other gets that run.
        """
        stored = args.model_dump(exclude={"crawl_id"}, exclude_none=True, exclude_defaults=True)
        stored["company"] = args.company
        run, created = self.store.start_crawl_run(stored, requested_by, source)
        if not created:
            return Started(crawl_id=int(run["id"]), existing=True, status=run["status"])
        crawl_id = int(run["id"])
        self.dispatch(crawl_id, stored, attempt=1)
        return Started(crawl_id=crawl_id, existing=False, status="pending")

    def dispatch(self, crawl_id: int, args: dict[str, Any], attempt: int) -> None:
        """Schedule one attempt on scrapyd, or mark the run failed and raise CrawlUnavailable."""
        try:
            node, jobid = self.cluster.schedule(self.spider, spider_args(args, crawl_id), job_id(crawl_id, attempt))
        except NoNodeAvailable as exc:
            message = f"scrapyd is unavailable, the crawl could not start: {exc}"
            logger.error("crawl %s: %s", crawl_id, message)
            self.store.update_crawl_run(
                crawl_id, status="failed", error_summary=message[:1000], finished_at=utcnow(), attempts=attempt
            )
            self.on_event("failed")
            raise CrawlUnavailable(crawl_id, message) from None
        self.store.update_crawl_run(crawl_id, scrapyd_job_id=jobid, node=node, attempts=attempt)
        self.on_event("started")
        logger.info("crawl %s scheduled on %s as %s (attempt %s)", crawl_id, node, jobid, attempt)

    def retry(self, run: dict[str, Any]) -> bool:
        """Retry a failed run once; return True when it was sent to scrapyd again.

        The run is claimed with a compare-and-set (still failed, still at the attempts this
        caller read): of several API workers' monitors, one retries it, the others skip it.
        """
        attempts = int(run.get("attempts") or 0)
        attempt = max(attempts, 1) + 1
        reason = run.get("error_summary") or "unknown error"
        if not self.store.retry_crawl_run(run["id"], attempts, f"retrying after: {reason}"):
            logger.info("crawl %s: retried elsewhere (or its company has another active crawl)", run["id"])
            return False
        try:
            self.dispatch(run["id"], run.get("args") or {}, attempt=attempt)
        except CrawlUnavailable:
            return False
        return True

    def cancel(self, run: dict[str, Any]) -> str:
        """Cancel a run on its node (if any) and mark it cancelled; return its new status."""
        if run["status"] not in ACTIVE:
            return run["status"]
        if run.get("node") and run.get("scrapyd_job_id"):
            try:
                self.cluster.cancel(run["node"], run["scrapyd_job_id"])
            except NodeError as exc:
                # The node is gone: nothing runs there any more, so cancelled is still true.
                logger.warning("cancel of crawl %s on %s failed: %s", run["id"], run["node"], exc)
        self.store.update_crawl_run(run["id"], status="cancelled", finished_at=utcnow())
        return "cancelled"
