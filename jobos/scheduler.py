"""The refresh scheduler: which companies are due, when each is next, and one pass that starts them.

Each company is refreshed every `interval` (JOBOS_REFRESH_INTERVAL, or its own override). So a
fleet added at once does not run in the same minute, every company has a fixed phase within its
interval, derived from its id (the same in every process): its refreshes fall on the times t
with (t - phase) divisible by the interval. The next refresh is the first such time at least half
an interval after its last crawl (or the scheduler's last start): the first gap is between half
and one and a half intervals, and every later one is exactly an interval.

A scheduled run that fails (or is cancelled) backs its company off: the next try comes after
JOBOS_SCHEDULER_BACKOFF_BASE seconds, doubling with each failure in a row, capped at
JOBOS_SCHEDULER_BACKOFF_MAX (or the interval, when longer). Any run of the company that
finishes (partial included), whoever started it, resets it (store: update_crawl_run).

Crawls are started one per company through the API's CrawlService (one crawl run row each,
dispatched to the least busy scrapyd node, failing over), not as batch files: scrapyd's
schedule.json carries arguments, not files, so a companies file would have to exist on every
node beforehand, and a per-company run created before dispatch is what keeps the store's
one-active-run-per-company rule and lets each outcome be judged on its own.
"""
from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass
from functools import lru_cache
from datetime import datetime, timedelta, timezone
from typing import Any, Callable, Iterable

from jobos.config import env_int
from jobos.store.crawls import ENDED_OK
from jobos.store.records import parse_timestamp

logger = logging.getLogger(__name__)

EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)
REQUESTED_BY = "scheduler"  # who asked for the crawl runs it starts
SOURCE = "scheduler"  # their source (crawl_runs.source): the API says so, the crawls page shows "scheduled"
LEASE_NAME = "scheduler"


@dataclass(frozen=True)
class SchedulePolicy:
    """The scheduler's settings (seconds), read from the environment."""

    interval: int = 86400
    backoff_base: int = 3600
    backoff_max: int = 7 * 86400
    batch: int = 100
    # Crawls a node may have queued before the scheduler adds more (scrapyd runs max_proc at a
    # time; the rest wait): a backlog stays in the store, due, not in the nodes' queues.
    max_pending: int = 50
    # The crawl monitor retries a failed run once, a minute later: a failed run younger than
    # this, that may still be retried, is not judged yet.
    failed_final_after: int = 900
    max_attempts: int = 2
    # After every node refused a crawl (each refusal leaves a failed run), wait before trying again.
    refused_pause: int = 300

    @classmethod
    def from_env(cls) -> SchedulePolicy:
        policy = cls(
            interval=env_int("JOBOS_REFRESH_INTERVAL", 86400),
            backoff_base=env_int("JOBOS_SCHEDULER_BACKOFF_BASE", 3600),
            backoff_max=env_int("JOBOS_SCHEDULER_BACKOFF_MAX", 7 * 86400),
            batch=env_int("JOBOS_SCHEDULER_BATCH", 100),
            max_pending=env_int("JOBOS_SCHEDULER_MAX_PENDING", 50),
        )
        for name, value in (("JOBOS_REFRESH_INTERVAL", policy.interval),
                            ("JOBOS_SCHEDULER_BACKOFF_BASE", policy.backoff_base),
                            ("JOBOS_SCHEDULER_BACKOFF_MAX", policy.backoff_max),
                            ("JOBOS_SCHEDULER_BATCH", policy.batch),
                            ("JOBOS_SCHEDULER_MAX_PENDING", policy.max_pending)):
            if value < 1:
                raise ValueError(f"{name} must be a positive number of seconds (or companies), got {value}")
        return policy

    def interval_of(self, company: dict[str, Any]) -> int:
        """Return the company's refresh interval in seconds (its own, else the default)."""
        return int(company.get("refresh_interval") or self.interval)

    def backoff(self, failures: int, interval: int | None = None) -> timedelta:
        """Return the wait after `failures` failed runs in a row (doubling, capped)."""
        cap = max(self.backoff_max, interval or 0)
        seconds = self.backoff_base * 2 ** min(max(failures, 1) - 1, 40)
        return timedelta(seconds=min(seconds, cap))


