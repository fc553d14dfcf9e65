"""Crawl runs: creation, progress updates, lookups."""
from __future__ import annotations

import json
import logging
from datetime import datetime, timedelta
from typing import Any

from jobos.config import env_int

from jobos.store import records
from jobos.store.names import normalize_company
from jobos.store.common import (
    MAX_LIMIT, CRAWL_STATUSES, CRAWL_UPDATE_FIELDS, _CRAWL_TS, utcnow,
)


logger = logging.getLogger(__name__)

# The unique partial index crawl_runs_one_active_key serves this lookup.
_ACTIVE_SQL = ("SELECT * FROM crawl_runs WHERE normalized_company = %s AND coalesce(country, '') = %s"
               " AND status IN ('pending', 'running') ORDER BY id DESC")


def stale_after() -> timedelta:
    """Return how long a running crawl may report no progress before it counts as dead."""
    return timedelta(seconds=max(30, env_int("JOBOS_CRAWL_STALE_SECONDS", 300)))


# Who started a run: the command line, the API, scrapyd's schedule.json, the refresh scheduler
# (the crawl_runs.source CHECK constraint holds the same list).
CRAWL_SOURCES = ("cli", "api", "scrapyd", "scheduler")
ENDED_OK = ("finished", "partial")


class CrawlActive(ValueError):
    """A crawl of this company and country is already pending or running."""

    def __init__(self, run: dict) -> None:
        country = f" ({run.get('country')})" if run.get("country") else ""
        super().__init__(f"a crawl of {run.get('company')}{country} is already {run.get('status')}"
                         f" (crawl run {run.get('id')}); wait for it or cancel it")
        self.run = run


