"""Start and stop the stand-in web (mitmdump + addon.py) on a free 127.0.0.1 port."""
from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent


def find_mitmdump() -> str:
    """Return the mitmdump executable: $JOBOS_MITMDUMP, .venv-web, or PATH."""
    candidates = [
        os.environ.get("JOBOS_MITMDUMP"),
        str(REPO / ".venv-web" / "bin" / "mitmdump"),
        shutil.which("mitmdump"),
    ]
    for c in candidates:
        if c and os.path.exists(c):
            return c
    raise RuntimeError(
        "mitmdump not found: create the stand-in web's virtualenv with "
        "`python3 -m venv .venv-web && .venv-web/bin/pip install -r requirements-web.txt` "
        "or set JOBOS_MITMDUMP"
    )


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class StandinWeb:
    """The intercepting proxy; use as a context manager or call start()/stop()."""

    def __init__(self, port: int | None = None):
        self.port = port
        self.proc: subprocess.Popen | None = None
        self.confdir = None

    @property
    def proxy_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def env(self) -> dict[str, str]:
        """Return the environment a crawl needs to go through the stand-in web."""
        return {
            "HTTPS_PROXY": self.proxy_url,
            "HTTP_PROXY": self.proxy_url,
            "https_proxy": self.proxy_url,
            "http_proxy": self.proxy_url,
            # Local services a crawl talks to (the model server) are reached directly, as on a
            # user's machine with a proxy; crawl targets are host names, so they go through it.
            "NO_PROXY": "127.0.0.1,localhost",
            "no_proxy": "127.0.0.1,localhost",
            "JOBOS_TLS_VERIFY": "0",
        }

    def start(self) -> "StandinWeb":
        self.port = self.port or free_port()
        self.confdir = tempfile.mkdtemp(prefix="jobos-standin-")
        self._logfile = open(os.path.join(self.confdir, "mitmdump.log"), "wb")
        self.proc = subprocess.Popen(
            [
                find_mitmdump(),
                "--listen-host", "127.0.0.1",
                "--listen-port", str(self.port),
                "--set", "connection_strategy=lazy",
                "--set", f"confdir={self.confdir}",
                "--set", "flow_detail=0",
                "--set", "termlog_verbosity=warn",
                "-s", str(HERE / "addon.py"),
            ],
            stdout=self._logfile,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"mitmdump exited: {self.log_text()[-2000:]}")
            try:
                self.control("GET", "/state")
                return self
            except OSError:
                time.sleep(0.1)
        self.stop()
        raise RuntimeError("the stand-in web did not start within 30 s")

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.proc = None
        if self.confdir:
            self._logfile.close()
            shutil.rmtree(self.confdir, ignore_errors=True)
            self.confdir = None

    def log_text(self) -> str:
        try:
            return Path(self.confdir, "mitmdump.log").read_text(errors="replace")
        except OSError:
            return ""

    def control(self, method: str, path: str, payload=None):
        """Call the control channel through the proxy and return the decoded JSON answer."""
        opener = urllib.request.build_opener(
            urllib.request.ProxyHandler({"http": self.proxy_url})
        )
        data = json.dumps(payload).encode() if payload is not None else None
        req = urllib.request.Request(f"http://standin.control{path}", data=data, method=method)
        with opener.open(req, timeout=10) as resp:
            return json.loads(resp.read() or b"null")

    def set_state(self, **values) -> None:
        self.control("POST", "/state", values)

    def reset(self) -> None:
        self.control("POST", "/reset", {})

    def requests_seen(self) -> list[dict]:
        return self.control("GET", "/log")

    def __enter__(self) -> "StandinWeb":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()


if __name__ == "__main__":  # python tests/web/standin.py: run it by hand
    with StandinWeb(int(sys.argv[1]) if len(sys.argv) > 1 else None) as web:
        print(f"stand-in web on {web.proxy_url} (Ctrl-C stops)", flush=True)
        try:
            while web.proc and web.proc.poll() is None:
                time.sleep(1)
        except KeyboardInterrupt:
            pass