@lru_cache(maxsize=1 << 17)
def phase(company_id: int, interval: int) -> int:
    """Return the company's offset within its interval, in seconds (stable across processes)."""
    digest = hashlib.sha256(f"jobos-refresh:{int(company_id)}".encode()).digest()
    return int.from_bytes(digest[:8], "big") % max(1, int(interval))


def next_slot(at: datetime, company_id: int, interval: int) -> datetime:
    """Return the company's first refresh time at or after `at`."""
    seconds = int((at - EPOCH).total_seconds() // 1)
    offset = phase(company_id, interval)
    slot = seconds - ((seconds - offset) % interval)
    if slot < seconds or EPOCH + timedelta(seconds=slot) < at:
        slot += interval
    return EPOCH + timedelta(seconds=slot)


def next_refresh_at(company: dict[str, Any], policy: SchedulePolicy) -> datetime:
    """Return when the company is next due: its backoff after failures, else its next slot."""
    interval = policy.interval_of(company)
    backoff_until = parse_timestamp(company.get("backoff_until"))
    if int(company.get("refresh_failures") or 0) > 0 and backoff_until is not None:
        return backoff_until
    anchors = [t for t in (parse_timestamp(company.get("last_crawl_at")),
                           parse_timestamp(company.get("scheduled_at"))) if t is not None]
    if anchors:
        return next_slot(max(anchors) + timedelta(seconds=interval // 2), company["id"], interval)
    # Never crawled: its first slot after it was added.
    created = parse_timestamp(company.get("created_at")) or EPOCH
    return next_slot(created, company["id"], interval)


def due_companies(companies: Iterable[dict[str, Any]], policy: SchedulePolicy, now: datetime,
                  active: set[str] = frozenset()) -> list[dict[str, Any]]:
    """Return the companies due at `now`, most overdue first, without those with an active crawl
    (or a scheduled run whose outcome is not judged yet)."""
    due = []
    for company in companies:
        if company.get("scheduled_run_id") or company.get("normalized_name") in active:
            continue
        when = next_refresh_at(company, policy)
        if when <= now:
            due.append((when, int(company["id"]), company))
    due.sort(key=lambda t: (t[0], t[1]))
    return [c for _, _, c in due]


def run_outcome(run: dict[str, Any] | None, policy: SchedulePolicy, now: datetime) -> bool | None:
    """Return True (succeeded), False (failed for good) or None (not ended yet) for a run."""
    if run is None:
        return False  # the run is gone: it cannot have succeeded
    status = run.get("status")
    if status in ENDED_OK:
        return True
    if status == "cancelled":
        return False
    if status == "failed":
        ended = parse_timestamp(run.get("finished_at")) or parse_timestamp(run.get("updated_at")) or now
        may_be_retried = run.get("node") and int(run.get("attempts") or 1) < policy.max_attempts
        if may_be_retried and now - ended < timedelta(seconds=policy.failed_final_after):
            return None
        return False
    return None


class Scheduler:
    """One pass (`tick`) judges the runs it started and starts the companies that are due.

    `service` is the API's CrawlService (start() makes a crawl run and dispatches it to the least
    busy scrapyd node, failing over); its cluster tells whether any node answers at all.
    """

    def __init__(self, store: Any, service: Any, policy: SchedulePolicy | None = None,
                 clock: Callable[[], datetime] | None = None) -> None:
        self.store = store
        self.service = service
        self.policy = policy or SchedulePolicy.from_env()
        self.clock = clock or (lambda: datetime.now(timezone.utc))
        self.paused_until: datetime | None = None

    def judge(self, companies: list[dict[str, Any]], now: datetime) -> dict[str, int]:
        """Record the outcome of every scheduled run that ended; return counts."""
        counts = {"succeeded": 0, "failed": 0}
        for company in companies:
            run_id = company.get("scheduled_run_id")
            if not run_id:
                continue
            ok = run_outcome(self.store.get_crawl_run(int(run_id)), self.policy, now)
            if ok is None:
                continue
            failures = int(company.get("refresh_failures") or 0) + (0 if ok else 1)
            until = None if ok else now + self.policy.backoff(failures, self.policy.interval_of(company))
            if self.store.record_refresh_outcome(company["id"], int(run_id), ok, until):
                company.update(scheduled_run_id=None, refresh_failures=0 if ok else failures, backoff_until=until)
                counts["succeeded" if ok else "failed"] += 1
                if not ok:
                    logger.warning("scheduler: refresh of %s failed (%d in a row); next try after %s",
                                   company.get("name"), failures, until.isoformat())
        return counts

    def crawl_args(self, company: dict[str, Any], country: str | None) -> Any:
        """Return the crawl arguments of a company's refresh: its name, last country and careers page."""
        from jobos.args import CrawlArgs

        return CrawlArgs(company=company["name"], country=country, careers_url=company.get("careers_url") or None)

    def tick(self, keep_going: Callable[[], bool] = lambda: True) -> dict[str, Any]:
        """Run one pass; return what it did (for the status endpoint and the logs).

        keep_going is asked before each start: a leader that lost its lease (or is stopping)
        starts nothing more.
        """
        from api.crawls import CrawlUnavailable  # the API's crawl service (scrapyd dispatch)

        now = self.clock()
        companies = self.store.schedule_rows(now, self.policy.interval)
        result: dict[str, Any] = {"at": now.isoformat(), "candidates": len(companies), **self.judge(companies, now),
                                  "due": 0, "started": 0, "already_running": 0, "skipped": 0, "error": None}
        due = due_companies(companies, self.policy, now, self.store.companies_with_active_runs())
        result["due"] = len(due)
        if not due:
            return result
        if self.paused_until and now < self.paused_until:
            result["error"] = f"every scrapyd node refused the last crawl; trying again after {self.paused_until.isoformat()}"
            return result
        up, down = self.service.cluster.ranked()
        if not up:
            result["error"] = "no scrapyd node answers: " + "; ".join(f"{u}: {w}" for u, w in down.items())
            logger.warning("scheduler: %d companies due, but %s", len(due), result["error"])
            return result
        room = sum(max(0, self.policy.max_pending - int(getattr(node, "pending", 0))) for node in up)
        if room == 0:
            result["error"] = f"every scrapyd node has {self.policy.max_pending} or more crawls queued"
            logger.info("scheduler: %d companies due, but %s", len(due), result["error"])
            return result
        batch = due[: min(self.policy.batch, room)]
        countries = self.store.last_crawl_countries([c["name"] for c in batch])
        from jobos.store.names import normalize_company

        for company in batch:
            if not keep_going():
                break
            try:
                args = self.crawl_args(company, countries.get(normalize_company(company["name"])))
            except ValueError as exc:
                logger.warning("scheduler: company %s cannot be refreshed: %s", company["id"], exc)
                result["skipped"] += 1
                continue
            try:
                started = self.service.start(args, requested_by=REQUESTED_BY, source=SOURCE)
            except CrawlUnavailable as exc:
                # Every node refused: not the company's fault; it stays due, and the scheduler
                # pauses rather than leave a failed run behind every pass.
                result["error"] = exc.message
                self.paused_until = now + timedelta(seconds=self.policy.refused_pause)
                logger.error("scheduler: %s; pausing until %s", exc.message, self.paused_until.isoformat())
                break
            if started.existing:
                result["already_running"] += 1
                continue
            self.store.mark_scheduled(company["id"], started.crawl_id, now)
            result["started"] += 1
            logger.info("scheduler: refresh of %s started as crawl %s", company["name"], started.crawl_id)
        return result
