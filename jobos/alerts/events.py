"""Alert events from the store's history: what changed since the last run, per saved search."""
from __future__ import annotations

import logging
from datetime import datetime, timedelta
from typing import Any

from jobos.alerts.match import matches
from jobos.store.common import utcnow
from jobos.normalize.location import place_of
from jobos.store.records import parse_timestamp

logger = logging.getLogger(__name__)

WATERMARK = "events_watermark"
# A crawl's upsert commits a little after the times it writes; reading this far behind the last
# run's start finds those rows, and the events' unique key keeps a change read twice one alert.
OVERLAP = timedelta(minutes=10)
PAYLOAD_FIELDS = ("title", "company", "location", "country", "workplace", "employment_type", "url",
                  "salary_min", "salary_max", "salary_currency", "salary_period", "status", "closed_at")


def _ts(value: Any) -> datetime | None:
    return parse_timestamp(value) if value else None


def channels_of(search: dict) -> list[str]:
    """Return the delivery channels a saved search has switched on."""
    out = []
    if search.get("email") and search.get("email_mode") in ("immediate", "daily"):
        out.append("email")
    if search.get("webhook_url") and not search.get("webhook_disabled"):
        out.append("webhook")
    return out


def digest_due(search: dict) -> datetime | None:
    """Return when a daily digest's mail is due (a day after the last one), None for immediate."""
    if search.get("email_mode") != "daily":
        return None
    last = _ts(search.get("last_digest_at")) or _ts(search.get("created_at")) or utcnow()
    return last + timedelta(days=1)


def compute_events(store: Any) -> int:
    """Record the alerts for every change since the last run; return how many are new."""
    started = utcnow()
    searches = store.list_saved_searches()
    mark = _ts(store.alert_state(WATERMARK))
    if not searches:
        store.set_alert_state(WATERMARK, started.isoformat())
        return 0
    earliest = min(_ts(s["created_at"]) for s in searches)
    since = max(earliest, mark - OVERLAP) if mark else earliest
    changes = store.job_changes_since(since)
    added = 0
    for search in searches:
        created = _ts(search["created_at"])
        channels = channels_of(search)
        due = digest_due(search)
        for change in changes:
            at = _ts(change["at"])
            if at is None or at < created or not matches(search, change["job"]):
                continue
            job = change["job"]
            payload = {field: job.get(field) for field in PAYLOAD_FIELDS}
            payload["location_display"] = place_of(job)  # the one display format of the place
            payload.update(job_id=job["id"], change=change["change"], changed_fields=change["changed_fields"],
                           at=change["at"], before=change.get("before", {}))
            if store.add_alert_event(search, job["id"], change["change"], change["change_key"], payload,
                                     channels, next_attempt_at=due) is not None:
                added += 1
    store.set_alert_state(WATERMARK, started.isoformat())
    logger.info("alerts: %d new alerts from %d changes since %s", added, len(changes), since.isoformat())
    return added
