"""scrapyd nodes: pick the least busy one that answers, schedule, cancel, list jobs, fail over.

Every node wants HTTP basic auth (scrapyd's `username`/`password`). The credentials are, in
order: `user:password@` in a node's URL (JOBOS_SCRAPYD_URLS) for that node;
JOBOS_SCRAPYD_USERNAME and JOBOS_SCRAPYD_PASSWORD for every node (a multi-node deployment sets
them on the API and on each node); else the ones generated once per install and kept in
$JOBOS_DATA_DIR/scrapyd-credentials.json (mode 0600), which the local scrapyd of `jobos serve`
/ `jobos scrapyd` is started with.
"""
from __future__ import annotations

import json
import logging
import os
import secrets
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable
from urllib.parse import unquote, urlsplit, urlunsplit

import requests

logger = logging.getLogger(__name__)

CREDENTIALS_FILE = "scrapyd-credentials.json"
Credentials = tuple[str, str]


def node_credentials(data_dir: str | os.PathLike | None = None, environ: dict[str, str] | None = None) -> Credentials:
    """Return the scrapyd credentials: JOBOS_SCRAPYD_USERNAME/PASSWORD when both are set, else
    this install's, generated on first use into <data dir>/scrapyd-credentials.json (0600).
    `environ` is the environment to read (default: this process's)."""
    from jobos import config

    environ = os.environ if environ is None else environ
    user = environ.get("JOBOS_SCRAPYD_USERNAME") or None
    password = environ.get("JOBOS_SCRAPYD_PASSWORD") or None
    if user or password:
        if not (user and password):
            raise ValueError("set both JOBOS_SCRAPYD_USERNAME and JOBOS_SCRAPYD_PASSWORD, or neither")
        if ":" in user:
            raise ValueError("JOBOS_SCRAPYD_USERNAME cannot contain ':' (scrapyd refuses it)")
        return user, password
    data_dir = data_dir or environ.get("JOBOS_DATA_DIR") or config.data_dir()
    path = Path(data_dir).expanduser() / CREDENTIALS_FILE
    path.parent.mkdir(parents=True, exist_ok=True)
    if not path.exists():  # written whole, then linked into place: a racing reader sees all or nothing
        tmp = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as fh:
            json.dump({"username": "jobos", "password": secrets.token_urlsafe(32)}, fh)
        try:
            os.link(tmp, path)
        except FileExistsError:
            pass
        finally:
            os.unlink(tmp)
    if path.stat().st_mode & 0o077:
        os.chmod(path, 0o600)
    try:
        data = json.loads(path.read_text())
        return str(data["username"]), str(data["password"])
    except (ValueError, KeyError, TypeError):
        raise ValueError(f"{path} is not a JobOS scrapyd credentials file: remove it to generate new ones") from None


def split_credentials(url: str) -> tuple[str, Credentials | None]:
    """Return (the URL without user:password@, those credentials or None)."""
    parts = urlsplit(url)
    if not parts.username:
        return url, None
    netloc = parts.hostname or ""
    if ":" in netloc:
        netloc = f"[{netloc}]"
    if parts.port:
        netloc += f":{parts.port}"
    clean = urlunsplit((parts.scheme, netloc, parts.path, parts.query, parts.fragment))
    return clean, (unquote(parts.username), unquote(parts.password or ""))


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
    # For nodes whose URL carries none (see node_credentials); a callable is asked once, lazily.
    auth: Credentials | Callable[[], Credentials] | None = None

    def __post_init__(self) -> None:
        # Credentials in a URL are that node's; the URL without them names the node (in crawl
        # runs, logs and the health page), so no password is ever stored or shown.
        self._node_auth: dict[str, Credentials] = {}
        self._auth_lock = threading.Lock()
        clean = []
        for url in self.urls:
            url, creds = split_credentials(url)
            url = url.rstrip("/")
            if creds:
                self._node_auth[url] = creds
            clean.append(url)
        self.urls = clean

    def _call(self, url: str, method: str, endpoint: str, timeout: float | None = None, **kw: Any) -> dict:
        url = split_credentials(url)[0].rstrip("/")
        if callable(self.auth):
            with self._auth_lock:
                if callable(self.auth):
                    self.auth = self.auth()
        auth = self._node_auth.get(url, self.auth)
        try:
            resp = self.session.request(method, f"{url}/{endpoint}", timeout=timeout or self.timeout,
                                        auth=auth, **kw)
        except requests.RequestException as exc:
            raise NodeError(f"unreachable ({type(exc).__name__})") from None
        if resp.status_code == 401:
            raise NodeError(f"HTTP 401 from {endpoint}: the node wants other credentials "
                            "(JOBOS_SCRAPYD_USERNAME/JOBOS_SCRAPYD_PASSWORD or user:password@ in its URL)")
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
