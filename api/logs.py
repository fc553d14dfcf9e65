"""Logging for the API: text, or one JSON object per line (JOBOS_LOG_FORMAT=json)."""
from __future__ import annotations

import datetime as dt
import json
import logging
import sys
import time

from flask import Flask, g, has_request_context, request

logger = logging.getLogger("api.access")

_STANDARD = set(vars(logging.LogRecord("x", 0, "x", 0, "x", None, None))) | {"message", "asctime"}


class JsonFormatter(logging.Formatter):
    """Format a record as one JSON object: time, level, logger, message, and any extra fields."""

    def format(self, record: logging.LogRecord) -> str:
        out = {
            "ts": dt.datetime.fromtimestamp(record.created, dt.timezone.utc).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
        }
        for key, value in vars(record).items():
            if key not in _STANDARD and not key.startswith("_"):
                out[key] = value
        if has_request_context() and "request_id" not in out:
            out["request_id"] = g.get("jobos_request_id")
        if record.exc_info:
            out["exc"] = self.formatException(record.exc_info)
        return json.dumps(out, default=str, ensure_ascii=False)


def configure_logging(fmt: str = "text", level: int = logging.INFO, stream=None) -> logging.Handler:
    """Install one root handler in the chosen format and return it."""
    handler = logging.StreamHandler(stream or sys.stderr)
    if fmt == "json":
        handler.setFormatter(JsonFormatter())
    else:
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    for old in list(root.handlers):
        # Ours from an earlier call, and a plain console handler (logging.basicConfig's, as the
        # `jobos` command installs): one console handler, or every line shows twice.
        console = type(old) is logging.StreamHandler and old.stream in (sys.stderr, sys.stdout)
        if getattr(old, "_jobos", False) or console:
            root.removeHandler(old)
    handler._jobos = True  # type: ignore[attr-defined]
    root.addHandler(handler)
    root.setLevel(level)
    return handler


def install_access_log(app: Flask) -> None:
    """Log one line per request with method, path, status and duration."""
    import secrets

    @app.before_request
    def _start() -> None:
        g.jobos_request_id = request.headers.get("X-Request-ID", "")[:64] or secrets.token_hex(8)
        g.jobos_access_t0 = time.perf_counter()

    @app.after_request
    def _done(response):
        t0 = g.get("jobos_access_t0")
        ms = round((time.perf_counter() - t0) * 1000, 2) if t0 else None
        response.headers["X-Request-ID"] = g.get("jobos_request_id", "")
        logger.info(
            "%s %s %s", request.method, request.path, response.status_code,
            extra={"method": request.method, "path": request.path, "status": response.status_code,
                   "duration_ms": ms, "remote_addr": request.remote_addr},
        )
        return response
