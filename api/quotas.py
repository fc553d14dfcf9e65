"""Per-user crawl quotas: how many crawls one user may have running, and start per hour.

The views that start crawls are wrapped in `install` (no view changes): before a user's
request starts anything, the user's runs in the store are counted; over a quota the answer is
429 `quota_exceeded` in the one error shape, with Retry-After. Admins have no quota. Within one
API process a user's trigger requests run one at a time, so a burst cannot slip past the count;
several API workers share the store's counts but not that lock (a burst spread over workers can
pass a quota by at most one request per worker).
"""
from __future__ import annotations

import datetime as dt
import functools
import threading
from typing import Any, Callable

from flask import Flask, current_app, request

from api.auth import UNSAFE_METHODS, check_csrf, current_identity
from api.errors import ApiError

WINDOW = 3600  # seconds of the per-hour quota


def _one() -> int:
    return 1


def _batch_size() -> int:
    from api.blueprints.scrape import _batch_items  # the batch view's own parsing of the body

    return max(1, len(_batch_items()))


# Endpoint -> how many crawls the request asks for.
TRIGGERS: dict[str, Callable[[], int]] = {
    "scrape.start_company": _one,
    "scrape.start_batch": _batch_size,
    "companies.refresh": _one,
}


class _Locks:
    """One lock per subject, so one user's trigger requests in this process run in turn."""

    def __init__(self) -> None:
        self._guard = threading.Lock()
        self._locks: dict[str, threading.Lock] = {}

    def get(self, subject: str) -> threading.Lock:
        with self._guard:
            return self._locks.setdefault(subject, threading.Lock())


def check_quota(subject: str, wanted: int) -> None:
    """Raise 429 quota_exceeded when `wanted` more crawls would pass the subject's quotas."""
    cfg = current_app.config
    concurrent, per_hour = int(cfg["QUOTA_CONCURRENT"]), int(cfg["QUOTA_PER_HOUR"])
    if concurrent <= 0 and per_hour <= 0:
        return
    usage = current_app.extensions["jobos_store"].crawl_usage(subject, WINDOW)
    detail = {"requested": wanted, "active": usage["active"], "limit_concurrent": concurrent,
              "started_last_hour": usage["recent"], "limit_per_hour": per_hour}
    if concurrent > 0 and usage["active"] + wanted > concurrent:
        raise ApiError(
            429, "quota_exceeded",
            f"You have {usage['active']} crawls pending or running and may have {concurrent} at once; "
            "wait for one to finish (or cancel one) and try again",
            detail | {"retry_after": 60}, headers={"Retry-After": "60"},
        )
    if per_hour > 0 and usage["recent"] + wanted > per_hour:
        wait = WINDOW
        if usage["oldest_recent"]:
            oldest = dt.datetime.fromisoformat(usage["oldest_recent"].replace("Z", "+00:00"))
            passed = (dt.datetime.now(dt.timezone.utc) - oldest).total_seconds()
            wait = max(1, min(WINDOW, int(WINDOW - passed) + 1))
        raise ApiError(
            429, "quota_exceeded",
            f"You have started {usage['recent']} crawls in the last hour and may start {per_hour} per hour; "
            f"this request asks for {wanted} more",
            detail | {"retry_after": wait}, headers={"Retry-After": str(wait)},
        )


def _guard(view: Callable, count: Callable[[], int], locks: _Locks) -> Callable:
    @functools.wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        identity = current_identity()
        if identity.kind == "anonymous" or not identity.at_least("user") or identity.at_least("admin"):
            return view(*args, **kwargs)  # the view refuses who may not trigger; admins are exempt
        if identity.via_cookie and request.method in UNSAFE_METHODS:
            check_csrf()  # as the view would, before the body is read
        with locks.get(identity.subject):
            check_quota(identity.subject, count())
            return view(*args, **kwargs)

    return wrapper


def install(app: Flask) -> None:
    """Wrap every view that starts crawls with the quota check."""
    locks = _Locks()
    for endpoint, count in TRIGGERS.items():
        if endpoint in app.view_functions:
            app.view_functions[endpoint] = _guard(app.view_functions[endpoint], count, locks)
