"""scrapyd nodes: pick the least busy one that answers, schedule, cancel, list jobs, fail over."""
from __future__ import annotations

import logging
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

import requests

logger = logging.getLogger(__name__)


class NodeError(Exception):
    """One scrapyd node did not do what was asked (down, or answered an error)."""


class NoNodeAvailable(Exception):
    """No scrapyd node could take the crawl; `reasons` says why for each node."""

    def __init__(self, reasons: dict[str, str]):
        self.reasons = reasons
        parts = "; ".join(f"{url}: {why}" for url, why in reasons.items()) or "no nodes configured"
        super().__init__(f"no scrapyd node is available ({parts})")


@dataclass
class NodeStatus:
    url: str
    ok: bool
    pending: int = 0
    running: int = 0
    finished: int = 0
    error: str | None = None

    @property
    def load(self) -> int:
        return self.pending + self.running


@dataclass
class ScrapydCluster:
    """The scrapyd nodes of JOBOS_SCRAPYD_URLS, spoken to over their JSON API."""

    urls: list[str]
    project: str = "jobos"
    timeout: float = 5.0
    schedule_timeout: float = 60.0  # scrapyd lists the egg's spiders in a subprocess first
    session: requests.Session = field(default_factory=requests.Session)

    def _call(self, url: str, method: str, endpoint: str, timeout: float | None = None, **kw: Any) -> dict:
        try:
            resp = self.session.request(method, f"{url}/{endpoint}", timeout=timeout or self.timeout, **kw)
        except requests.RequestException as exc:
            raise NodeError(f"unreachable ({type(exc).__name__})") from None
        if resp.status_code != 200:
            raise NodeError(f"HTTP {resp.status_code} from {endpoint}")
        try:
            data = resp.json()
        except ValueError:
            raise NodeError(f"{endpoint} did not answer JSON") from None
        if not isinstance(data, dict) or data.get("status") == "error":
            message = data.get("message") if isinstance(data, dict) else None
            raise NodeError(f"{endpoint}: {message or 'error'}")
        return data

    def status(self, url: str) -> NodeStatus:
        """Return one node's daemonstatus (ok False with the reason when it does not answer)."""
        try:
            data = self._call(url, "GET", "daemonstatus.json")
        except NodeError as exc:
            return NodeStatus(url=url, ok=False, error=str(exc))
        return NodeStatus(
            url=url,
            ok=True,
            pending=int(data.get("pending", 0)),
            running=int(data.get("running", 0)),
            finished=int(data.get("finished", 0)),
        )

    def statuses(self) -> list[NodeStatus]:
        """Return every node's status, asked in parallel, in configuration order."""
        if not self.urls:
            return []
        with ThreadPoolExecutor(max_workers=min(8, len(self.urls))) as pool:
            return list(pool.map(self.status, self.urls))

    def ranked(self) -> tuple[list[NodeStatus], dict[str, str]]:
        """Return the answering nodes, least busy first, and the reasons the others failed."""
        statuses = self.statuses()
        down = {s.url: s.error or "down" for s in statuses if not s.ok}
        up = sorted((s for s in statuses if s.ok), key=lambda s: (s.load, self.urls.index(s.url)))
        return up, down

    def schedule(self, spider: str, args: dict[str, Any], jobid: str) -> tuple[str, str]:
        """Schedule on the least busy node, failing over; return (node url, scrapyd job id)."""
        up, reasons = self.ranked()
        for node in up:
            data = {"project": self.project, "spider": spider, "jobid": jobid}
            data.update({k: str(v) for k, v in args.items() if v is not None})
            try:
                answer = self._call(node.url, "POST", "schedule.json", timeout=self.schedule_timeout, data=data)
            except NodeError as exc:
                logger.warning("scrapyd node %s refused the crawl: %s; trying the next", node.url, exc)
                reasons[node.url] = str(exc)
                continue
            return node.url, str(answer.get("jobid", jobid))
        raise NoNodeAvailable(reasons)

    def cancel(self, url: str, jobid: str) -> str | None:
        """Cancel a job on its node; return its previous state (pending/running) or None."""
        data = self._call(url, "POST", "cancel.json", data={"project": self.project, "job": jobid})
        return data.get("prevstate")

    def listjobs(self, url: str) -> dict[str, list[dict[str, Any]]]:
        """Return the node's pending, running and finished jobs of our project."""
        data = self._call(url, "GET", "listjobs.json", params={"project": self.project})
        return {k: list(data.get(k) or []) for k in ("pending", "running", "finished")}

    def job_state(self, url: str, jobid: str) -> str | None:
        """Return 'pending', 'running', 'finished', or None when the node does not know the job."""
        jobs = self.listjobs(url)
        for state in ("pending", "running", "finished"):
            if any(j.get("id") == jobid for j in jobs[state]):
                return state
        return None
