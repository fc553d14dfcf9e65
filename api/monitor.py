"""Background monitor: notices crawls that died without reporting, and retries failed runs once.

Every API worker may run one; the store makes their decisions safe to repeat: a stale run is
failed by a conditional update, and a retry is a compare-and-set on (status, attempts).
"""
from __future__ import annotations

import datetime as dt
import logging
import threading
from typing import Any

from api.crawls import ACTIVE, MAX_ATTEMPTS, CrawlService, utcnow
from api.nodes import NodeError
from jobos.store.crawls import stale_after as crawl_stale_after

logger = logging.getLogger(__name__)

# Polls a node may miss before a crawl on it is declared dead (a restart blip is not a death).
MISSES_BEFORE_FAILED = 3


def _as_datetime(value: Any) -> dt.datetime | None:
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value if value.tzinfo else value.replace(tzinfo=dt.timezone.utc)
    try:
        parsed = dt.datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=dt.timezone.utc)


class CrawlMonitor:
    """Polls scrapyd's listjobs.json for active runs; one `tick()` is one pass."""

    def __init__(self, service: CrawlService, retry_delay: float, interval: float, metrics: Any = None,
                 stale_after: dt.timedelta | None = None):
        self.service = service
        # A running crawl that wrote no progress for this long has a dead or hung crawler.
        self.stale_after = stale_after or crawl_stale_after()
        self.store = service.store
        self.cluster = service.cluster
        self.retry_delay = retry_delay
        self.interval = interval
        self.metrics = metrics
        self._misses: dict[int, int] = {}
        self._watched: set[int] = set()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def _count(self, name: str) -> None:
        if self.metrics is not None:
            self.metrics.crawl_event(name)

    def tick(self) -> dict[str, int]:
        """Check active runs, then retry due failed runs; return what was done (for tests/logs)."""
        done = {"died": 0, "retried": 0, "finished": 0}
        # Any running crawl (scrapyd's or a command line's) silent for minutes has died: fail
        # it, so its company can be crawled again. Pending runs wait for a slot and are judged
        # below by their scrapyd job only.
        for run in self.store.fail_stale_crawl_runs(self.stale_after):
            logger.error("crawl %s failed: %s", run["id"], run.get("error_summary"))
            self._misses.pop(run["id"], None)
            self._count("failed")
            done["died"] += 1
        active = [r for s in ACTIVE for r in self.store.list_crawl_runs(status=s, limit=500)]
        listings: dict[str, dict[str, list[dict]] | None] = {}
        for run in active:
            self._watched.add(run["id"])
            node, jobid = run.get("node"), run.get("scrapyd_job_id")
            if not node or not jobid or node not in self.cluster.urls:
                # Not a node we know (a command-line crawl, or another API's node): not ours to judge.
                continue
            if node not in listings:
                try:
                    listings[node] = self.cluster.listjobs(node)
                except NodeError as exc:
                    logger.warning("monitor: scrapyd node %s: %s", node, exc)
                    listings[node] = None
            jobs = listings[node]
            if jobs is None:
                self._misses[run["id"]] = self._misses.get(run["id"], 0) + 1
                if self._misses[run["id"]] >= MISSES_BEFORE_FAILED:
                    self._fail(run, f"the scrapyd node {node} stopped answering while the crawl ran")
                    done["died"] += 1
                continue
            self._misses.pop(run["id"], None)
            state = next(
                (s for s in ("pending", "running", "finished") if any(j.get("id") == jobid for j in jobs[s])),
                None,
            )
            if state in ("pending", "running"):
                continue
            # Finished (or forgotten) on scrapyd: re-read the run, the extension may just have reported.
            fresh = self.store.get_crawl_run(run["id"])
            if fresh and fresh["status"] in ACTIVE:
                why = (
                    "the crawl process ended without reporting a result (it crashed or was killed)"
                    if state == "finished"
                    else f"the scrapyd node {node} no longer knows the job (was it restarted?)"
                )
                self._fail(fresh, why)
                done["died"] += 1
        for run_id in list(self._watched):
            run = self.store.get_crawl_run(run_id)
            if run and run["status"] not in ACTIVE:
                self._watched.discard(run_id)
                if run["status"] in ("finished", "partial"):
                    self._count("finished")
                    done["finished"] += 1
        done["retried"] = self.retry_due()
        return done

    def _fail(self, run: dict[str, Any], why: str) -> None:
        logger.error("crawl %s failed: %s", run["id"], why)
        self.store.update_crawl_run(run["id"], status="failed", error_summary=why, finished_at=utcnow())
        self._misses.pop(run["id"], None)
        self._count("failed")

    def retry_due(self) -> int:
        """Retry failed runs that ran on a node, once, RETRY_DELAY after they failed."""
        retried = 0
        now = utcnow()
        for run in self.store.list_crawl_runs(status="failed", limit=200):
            attempts = int(run.get("attempts") or 1)
            # Runs that never reached a node (scrapyd was down at trigger time) got a 503 already.
            if attempts >= MAX_ATTEMPTS or not run.get("node"):
                continue
            failed_at = _as_datetime(run.get("finished_at")) or _as_datetime(run.get("updated_at"))
            if failed_at and (now - failed_at).total_seconds() < self.retry_delay:
                continue
            logger.info("retrying crawl %s after: %s", run["id"], run.get("error_summary"))
            if self.service.retry(run):
                retried += 1
                self._watched.add(run["id"])
        return retried

    def _loop(self) -> None:
        while not self._stop.wait(self.interval):
            try:
                self.tick()
            except Exception:  # the monitor must outlive a database or scrapyd outage
                logger.exception("crawl monitor pass failed")

    def start(self) -> None:
        if self._thread is None:
            self._thread = threading.Thread(target=self._loop, name="jobos-crawl-monitor", daemon=True)
            self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None
