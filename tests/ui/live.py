"""A real HTTP server for the Flask app on 127.0.0.1 and Debian's Chromium driven by Playwright."""
from __future__ import annotations

import contextlib
import logging
import os
import threading
from pathlib import Path
from typing import Any, Iterator

import pytest
from werkzeug.serving import make_server

logger = logging.getLogger(__name__)

SCREENSHOTS = Path(__file__).resolve().parent.parent / "screenshots"
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1366, "height": 900}
CHROMIUM_ARGS = [
    "--disable-background-networking", "--disable-component-update", "--no-first-run", "--disable-gpu",
]


class LiveServer:
    """Serves a WSGI app from a thread on a free 127.0.0.1 port until stopped."""

    def __init__(self, app: Any) -> None:
        self.server = make_server("127.0.0.1", 0, app, threaded=True)
        self.thread = threading.Thread(target=self.server.serve_forever, name="ui-live-server", daemon=True)

    @property
    def origin(self) -> str:
        return f"http://127.0.0.1:{self.server.server_port}"

    def __enter__(self) -> "LiveServer":
        self.thread.start()
        return self

    def __exit__(self, *exc: Any) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout=10)


def require_browser() -> str:
    """Return the Chromium executable, or skip (fail with JOBOS_REQUIRE_BROWSER=1) without one."""
    from jobos.config import chromium_path

    path = chromium_path()
    problem = None
    if not path or not os.path.exists(path):
        problem = "no Chromium found (set JOBOS_CHROMIUM or install chromium)"
    else:
        try:
            import playwright.sync_api  # noqa: F401
        except ImportError:
            problem = "the playwright package is not installed"
    if problem:
        if os.environ.get("JOBOS_REQUIRE_BROWSER") == "1":
            pytest.fail(problem)
        pytest.skip(problem)
    return path  # type: ignore[return-value]


@contextlib.contextmanager
def chromium() -> Iterator[Any]:
    """Yield a launched headless Chromium (Debian's, by executable_path); closed afterwards."""
    from playwright.sync_api import sync_playwright

    executable = require_browser()
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=executable, headless=True, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


class Watch:
    """Records every request and dialog of a browser context (for 'nothing ran, nothing left')."""

    def __init__(self, context: Any) -> None:
        self.requests: list[str] = []
        self.dialogs: list[str] = []
        self.console_errors: list[str] = []
        context.on("request", lambda req: self.requests.append(req.url))
        context.on("page", self.attach)

    def attach(self, page: Any) -> None:
        page.on("dialog", self._dialog)
        page.on("console", lambda msg: self.console_errors.append(msg.text) if msg.type == "error" else None)

    def _dialog(self, dialog: Any) -> None:
        self.dialogs.append(f"{dialog.type}: {dialog.message}")
        dialog.dismiss()

    def foreign(self, origin: str) -> list[str]:
        """Return requests that left the app's origin (data: and about: URLs stay in the page)."""
        return [u for u in self.requests if not (u.startswith(origin + "/") or u == origin
                                                  or u.startswith(("data:", "about:", "blob:")))]


def screenshot(page: Any, name: str, width_name: str) -> Path:
    """Write a full-page screenshot to tests/screenshots/<name>-<width>.png; return its path."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}-{width_name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path
