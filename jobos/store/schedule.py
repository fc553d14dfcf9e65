"""Refresh schedule and leases: per-company intervals, scheduler bookkeeping, leader leases."""
from __future__ import annotations

import logging
from datetime import datetime, timedelta
from typing import Any

from jobos.store.common import ACTIVE_STATUSES, iso_ts, utcnow

logger = logging.getLogger(__name__)

# What the scheduler reads of every company on a pass (no job counts: a pass reads them all).
_SCHEDULE_COLUMNS = ("id, name, normalized_name, careers_url, last_crawl_at, created_at, refresh_interval,"
                     " refresh_failures, backoff_until, scheduled_at, scheduled_run_id")
_SCHEDULE_TS = ("last_crawl_at", "created_at", "backoff_until", "scheduled_at")
MAX_INTERVAL = 366 * 86400  # a year (and a day): a longer interval is a typo, not a schedule
MIN_INTERVAL = 300  # five minutes: a shorter one re-reads boards faster than they change


class ScheduleMixin:
    """Refresh intervals, the scheduler's per-company state, and leader leases."""

    # ---- companies: the refresh fields in every company the store returns -----------------
    def _company_out(self, row: dict) -> dict:
        from jobos.scheduler import SchedulePolicy, next_refresh_at

        out = super()._company_out(row)  # type: ignore[misc]
        if "refresh_failures" not in out:
            return out
        for f in ("backoff_until", "scheduled_at"):
            out[f] = iso_ts(out.get(f))
        try:
            policy = SchedulePolicy.from_env()
        except ValueError:  # the scheduler refuses to start with it; reading companies goes on
            policy = SchedulePolicy()
        out["refresh_interval"] = out.get("refresh_interval") or None
        out["effective_refresh_interval"] = policy.interval_of(out)
        out["next_refresh_at"] = iso_ts(next_refresh_at(out, policy))
        return out

    def schedule_rows(self, due_by: datetime | None = None, default_interval: int | None = None) -> list[dict]:
        """Return companies' scheduling fields (timestamps as aware datetimes), by id.

        With due_by (and the default interval), only those that may be due by then or await a
        judgement: a company is never due sooner than half its interval after its last crawl or
        scheduled start, so the rest need not be read (about half the fleet, in steady state).
        """
        from jobos.store.records import parse_timestamp

        sql, params = f"SELECT {_SCHEDULE_COLUMNS} FROM companies", []
        with self._read() as cur:
            if due_by is not None and default_interval:
                cur.execute("SELECT min(refresh_interval) AS m FROM companies")
                shortest = min(default_interval, (cur.fetchone() or {}).get("m") or default_interval)
                cutoff = self._ts_in(due_by - timedelta(seconds=int(shortest) // 2))
                sql += (" WHERE ((last_crawl_at IS NULL OR last_crawl_at <= %s)"
                        " AND (scheduled_at IS NULL OR scheduled_at <= %s))"
                        " OR refresh_failures > 0 OR scheduled_run_id IS NOT NULL")
                params = [cutoff, cutoff]
            cur.execute(sql + " ORDER BY id", params)
            rows = cur.fetchall()
        out = []
        for row in rows:
            row = dict(row)
            for f in _SCHEDULE_TS:
                row[f] = parse_timestamp(row[f]) if row[f] is not None else None
            out.append(row)
        return out

    def schedule_counts(self, now: datetime | None = None) -> dict[str, int]:
        """Return {companies, backing_off}: all companies, and those waiting out a failure backoff."""
        with self._read() as cur:
            cur.execute("SELECT count(*) AS n, coalesce(sum(CASE WHEN refresh_failures > 0 AND backoff_until > %s"
                        " THEN 1 ELSE 0 END), 0) AS b FROM companies", [self._ts_in(now or utcnow())])
            row = cur.fetchone()
        return {"companies": int(row["n"]), "backing_off": int(row["b"])}

    def companies_with_active_runs(self) -> set[str]:
        """Return the normalized names of companies with a pending or running crawl."""
        clause, params = self._in("status", list(ACTIVE_STATUSES))
        with self._read() as cur:
            cur.execute("SELECT DISTINCT normalized_company FROM crawl_runs WHERE " + clause, params)
            return {r["normalized_company"] for r in cur.fetchall() if r["normalized_company"]}

    def set_refresh_interval(self, company_id: int, seconds: int | None) -> dict | None:
        """Return the company after setting its refresh interval (None: the default again)."""
        if seconds is not None:
            seconds = int(seconds)
            if not MIN_INTERVAL <= seconds <= MAX_INTERVAL:
                raise ValueError(f"the refresh interval must be between {MIN_INTERVAL} seconds and "
                                 f"{MAX_INTERVAL // 86400} days")
        with self._write() as cur:
            cur.execute("UPDATE companies SET refresh_interval = %s, updated_at = %s WHERE id = %s",
                        [seconds, self._ts_in(utcnow()), int(company_id)])
            if cur.rowcount != 1:
                return None
        return self.get_company(company_id)  # type: ignore[attr-defined]

    def mark_scheduled(self, company_id: int, run_id: int, at: datetime | None = None) -> None:
        """Remember the crawl run the scheduler started for a company (its outcome is judged later)."""
        with self._write() as cur:
            cur.execute("UPDATE companies SET scheduled_at = %s, scheduled_run_id = %s WHERE id = %s",
                        [self._ts_in(at or utcnow()), int(run_id), int(company_id)])

    def record_refresh_outcome(self, company_id: int, run_id: int, ok: bool,
                               backoff_until: datetime | None = None) -> bool:
        """Return True when this caller recorded the outcome of the company's scheduled run.

        A failure adds one and sets the backoff; success only ends the wait for the run (its
        end already reset the failures and the backoff: update_crawl_run, for runs of any source).
        A compare-and-set on the run id: an outcome is counted once, however many look at it.
        """
        with self._write() as cur:
            if ok:
                cur.execute("UPDATE companies SET scheduled_run_id = NULL WHERE id = %s AND scheduled_run_id = %s",
                            [int(company_id), int(run_id)])
            else:
                cur.execute("UPDATE companies SET refresh_failures = refresh_failures + 1, backoff_until = %s,"
                            " scheduled_run_id = NULL WHERE id = %s AND scheduled_run_id = %s",
                            [self._ts_in(backoff_until), int(company_id), int(run_id)])
            return cur.rowcount == 1

    # ---- leases ------------------------------------------------------------------------------
    def acquire_lease(self, name: str, holder: str, ttl: timedelta) -> bool:
        """Return True when `holder` holds the lease `name` until now + ttl (taken or renewed).

        One statement decides: the row is written only when it is free, expired, or already
        this holder's, so of several processes asking at once exactly one holds it.
        """
        now = utcnow()
        with self._write() as cur:
            cur.execute(
                "INSERT INTO leases (name, holder, acquired_at, renewed_at, expires_at)"
                " VALUES (%s, %s, %s, %s, %s) ON CONFLICT (name) DO UPDATE SET holder = excluded.holder,"
                " acquired_at = CASE WHEN leases.holder = excluded.holder THEN leases.acquired_at"
                " ELSE excluded.acquired_at END,"
                " renewed_at = excluded.renewed_at, expires_at = excluded.expires_at"
                " WHERE leases.holder = excluded.holder OR leases.expires_at < excluded.renewed_at"
                " RETURNING holder",
                [name, holder, self._ts_in(now), self._ts_in(now), self._ts_in(now + ttl)],
            )
            row = cur.fetchone()
        return row is not None and row["holder"] == holder

    def release_lease(self, name: str, holder: str) -> bool:
        """Return True when the holder's lease was ended now (another process may take it)."""
        now = self._ts_in(utcnow())
        with self._write() as cur:
            cur.execute("UPDATE leases SET expires_at = %s WHERE name = %s AND holder = %s AND expires_at > %s",
                        [now, name, holder, now])
            return cur.rowcount == 1

    def get_lease(self, name: str) -> dict | None:
        """Return the lease row (holder, acquired_at, renewed_at, expires_at, info, held), or None."""
        with self._read() as cur:
            cur.execute("SELECT * FROM leases WHERE name = %s", [name])
            row = cur.fetchone()
        if row is None:
            return None
        out = self._row_out(row, json_fields=("info",), ts_fields=("acquired_at", "renewed_at", "expires_at"))
        from jobos.store.records import parse_timestamp

        out["held"] = parse_timestamp(out["expires_at"]) > utcnow()
        return out

    def set_lease_info(self, name: str, holder: str, info: dict[str, Any]) -> bool:
        """Return True when the holder wrote what it last did onto its lease row."""
        with self._write() as cur:
            cur.execute("UPDATE leases SET info = %s WHERE name = %s AND holder = %s",
                        [self._json_in(info), name, holder])
            return cur.rowcount == 1
