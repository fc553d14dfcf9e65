"""Crawl runs: creation, progress updates, lookups."""
from __future__ import annotations

import json
from typing import Any

from jobos.store import records
from jobos.store.names import normalize_company
from jobos.store.common import (
    MAX_LIMIT, CRAWL_STATUSES, CRAWL_UPDATE_FIELDS, _CRAWL_TS, utcnow,
)


class CrawlRunsMixin:
    """Crawl runs: creation, progress updates, lookups."""

    # ---- crawl runs ----------------------------------------------------------------------
    _CRAWL_TS_OUT = ("created_at", "updated_at", "started_at", "finished_at")

    def _crawl_out(self, row: dict) -> dict:
        return self._row_out(row, json_fields=("args",), ts_fields=self._CRAWL_TS_OUT)

    def create_crawl_run(self, args: dict, requested_by: str | None = None, source: str = "cli") -> int:
        """Return the id of a new pending crawl run for these crawl arguments."""
        if source not in ("cli", "api", "scrapyd"):
            raise ValueError("source must be cli, api or scrapyd")
        args = json.loads(json.dumps(args or {}, default=str))
        company = args.get("company")
        country = (args.get("country") or None) and str(args["country"]).upper()
        now = self._ts_in(utcnow())
        with self._write() as cur:
            cur.execute(
                "INSERT INTO crawl_runs (requested_by, source, args, company, normalized_company,"
                " country, status, created_at, updated_at)"
                " VALUES (%s, %s, %s, %s, %s, %s, 'pending', %s, %s) RETURNING id",
                [requested_by, source, self._json_in(args), company, normalize_company(company),
                 country, now, now],
            )
            return int(cur.fetchone()["id"])

    def update_crawl_run(self, crawl_id: int, **fields: Any) -> None:
        """Set the given fields of a crawl run (unknown names are refused)."""
        unknown = set(fields) - CRAWL_UPDATE_FIELDS
        if unknown:
            raise ValueError(f"cannot update crawl run fields: {', '.join(sorted(unknown))}")
        if "status" in fields and fields["status"] not in CRAWL_STATUSES:
            raise ValueError(f"status must be one of {', '.join(CRAWL_STATUSES)}")
        for f in _CRAWL_TS & set(fields):
            fields[f] = self._ts_in(records.parse_timestamp(fields[f]))
        fields["updated_at"] = self._ts_in(utcnow())
        sets = ", ".join(f"{k} = %s" for k in fields)
        with self._write() as cur:
            cur.execute(f"UPDATE crawl_runs SET {sets} WHERE id = %s", [*fields.values(), int(crawl_id)])

    def get_crawl_run(self, crawl_id: int) -> dict | None:
        """Return one crawl run, or None."""
        with self._read() as cur:
            cur.execute("SELECT * FROM crawl_runs WHERE id = %s", [int(crawl_id)])
            row = cur.fetchone()
        return self._crawl_out(row) if row else None

    def find_active_crawl(self, company: str, country: str | None = None) -> dict | None:
        """Return the newest pending or running crawl for the same company name and country."""
        sql = ("SELECT * FROM crawl_runs WHERE normalized_company = %s"
               " AND status IN ('pending', 'running')")
        params: list[Any] = [normalize_company(company)]
        if country:
            sql += " AND country = %s"
            params.append(country.upper())
        else:
            sql += " AND country IS NULL"
        with self._read() as cur:
            cur.execute(sql + " ORDER BY id DESC LIMIT 1", params)
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
