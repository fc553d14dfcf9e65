"""Saved searches, followed companies, their alert events and the deliveries of those events."""
from __future__ import annotations

import secrets
from datetime import datetime, timedelta
from typing import Any

from jobos.store.common import iso_ts, utcnow

# Fields of job_history.changed_fields that make a 'changed' alert (others are noise to a reader).
ALERT_FIELDS = frozenset({"title", "location", "city", "region", "country", "salary_min", "salary_max",
                          "salary_currency", "salary_period"})
SEARCH_UPDATE_FIELDS = frozenset({"name", "query", "email", "email_mode", "webhook_url"})
_SEARCH_TS = ("last_digest_at", "last_visit_at", "created_at")


class AlertsMixin:
    """Saved searches, followed companies, their alert events and the deliveries of those events."""

    # ---- saved searches and follows ------------------------------------------------------
    def _search_out(self, row: dict) -> dict:
        return self._row_out(row, json_fields=("query",), ts_fields=_SEARCH_TS,
                             bool_fields=("webhook_disabled",))

    def create_saved_search(self, owner_id: int, kind: str, name: str, query: dict,
                            email: str | None = None, email_mode: str = "off",
                            webhook_url: str | None = None) -> dict:
        """Return a new saved search (kind 'search') or company follow (kind 'company')."""
        if kind not in ("search", "company"):
            raise ValueError("kind must be search or company")
        with self._write() as cur:
            cur.execute(
                "INSERT INTO saved_searches (owner_id, kind, name, query, email, email_mode, webhook_url,"
                " webhook_secret, feed_token, created_at) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s)"
                " RETURNING id",
                [int(owner_id), kind, name, self._json_in(query), email, email_mode, webhook_url,
                 secrets.token_urlsafe(32), secrets.token_urlsafe(24), self._ts_in(utcnow())],
            )
            search_id = int(cur.fetchone()["id"])
        return self.get_saved_search(search_id)

    def get_saved_search(self, search_id: int, owner_id: int | None = None) -> dict | None:
        """Return a saved search by id (only the owner's when owner_id is given), or None."""
        sql, params = "SELECT * FROM saved_searches WHERE id = %s", [int(search_id)]
        if owner_id is not None:
            sql += " AND owner_id = %s"
            params.append(int(owner_id))
        with self._read() as cur:
            cur.execute(sql, params)
            row = cur.fetchone()
        return self._search_out(row) if row else None

    def get_saved_search_by_feed_token(self, token: str) -> dict | None:
        with self._read() as cur:
            cur.execute("SELECT * FROM saved_searches WHERE feed_token = %s", [token])
            row = cur.fetchone()
        return self._search_out(row) if row else None

    def list_saved_searches(self, owner_id: int | None = None) -> list[dict]:
        """Return the owner's saved searches (every one when owner_id is None), by id."""
        with self._read() as cur:
            if owner_id is None:
                cur.execute("SELECT * FROM saved_searches ORDER BY id")
            else:
                cur.execute("SELECT * FROM saved_searches WHERE owner_id = %s ORDER BY id", [int(owner_id)])
            return [self._search_out(r) for r in cur.fetchall()]

    def update_saved_search(self, search_id: int, owner_id: int | None, **fields: Any) -> dict | None:
        """Return the saved search after changing fields; None when it is not the owner's."""
        bad = set(fields) - SEARCH_UPDATE_FIELDS - {"webhook_failures", "webhook_disabled"}
        if bad:
            raise ValueError(f"cannot update {', '.join(sorted(bad))}")
        if self.get_saved_search(search_id, owner_id) is None:
            return None
        sets, params = [], []
        for key, value in fields.items():
            if key == "query":
                value = self._json_in(value)
            elif key == "webhook_disabled":
                value = self._bool_in(bool(value))
            sets.append(f"{key} = %s")
            params.append(value)
        if "webhook_url" in fields:  # a new address starts with a clean record
            sets += ["webhook_failures = 0", "webhook_disabled = %s"]
            params.append(self._bool_in(False))
        if sets:
            with self._write() as cur:
                cur.execute(f"UPDATE saved_searches SET {', '.join(sets)} WHERE id = %s", [*params, int(search_id)])
        return self.get_saved_search(search_id)

    def delete_saved_search(self, search_id: int, owner_id: int | None) -> bool:
        """Delete a saved search with its events and deliveries; False when not the owner's."""
        with self._write() as cur:
            owned = "SELECT id FROM saved_searches WHERE id = %s" + (" AND owner_id = %s" if owner_id is not None else "")
            params = [int(search_id)] + ([int(owner_id)] if owner_id is not None else [])
            cur.execute(owned, params)
            if not cur.fetchone():
                return False
            # Explicit, as SQLite enforces foreign keys only when asked to.
            cur.execute("DELETE FROM alert_deliveries WHERE event_id IN"
                        " (SELECT id FROM alert_events WHERE search_id = %s)", [int(search_id)])
            cur.execute("DELETE FROM alert_events WHERE search_id = %s", [int(search_id)])
            cur.execute("DELETE FROM saved_searches WHERE id = %s", [int(search_id)])
        return True

    def new_webhook_secret(self, search_id: int) -> str:
        """Return a new key for a saved search's webhook signatures (the old one stops working)."""
        secret = secrets.token_urlsafe(32)
        with self._write() as cur:
            cur.execute("UPDATE saved_searches SET webhook_secret = %s WHERE id = %s", [secret, int(search_id)])
        return secret

    def mark_search_visited(self, search_id: int) -> None:
        with self._write() as cur:
            cur.execute("UPDATE saved_searches SET last_visit_at = %s WHERE id = %s",
                        [self._ts_in(utcnow()), int(search_id)])

    # ---- what changed -------------------------------------------------------------------
    def alert_state(self, name: str) -> str | None:
        with self._read() as cur:
            cur.execute("SELECT value FROM alert_state WHERE name = %s", [name])
            row = cur.fetchone()
        return row["value"] if row else None

    def set_alert_state(self, name: str, value: str) -> None:
        with self._write() as cur:
            cur.execute("INSERT INTO alert_state (name, value) VALUES (%s, %s)"
                        " ON CONFLICT (name) DO UPDATE SET value = excluded.value", [name, value])

    def job_changes_since(self, since: datetime) -> list[dict]:
        """Return the jobs that appeared, changed (title, location, salary) or closed since a time.

        Each entry is {job, change, change_key, changed_fields, at}; change_key names this change
        (the history row or the closing time), so a change seen twice is one alert.
        """
        since_db = self._ts_in(since)
        out: list[dict] = []
        with self._read() as cur:
            cur.execute("SELECT * FROM jobs WHERE first_seen >= %s", [since_db])
            for row in cur.fetchall():
                job = self._job_out(row)
                out.append({"job": job, "change": "new", "change_key": "new", "changed_fields": [],
                            "at": job["first_seen"]})
            cur.execute("SELECT * FROM jobs WHERE closed_at >= %s AND status = 'closed'", [since_db])
            for row in cur.fetchall():
                job = self._job_out(row)
                out.append({"job": job, "change": "closed", "change_key": f"closed:{job['closed_at']}",
                            "changed_fields": [], "at": job["closed_at"]})
            cur.execute("SELECT h.id AS history_id, h.changed_fields, h.old_values, h.changed_at AS history_at,"
                        " j.* FROM job_history h JOIN jobs j ON j.id = h.job_id WHERE h.changed_at >= %s",
                        [since_db])
            for row in cur.fetchall():
                row = dict(row)
                history_id = row.pop("history_id")
                at = iso_ts(row.pop("history_at"))
                fields = self._json_out(row.pop("changed_fields")) or []
                old = self._json_out(row.pop("old_values")) or {}
                if row["status"] != "open":
                    continue
                if "status" in fields:  # a closed job listed again is news like a new one
                    out.append({"job": self._job_out(row), "change": "new", "change_key": f"reopened:{history_id}",
                                "changed_fields": [], "at": at})
                    continue
                wanted = sorted(ALERT_FIELDS.intersection(fields))
                if wanted:
                    out.append({"job": self._job_out(row), "change": "changed",
                                "change_key": f"changed:{history_id}", "changed_fields": wanted, "at": at,
                                "before": {f: old.get(f) for f in wanted}})
        return out

    # ---- events and deliveries -----------------------------------------------------------
    def add_alert_event(self, search: dict, job_id: int, change: str, change_key: str, payload: dict,
                        channels: list[str], next_attempt_at: datetime | None = None) -> int | None:
        """Record one alert and its deliveries; return its id, or None when it was recorded before."""
        now = utcnow()
        with self._write() as cur:
            cur.execute(
                "INSERT INTO alert_events (search_id, job_id, change, change_key, payload, created_at)"
                " VALUES (%s, %s, %s, %s, %s, %s) ON CONFLICT (search_id, job_id, change_key) DO NOTHING"
                " RETURNING id",
                [int(search["id"]), int(job_id), change, change_key, self._json_in(payload), self._ts_in(now)],
            )
            row = cur.fetchone()
            if row is None:
                return None
            event_id = int(row["id"])
            for channel in channels:
                due = next_attempt_at if channel == "email" and next_attempt_at else now
                cur.execute(
                    "INSERT INTO alert_deliveries (event_id, channel, next_attempt_at) VALUES (%s, %s, %s)"
                    " ON CONFLICT (event_id, channel) DO NOTHING",
                    [event_id, channel, self._ts_in(due)],
                )
        return event_id

    def list_alert_events(self, search_id: int, limit: int = 50) -> list[dict]:
        """Return a saved search's newest alerts first."""
        with self._read() as cur:
            cur.execute("SELECT * FROM alert_events WHERE search_id = %s ORDER BY id DESC LIMIT %s",
                        [int(search_id), max(1, min(int(limit), 500))])
            return [self._row_out(r, json_fields=("payload",), ts_fields=("created_at",)) for r in cur.fetchall()]

    def claim_deliveries(self, channel: str, worker: str, lease: timedelta, limit: int = 200) -> list[dict]:
        """Return due deliveries of a channel, claimed for this worker for the lease.

        The claim is one UPDATE whose WHERE re-checks the status, so two workers never hold the
        same delivery; a claim whose worker died is taken again when its lease has run out.
        """
        now = utcnow()
        now_db = self._ts_in(now)
        with self._write() as cur:
            cur.execute(
                "SELECT event_id FROM alert_deliveries WHERE channel = %s AND ((status = 'pending'"
                " AND next_attempt_at <= %s) OR (status = 'claimed' AND claimed_until < %s))"
                " ORDER BY next_attempt_at LIMIT %s",
                [channel, now_db, now_db, int(limit)],
            )
            ids = [int(r["event_id"]) for r in cur.fetchall()]
            if not ids:
                return []
            clause, params = self._in("event_id", ids)
            cur.execute(
                "UPDATE alert_deliveries SET status = 'claimed', claimed_by = %s, claimed_until = %s,"
                " attempts = attempts + 1 WHERE channel = %s AND ((status = 'pending' AND next_attempt_at <= %s)"
                " OR (status = 'claimed' AND claimed_until < %s)) AND " + clause,
                [worker, self._ts_in(now + lease), channel, now_db, now_db, *params],
            )
            cur.execute(
                "SELECT d.event_id, d.channel, d.attempts, e.search_id, e.job_id, e.change, e.payload,"
                " e.created_at FROM alert_deliveries d JOIN alert_events e ON e.id = d.event_id"
                " WHERE d.channel = %s AND d.status = 'claimed' AND d.claimed_by = %s ORDER BY e.id",
                [channel, worker],
            )
            rows = cur.fetchall()
        return [self._row_out(r, json_fields=("payload",), ts_fields=("created_at",)) for r in rows]

    def finish_delivery(self, event_id: int, channel: str, status: str, error: str | None = None,
                        retry_at: datetime | None = None) -> None:
        """Record a delivery as sent, skipped or failed for good, or back to pending until retry_at."""
        if retry_at is not None:
            status = "pending"
        if status not in ("sent", "skipped", "failed", "pending"):
            raise ValueError("status must be sent, skipped, failed or pending")
        with self._write() as cur:
            cur.execute(
                "UPDATE alert_deliveries SET status = %s, last_error = %s, claimed_by = NULL, claimed_until = NULL,"
                " sent_at = %s, next_attempt_at = COALESCE(%s, next_attempt_at) WHERE event_id = %s AND channel = %s",
                [status, error, self._ts_in(utcnow()) if status == "sent" else None,
                 self._ts_in(retry_at) if retry_at else None, int(event_id), channel],
            )

    def skip_pending_deliveries(self, search_id: int, channel: str, reason: str) -> int:
        """Mark a search's unsent deliveries of a channel as skipped; return how many."""
        with self._write() as cur:
            cur.execute(
                "UPDATE alert_deliveries SET status = 'skipped', last_error = %s, claimed_by = NULL"
                " WHERE channel = %s AND status IN ('pending', 'claimed') AND event_id IN"
                " (SELECT id FROM alert_events WHERE search_id = %s)",
                [reason, channel, int(search_id)],
            )
            return cur.rowcount

    def record_webhook_result(self, search_id: int, ok: bool, max_failures: int) -> bool:
        """Count a webhook success (resets) or failure; return True when the webhook is now disabled."""
        with self._write() as cur:
            if ok:
                cur.execute("UPDATE saved_searches SET webhook_failures = 0 WHERE id = %s", [int(search_id)])
                return False
            cur.execute("UPDATE saved_searches SET webhook_failures = webhook_failures + 1 WHERE id = %s",
                        [int(search_id)])
            cur.execute("SELECT webhook_failures FROM saved_searches WHERE id = %s", [int(search_id)])
            row = cur.fetchone()
            if row and int(row["webhook_failures"]) >= max_failures:
                cur.execute("UPDATE saved_searches SET webhook_disabled = %s WHERE id = %s",
                            [self._bool_in(True), int(search_id)])
                return True
        return False

    def delivery_counts(self) -> dict[str, int]:
        """Return how many deliveries are in each channel/status ('email/sent': 3, ...)."""
        with self._read() as cur:
            cur.execute("SELECT channel, status, count(*) AS n FROM alert_deliveries GROUP BY channel, status")
            return {f"{r['channel']}/{r['status']}": int(r["n"]) for r in cur.fetchall()}

    def mark_digest_sent(self, search_id: int) -> None:
        with self._write() as cur:
            cur.execute("UPDATE saved_searches SET last_digest_at = %s WHERE id = %s",
                        [self._ts_in(utcnow()), int(search_id)])


__all__ = ["AlertsMixin", "ALERT_FIELDS", "iso_ts"]
