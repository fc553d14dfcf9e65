"""The alerts worker: compute new alerts, then deliver due mails and webhooks (each once)."""
from __future__ import annotations

import logging
import os
import secrets
import socket
import smtplib
from collections import defaultdict
from datetime import timedelta
from typing import Any

from jobos.alerts import mail, webhook
from jobos.alerts.events import compute_events
from jobos.alerts.settings import AlertSettings
from jobos.store.common import utcnow

logger = logging.getLogger(__name__)

LEASE = timedelta(minutes=5)  # a claim whose worker died is taken again after this
MAIL_RETRY = timedelta(minutes=5)


def worker_id() -> str:
    """Return a name for this run's claims (unique per run, also between threads of one process)."""
    return f"{socket.gethostname()}:{os.getpid()}:{secrets.token_hex(4)}"


def send_mails(store: Any, settings: AlertSettings, worker: str, stats: dict[str, int]) -> None:
    claimed = store.claim_deliveries("email", worker, LEASE)
    by_search: dict[int, list[dict]] = defaultdict(list)
    for row in claimed:
        by_search[row["search_id"]].append(row)
    for search_id, rows in by_search.items():
        search = store.get_saved_search(search_id)
        if not search or not search.get("email") or search.get("email_mode") == "off":
            for row in rows:
                store.finish_delivery(row["event_id"], "email", "skipped", "mail switched off")
            stats["email_skipped"] += len(rows)
            continue
        events = [{"id": r["event_id"], "change": r["change"], "payload": r["payload"],
                   "created_at": r["created_at"]} for r in rows]
        try:
            mail.send_messages(settings, [mail.build_message(settings, search, events)])
        except (OSError, smtplib.SMTPException, RuntimeError) as exc:
            logger.warning("alerts: mail for saved search %s not sent: %s", search_id, exc)
            for row in rows:
                store.finish_delivery(row["event_id"], "email", "pending", str(exc)[:500],
                                      retry_at=utcnow() + MAIL_RETRY)
            stats["email_failed"] += len(rows)
            continue
        for row in rows:
            store.finish_delivery(row["event_id"], "email", "sent")
        if search["email_mode"] == "daily":
            store.mark_digest_sent(search_id)
        stats["email_sent"] += len(rows)
        stats["mails"] += 1


def send_webhooks(store: Any, settings: AlertSettings, worker: str, stats: dict[str, int]) -> None:
    for row in store.claim_deliveries("webhook", worker, LEASE):
        search = store.get_saved_search(row["search_id"])
        if not search or not search.get("webhook_url") or search.get("webhook_disabled"):
            store.finish_delivery(row["event_id"], "webhook", "skipped", "webhook switched off")
            stats["webhook_skipped"] += 1
            continue
        body = {"delivery": str(row["event_id"]), "saved_search": {"id": search["id"], "name": search["name"]},
                "change": row["change"], "job": row["payload"]}
        error = None
        try:
            status = webhook.post(search["webhook_url"], search["webhook_secret"], str(row["event_id"]), body,
                                  allow_private=settings.allow_private, timeout=settings.webhook_timeout)
            if not 200 <= status < 300:
                error = f"HTTP {status}"
        except webhook.WebhookRefused as exc:
            error = str(exc)
            stats["webhook_refused"] += 1
        except (OSError, Exception) as exc:  # urllib3's errors, timeouts, TLS: all are a failed attempt
            error = f"{type(exc).__name__}: {exc}"[:500]
        if error is None:
            store.finish_delivery(row["event_id"], "webhook", "sent")
            store.record_webhook_result(search["id"], True, settings.webhook_max_failures)
            stats["webhook_sent"] += 1
            continue
        logger.warning("alerts: webhook of saved search %s failed: %s", search["id"], error)
        stats["webhook_failed"] += 1
        disabled = store.record_webhook_result(search["id"], False, settings.webhook_max_failures)
        if disabled or row["attempts"] >= settings.webhook_max_failures:
            store.finish_delivery(row["event_id"], "webhook", "failed", error)
            if disabled:
                stats["webhook_disabled"] += 1
                store.skip_pending_deliveries(search["id"], "webhook", "webhook disabled after repeated failures")
        else:
            backoff = timedelta(seconds=settings.webhook_backoff * 2 ** (row["attempts"] - 1))
            store.finish_delivery(row["event_id"], "webhook", "pending", error, retry_at=utcnow() + backoff)


def run_once(store: Any, settings: AlertSettings | None = None) -> dict[str, int]:
    """Compute alerts since the last run and deliver what is due; return counts of what happened."""
    settings = settings or AlertSettings.from_env()
    stats: dict[str, int] = defaultdict(int)
    stats["events"] = compute_events(store)
    worker = worker_id()
    send_mails(store, settings, worker, stats)
    send_webhooks(store, settings, worker, stats)
    return dict(stats)
