"""Per-app services, reachable from views: the store, the crawl service, metrics, audit."""
from __future__ import annotations

import logging
from typing import Any

from flask import current_app, request

from api.auth import current_identity

logger = logging.getLogger(__name__)


def store() -> Any:
    return current_app.extensions["jobos_store"]


def crawls() -> Any:
    return current_app.extensions["jobos_crawls"]


def metrics() -> Any:
    return current_app.extensions["jobos_metrics"]


def audit(action: str, target: str | None, detail: dict[str, Any] | None = None) -> None:
    """Record who did what (trigger, cancel, pin, role change) in the store's audit log."""
    identity = current_identity()
    detail = dict(detail or {})
    detail.setdefault("ip", request.remote_addr)
    try:
        store().audit(identity.subject, action, target, detail)
    except Exception:  # an audit failure is logged loudly but must not undo the action
        logger.exception("audit write failed for %s %s", action, target)
