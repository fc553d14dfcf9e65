"""A local scrapyd process started from scrapyd/scrapyd.conf, and deploying the project egg.

The node listens on 127.0.0.1 only and wants HTTP basic auth: its credentials are this
install's (api.nodes.node_credentials), written into its scrapyd.conf (mode 0600).
"""
from __future__ import annotations

import configparser
import logging
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import requests

from api.nodes import Credentials, node_credentials

logger = logging.getLogger(__name__)

REPO = Path(__file__).resolve().parent.parent
CONF_TEMPLATE = REPO / "scrapyd" / "scrapyd.conf"


def write_conf(workdir: Path, port: int, template: Path = CONF_TEMPLATE, *,
               auth: Credentials | None = None, **overrides: str) -> Path:
    """Return the scrapyd.conf written into workdir: the template with our port, credentials
    and overrides (readable by the owner only: it holds the password)."""
    cp = configparser.ConfigParser(interpolation=None)
    if template.exists():
        cp.read(template)
    if not cp.has_section("scrapyd"):
        cp.add_section("scrapyd")
    cp.set("scrapyd", "bind_address", "127.0.0.1")
    cp.set("scrapyd", "http_port", str(port))
    if auth:
        cp.set("scrapyd", "username", auth[0])
        cp.set("scrapyd", "password", auth[1])
    for key, value in overrides.items():
        cp.set("scrapyd", key, value)
    workdir.mkdir(parents=True, exist_ok=True)
    path = workdir / "scrapyd.conf"
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    os.chmod(path, 0o600)
    with os.fdopen(fd, "w") as fh:
        cp.write(fh)
    return path


class LocalScrapyd:
    """One scrapyd process in `workdir` on 127.0.0.1:`port` (a context manager)."""

    def __init__(self, workdir: Path, port: int = 6800, env: dict[str, str] | None = None,
                 python: str | None = None, auth: Credentials | None = None, **overrides: str):
        self.workdir = Path(workdir)
        self.port = port
        self.env = {**os.environ, **(env or {})}
        # scrapyd would let these override the configuration file's credentials.
        self.env.pop("SCRAPYD_USERNAME", None)
        self.env.pop("SCRAPYD_PASSWORD", None)
        self.auth: Credentials = auth or self._install_credentials()
        self.python = python or sys.executable
        self.overrides = overrides
        self.proc: subprocess.Popen | None = None
        self._log = None

    def _install_credentials(self) -> Credentials:
        """This install's credentials, read with the node's environment (JOBOS_SCRAPYD_USERNAME
        and _PASSWORD, else generated once under its JOBOS_DATA_DIR)."""
        return node_credentials(environ=self.env)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, timeout: float = 60) -> "LocalScrapyd":
        write_conf(self.workdir, self.port, auth=self.auth, **self.overrides)
        # The crawl-run extension records JOBOS_NODE as the run's node: the URL the API uses.
        self.env.setdefault("JOBOS_NODE", self.url)
        self._log = open(self.workdir / "scrapyd.out", "ab")
        # cwd is the work dir: scrapyd reads ./scrapyd.conf and keeps eggs/dbs/logs there, and
        # no scrapy.cfg or checkout on the way up shadows the deployed egg.
        self.proc = subprocess.Popen(
            [self.python, "-m", "scrapyd"], cwd=self.workdir, env=self.env,
            stdout=self._log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"scrapyd exited with {self.proc.returncode}: {self.log_tail()}")
            try:
                if requests.get(f"{self.url}/daemonstatus.json", auth=self.auth, timeout=1).ok:
                    return self
            except requests.RequestException:
                time.sleep(0.2)
        self.stop()
        raise RuntimeError(f"scrapyd did not answer on {self.url} within {timeout:.0f} s")

    def log_tail(self, chars: int = 3000) -> str:
        try:
            return (self.workdir / "scrapyd.out").read_text(errors="replace")[-chars:]
        except OSError:
            return ""

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.proc = None
        if self._log:
            self._log.close()
            self._log = None

    def kill(self) -> None:
        """Kill the process at once (a node dying, for tests)."""
        if self.proc is not None and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()

    def __enter__(self) -> "LocalScrapyd":
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


def _scrapyd_deploy() -> str:
    candidate = Path(sys.executable).with_name("scrapyd-deploy")
    return str(candidate) if candidate.exists() else (shutil.which("scrapyd-deploy") or "scrapyd-deploy")


def build_egg(project_dir: Path = REPO, out: Path | None = None) -> Path:
    """Return the path of the project egg built by `scrapyd-deploy --build-egg`."""
    out = out or Path(tempfile.mkdtemp(prefix="jobos-egg-")) / "jobos.egg"
    result = subprocess.run(
        [_scrapyd_deploy(), "--build-egg", str(out)], cwd=project_dir,
        capture_output=True, text=True, timeout=300,
    )
    if result.returncode != 0 or not out.exists():
        raise RuntimeError(f"building the egg failed: {(result.stderr or result.stdout)[-2000:]}")
    return out


def deploy_egg(url: str, egg: Path, project: str = "jobos", version: str | None = None,
               auth: Credentials | None = None) -> dict:
    """Upload the egg to one node with addversion.json; return scrapyd's answer.
    `auth` defaults to this install's credentials (api.nodes.node_credentials)."""
    version = version or time.strftime("%Y%m%d%H%M%S")
    with egg.open("rb") as fh:
        resp = requests.post(
            f"{url.rstrip('/')}/addversion.json",
            data={"project": project, "version": version}, files={"egg": fh}, timeout=120,
            auth=auth or node_credentials(),
        )
    resp.raise_for_status()
    answer = resp.json()
    if answer.get("status") != "ok":
        raise RuntimeError(f"scrapyd at {url} refused the egg: {answer.get('message')}")
    return answer