class CrawlRunsMixin:
    """Crawl runs: creation, progress updates, lookups."""

    # ---- crawl runs ----------------------------------------------------------------------
    _CRAWL_TS_OUT = ("created_at", "updated_at", "started_at", "finished_at")

    def _crawl_out(self, row: dict) -> dict:
        return self._row_out(row, json_fields=("args",), ts_fields=self._CRAWL_TS_OUT)

    def start_crawl_run(self, args: dict, requested_by: str | None = None,
                        source: str = "cli") -> tuple[dict, bool]:
        """Return (run, True) for a new pending run, or (the active run, False) for its company.

        One crawl of a company (normalized name) and country at a time: a unique partial index
        on active runs decides, so two triggers racing each other make one run. A running run
        whose crawler stopped reporting progress (stale_after) is failed first, so a dead
        crawler never blocks its company.
        """
        if source not in CRAWL_SOURCES:
            raise ValueError(f"source must be one of {', '.join(CRAWL_SOURCES)}")
        args = json.loads(json.dumps(args or {}, default=str))
        company = args.get("company")
        norm = normalize_company(company)
        country = (args.get("country") or None) and str(args["country"]).upper()
        for _ in range(3):
            now = utcnow()
            with self._write() as cur:
                if norm:
                    self._fail_stale(cur, now, "normalized_company = %s AND coalesce(country, '') = %s",
                                     [norm, country or ""])
                cur.execute(
                    "INSERT INTO crawl_runs (requested_by, source, args, company, normalized_company,"
                    " country, status, created_at, updated_at)"
                    " VALUES (%s, %s, %s, %s, %s, %s, 'pending', %s, %s)"
                    " ON CONFLICT DO NOTHING RETURNING id",
                    [requested_by, source, self._json_in(args), company, norm, country,
                     self._ts_in(now), self._ts_in(now)],
                )
                row = cur.fetchone()
                if row is not None:
                    created_id = int(row["id"])
                else:
                    created_id = None
                    cur.execute(_ACTIVE_SQL + " LIMIT 1", [norm, country or ""])
                    active = cur.fetchone()
            if created_id is not None:
                return self.get_crawl_run(created_id), True
            if active is not None:
                return self._crawl_out(active), False
            # The active run ended between our insert and our look: try again.
        raise RuntimeError(f"could not start a crawl run for {company!r}: the active run kept changing")

    def create_crawl_run(self, args: dict, requested_by: str | None = None, source: str = "cli") -> int:
        """Return the id of a new pending crawl run; raise CrawlActive when one is active."""
        run, created = self.start_crawl_run(args, requested_by, source)
        if not created:
            raise CrawlActive(run)
        return int(run["id"])

    def retry_crawl_run(self, crawl_id: int, attempts: int, error_summary: str | None = None) -> bool:
        """Return True when this caller set a failed run (still at `attempts`) back to pending.

        A compare-and-set: of several API workers retrying one run, exactly one wins. A run
        whose company has another active crawl is not retried.
        """
        fields = [self._ts_in(utcnow()), max(int(attempts), 1) + 1]
        sql = ("UPDATE crawl_runs SET status = 'pending', updated_at = %s, attempts = %s,"
               " finished_at = NULL, scrapyd_job_id = NULL")
        if error_summary is not None:
            sql += ", error_summary = %s"
            fields.append(error_summary[:1000])
        sql += (" WHERE id = %s AND status = 'failed' AND attempts = %s AND NOT EXISTS ("
                "SELECT 1 FROM crawl_runs o WHERE o.normalized_company = crawl_runs.normalized_company"
                " AND coalesce(o.country, '') = coalesce(crawl_runs.country, '')"
                " AND o.status IN ('pending', 'running') AND o.id <> crawl_runs.id)")
        try:
            with self._write() as cur:
                cur.execute(sql, [*fields, int(crawl_id), int(attempts)])
                return cur.rowcount == 1
        except self._integrity_errors:
            return False  # another crawl of the company became active at the same moment

    def fail_stale_crawl_runs(self, older_than: timedelta | None = None) -> list[dict]:
        """Return the runs just marked failed because their crawler died (older_than of silence).

        The crawl-run extension writes progress every few seconds; a running run silent for
        minutes has a dead (or hung) crawler. A pending run with a scrapyd job is not judged
        here (it waits for a slot; the monitor asks scrapyd about it); a pending run that no
        crawler was ever given is failed after the same time.
        """
        with self._write() as cur:
            ids = self._fail_stale(cur, utcnow(), "1 = 1", [], older_than)
        return [run for run in map(self.get_crawl_run, ids) if run]

    def _fail_stale(self, cur: Any, now: datetime, where: str, params: list[Any],
                    older_than: timedelta | None = None) -> list[int]:
        older_than = older_than or stale_after()
        cutoff = self._ts_in(now - older_than)
        minutes = max(1, round(older_than.total_seconds() / 60))
        failed: list[int] = []
        # A running crawl that stopped writing progress; a pending run never handed to a
        # crawler (no scrapyd job: its creator died before dispatching it or before starting).
        for state, extra, why in (
            ("running", "", f"no progress from the crawler for {minutes} minute(s): it died or hangs"),
            ("pending", " AND scrapyd_job_id IS NULL",
             f"never started: no crawler took it within {minutes} minute(s)"),
        ):
            cur.execute(f"SELECT id FROM crawl_runs WHERE status = %s AND updated_at < %s{extra}"
                        f" AND {where}", [state, cutoff, *params])
            ids = [int(r["id"]) for r in cur.fetchall()]
            if not ids:
                continue
            clause, cparams = self._in("id", ids)
            cur.execute(
                "UPDATE crawl_runs SET status = 'failed', finished_at = %s, updated_at = %s,"
                f" error_summary = %s WHERE status = %s AND updated_at < %s{extra} AND " + clause,
                [self._ts_in(now), self._ts_in(now), why, state, cutoff, *cparams],
            )
            logger.warning("crawl runs %s failed: %s", ids, why)
            failed += ids
        return failed

    def update_crawl_run(self, crawl_id: int, **fields: Any) -> None:
        """Set the given fields of a crawl run (unknown names are refused).

        A run set `finished` or `partial` also resets its company's refresh failures and backoff.
        """
        unknown = set(fields) - CRAWL_UPDATE_FIELDS
        if unknown:
            raise ValueError(f"cannot update crawl run fields: {', '.join(sorted(unknown))}")
        if "status" in fields and fields["status"] not in CRAWL_STATUSES:
            raise ValueError(f"status must be one of {', '.join(CRAWL_STATUSES)}")
        for f in _CRAWL_TS & set(fields):
            fields[f] = self._ts_in(records.parse_timestamp(fields[f]))
        fields["updated_at"] = self._ts_in(utcnow())
        sets = ", ".join(f"{k} = %s" for k in fields)
        try:
            with self._write() as cur:
                cur.execute(f"UPDATE crawl_runs SET {sets} WHERE id = %s", [*fields.values(), int(crawl_id)])
                if fields.get("status") in ENDED_OK:
                    # A crawl that ended well, whoever started it (command line, API, batch or
                    # the scheduler), ends its company's refresh backoff.
                    cur.execute(
                        "UPDATE companies SET refresh_failures = 0, backoff_until = NULL"
                        " WHERE refresh_failures > 0 AND normalized_name ="
                        " (SELECT normalized_company FROM crawl_runs WHERE id = %s)", [int(crawl_id)])
        except self._integrity_errors:
            # Making this run active again while another crawl of its company is active.
            run = self.get_crawl_run(crawl_id) or {}
            active = self.find_active_crawl(run.get("company") or "", run.get("country")) or run
            raise CrawlActive(active) from None

    def get_crawl_run(self, crawl_id: int) -> dict | None:
        """Return one crawl run, or None."""
        with self._read() as cur:
            cur.execute("SELECT * FROM crawl_runs WHERE id = %s", [int(crawl_id)])
            row = cur.fetchone()
        return self._crawl_out(row) if row else None

    def find_active_crawl(self, company: str, country: str | None = None) -> dict | None:
        """Return the pending or running crawl for the same company name and country."""
        with self._read() as cur:
            cur.execute(_ACTIVE_SQL + " LIMIT 1",
                        [normalize_company(company), (country or "").upper()])
            row = cur.fetchone()
        return self._crawl_out(row) if row else None

    def list_crawl_runs(self, status: str | None = None, limit: int = 50) -> list[dict]:
        """Return the newest crawl runs, optionally with one status."""
        limit = max(1, min(int(limit), MAX_LIMIT))
        with self._read() as cur:
            if status:
                cur.execute("SELECT * FROM crawl_runs WHERE status = %s ORDER BY id DESC LIMIT %s",
                            [status, limit])
            else:
                cur.execute("SELECT * FROM crawl_runs ORDER BY id DESC LIMIT %s", [limit])
            return [self._crawl_out(r) for r in cur.fetchall()]

    def last_crawl_countries(self, company_names: list[str]) -> dict[str, str | None]:
        """Return {normalized company name: the country of its latest crawl} (None: no country).

        A company card's re-crawl reuses it, so a national crawl stays national.
        """
        names = sorted({normalize_company(n) for n in company_names if n})
        if not names:
            return {}
        clause, params = self._in("normalized_company", names)
        with self._read() as cur:
            cur.execute(
                "SELECT normalized_company, country FROM crawl_runs r WHERE " + clause
                + " AND id = (SELECT max(id) FROM crawl_runs r2"
                " WHERE r2.normalized_company = r.normalized_company)", params)
            return {row["normalized_company"]: row["country"] for row in cur.fetchall()}
