"""The store's behaviour, written once for both backends (SQLite and PostgreSQL).

Backends supply connections, transactions, value conversions and a few fast paths
(COPY, array parameters, the full-text clause). SQL here uses `%s` placeholders; the SQLite
backend rewrites them.
"""
from __future__ import annotations

import base64
import json
import logging
import re
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from operator import itemgetter
from typing import Any, Iterator, Sequence

from jobos.items import CONTRACT_FIELDS
from jobos.store import records
from jobos.store.migrator import SchemaOutdated, latest_version, migrations, outdated_message
from jobos.store.names import normalize_company
from jobos.store.records import CONTENT_FIELDS, PreparedJob

logger = logging.getLogger(__name__)

TOTAL_CAP = 10_000
MAX_LIMIT = 500
ROLES = ("viewer", "user", "admin")
CRAWL_STATUSES = ("pending", "running", "finished", "partial", "failed", "cancelled")
ACTIVE_STATUSES = ("pending", "running")

# Columns written when a job is inserted, in order (COPY and INSERT use the same list).
JOB_INSERT_COLUMNS: tuple[str, ...] = (
    "board",
    "company_id",
    "company_norm",
    *CONTENT_FIELDS,
    "scraped_at",
    "extraction_pending",
    "provenance",
    "content_hash",
    "status",
    "first_seen",
    "last_seen",
    "sort_date",
    "last_crawl_id",
)
_UPDATE_FIELDS = [f for f in CONTENT_FIELDS if f != "external_id"]
_content_of = itemgetter(*CONTENT_FIELDS)  # a job's content values as a tuple, at C speed
_POSTED_AT = CONTENT_FIELDS.index("posted_at")

CRAWL_UPDATE_FIELDS = frozenset(
    """status step pages found new updated unchanged closed dropped llm_calls errors
    scrapyd_job_id node started_at finished_at error_summary attempts""".split()
)
_CRAWL_TS = frozenset({"started_at", "finished_at"})
COMPANY_UPDATE_FIELDS = frozenset({"name", "domain", "board", "careers_url", "reason", "pinned"})

# Sort keys the API may ask for -> (SQL expression, kind of value in the cursor).
SORTS: dict[str, tuple[str, str]] = {
    "posted_at": ("j.sort_date", "date"),
    "first_seen": ("j.first_seen", "ts"),
    "last_seen": ("j.last_seen", "ts"),
    "title": ("j.title", "text"),
    "company": ("j.company_norm", "text"),
}
_WORDS = re.compile(r"[^\W_]+", re.UNICODE)


@dataclass(frozen=True)
class UpsertResult:
    """What one upsert batch did."""

    new: int = 0
    updated: int = 0
    unchanged: int = 0
    reopened: int = 0
    invalid: int = 0

    def __add__(self, other: UpsertResult) -> UpsertResult:
        return UpsertResult(
            self.new + other.new,
            self.updated + other.updated,
            self.unchanged + other.unchanged,
            self.reopened + other.reopened,
            self.invalid + other.invalid,
        )


class InvalidCursor(ValueError):
    """A pagination cursor that this query did not issue."""


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


def iso_ts(value: Any) -> str | None:
    """Return a timestamp as ISO 8601 UTC text with a Z, microseconds always present."""
    if value is None:
        return None
    dt = records.parse_timestamp(value)
    if dt is None:
        return str(value)
    return dt.strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def search_words(q: str | None) -> list[str]:
    """Return the words of a full-text query (both backends AND them)."""
    return _WORDS.findall(q or "")[:32]


class BaseStore:
    """Everything the crawler and the API ask of the database."""

    dialect = ""  # 'pg' or 'sqlite'
    url = ""
    _IN_CHUNK = 900  # ids per membership test (SQLite binds one parameter per id)

    # ---- backend hooks -------------------------------------------------------------------
    @contextmanager
    def _write(self) -> Iterator[Any]:  # pragma: no cover - implemented by backends
        raise NotImplementedError
        yield

    @contextmanager
    def _read(self) -> Iterator[Any]:  # pragma: no cover
        raise NotImplementedError
        yield

    def _json_in(self, value: Any) -> Any:
        raise NotImplementedError

    def _json_out(self, value: Any) -> Any:
        raise NotImplementedError

    def _ts_in(self, value: datetime | None) -> Any:
        raise NotImplementedError

    def _date_in(self, value: str | None) -> Any:
        raise NotImplementedError

    def _bool_in(self, value: bool) -> Any:
        return value

    def _in(self, column: str, values: Sequence[Any]) -> tuple[str, list[Any]]:
        """Return an SQL membership test and its parameters."""
        raise NotImplementedError

    def _fts_clause(self, words: list[str]) -> tuple[str, list[Any]]:
        raise NotImplementedError

    def _lock_boards(self, cur: Any, boards: list[str]) -> None:
        """Serialize writers of the same boards (SQLite's write lock already does)."""

    def _insert_jobs(self, cur: Any, rows: list[tuple]) -> None:
        if rows:
            cols = ", ".join(JOB_INSERT_COLUMNS)
            marks = ", ".join(["%s"] * len(JOB_INSERT_COLUMNS))
            cur.executemany(f"INSERT INTO jobs ({cols}) VALUES ({marks})", rows)

    def upgrade(self) -> list[str]:  # pragma: no cover
        raise NotImplementedError

    def schema_version(self) -> int:  # pragma: no cover
        raise NotImplementedError

    def ping(self) -> bool:  # pragma: no cover
        raise NotImplementedError

    def close(self) -> None:  # pragma: no cover
        raise NotImplementedError

    # ---- value helpers -------------------------------------------------------------------
    @staticmethod
    def _date_out(value: Any) -> str | None:
        if value is None:
            return None
        if isinstance(value, datetime):
            return value.date().isoformat()
        if isinstance(value, date):
            return value.isoformat()
        return str(value)[:10]

    def _row_out(self, row: dict, json_fields: Sequence[str] = (), ts_fields: Sequence[str] = (),
                 bool_fields: Sequence[str] = (), date_fields: Sequence[str] = ()) -> dict:
        out = dict(row)
        for f in json_fields:
            if f in out:
                out[f] = self._json_out(out[f])
        for f in ts_fields:
            if f in out:
                out[f] = iso_ts(out[f])
        for f in bool_fields:
            if f in out and out[f] is not None:
                out[f] = bool(out[f])
        for f in date_fields:
            if f in out:
                out[f] = self._date_out(out[f])
        return out

    def _check_schema(self, auto_migrate: bool) -> None:
        """Upgrade the schema, or refuse an old one when automatic migration is off."""
        latest = latest_version(self.dialect)
        if auto_migrate:
            applied = self.upgrade()
            if applied:
                logger.info("store: applied migrations %s", ", ".join(applied))
            return
        current = self.schema_version()
        if current < latest:
            raise SchemaOutdated(outdated_message(current, latest))

    def known_migrations(self) -> list[str]:
        return [m.name for m in migrations(self.dialect)]

    # ---- jobs: writing -------------------------------------------------------------------
    def upsert_jobs(self, items: list[dict], crawl_id: int | None = None) -> UpsertResult:
        """Return counts after writing one batch of items in one transaction."""
        prepared: dict[tuple[str, str], PreparedJob] = {}
        invalid = 0
        for item in items:
            job = records.prepare(item)
            if job is None:
                invalid += 1
                logger.warning("store: item without board/external_id/title/url skipped: %s",
                               {k: item.get(k) for k in ("board", "external_id", "url")})
                continue
            prepared[job.key] = job  # last one wins within a batch
        if not prepared:
            return UpsertResult(invalid=invalid)
        now = utcnow()
        now_db = self._ts_in(now)  # converted once per batch, not once per row
        today_db = self._date_in(now.date().isoformat())
        boards = sorted({job.board for job in prepared.values()})
        with self._write() as cur:
            self._lock_boards(cur, boards)
            existing = self._fetch_existing(cur, list(prepared))
            company_ids = self._company_ids(cur, boards)
            new_rows: list[tuple] = []
            touch_ids: list[int] = []
            flag_updates: list[tuple] = []
            changed: list[tuple[dict, PreparedJob]] = []
            for key, job in prepared.items():
                ex = existing.get(key)
                if ex is None:
                    new_rows.append(self._insert_row(job, company_ids.get(job.board), now_db,
                                                     today_db, crawl_id))
                    continue
                records.anchor_posted_at(job, self._date_out(ex["posted_at"]))
                if ex["content_hash"] == job.content_hash and ex["status"] == "open":
                    touch_ids.append(ex["id"])
                    if bool(ex["extraction_pending"]) != job.extraction_pending:
                        flag_updates.append((self._bool_in(job.extraction_pending), ex["id"]))
                else:
                    changed.append((ex, job))
            self._insert_jobs(cur, new_rows)
            self._touch(cur, touch_ids, now_db, crawl_id)
            if flag_updates:
                cur.executemany("UPDATE jobs SET extraction_pending = %s WHERE id = %s", flag_updates)
            reopened = self._apply_changes(cur, changed, company_ids, now, crawl_id)
        return UpsertResult(
            new=len(new_rows),
            updated=len(changed) - reopened,
            unchanged=len(touch_ids),
            reopened=reopened,
            invalid=invalid,
        )

    def _fetch_existing(self, cur: Any, keys: list[tuple[str, str]]) -> dict[tuple[str, str], dict]:
        by_board: dict[str, list[str]] = {}
        for board, ext in keys:
            by_board.setdefault(board, []).append(ext)
        found: dict[tuple[str, str], dict] = {}
        for board, exts in by_board.items():
            for chunk in _chunks(exts, self._IN_CHUNK):
                clause, params = self._in("external_id", chunk)
                cur.execute(
                    "SELECT id, external_id, content_hash, status, posted_at, first_seen,"
                    " extraction_pending FROM jobs WHERE board = %s AND " + clause,
                    [board, *params],
                )
                for row in cur.fetchall():
                    found[(board, row["external_id"])] = row
        return found

    def _company_ids(self, cur: Any, boards: list[str]) -> dict[str, int]:
        clause, params = self._in("board", boards)
        cur.execute("SELECT id, board FROM companies WHERE " + clause, params)
        return {row["board"]: row["id"] for row in cur.fetchall()}

    def _insert_row(self, job: PreparedJob, company_id: int | None, now_db: Any, today_db: Any,
                    crawl_id: int | None) -> tuple:
        """Return the JOB_INSERT_COLUMNS values of a new job (now_db, today_db already converted)."""
        content = _content_of(job.values)
        posted = content[_POSTED_AT]
        posted_db = self._date_in(posted) if posted is not None else None
        return (
            job.board,
            company_id,
            job.company_norm,
            *content[:_POSTED_AT],
            posted_db,
            *content[_POSTED_AT + 1:],
            self._ts_in(job.scraped_at),
            self._bool_in(job.extraction_pending),
            self._json_in(job.provenance) if job.provenance is not None else None,
            job.content_hash,
            "open",
            now_db,
            now_db,
            posted_db if posted_db is not None else today_db,  # sort_date: see records.sort_date
            crawl_id,
        )

    def _touch(self, cur: Any, ids: list[int], now_db: Any, crawl_id: int | None) -> None:
        for chunk in _chunks(ids, self._IN_CHUNK):
            clause, params = self._in("id", chunk)
            cur.execute(
                "UPDATE jobs SET last_seen = %s, last_crawl_id = COALESCE(%s, last_crawl_id)"
                " WHERE " + clause,
                [now_db, crawl_id, *params],
            )

    def _apply_changes(self, cur: Any, changed: list[tuple[dict, PreparedJob]],
                       company_ids: dict[str, int], now: datetime, crawl_id: int | None) -> int:
        """Write changed and reopened jobs with one history row each; return how many reopened."""
        if not changed:
            return 0
        old_rows = self._fetch_content(cur, [ex["id"] for ex, _ in changed])
        updates, history = [], []
        reopened = 0
        for ex, job in changed:
            old = old_rows[ex["id"]]
            fields, old_values = records.diff(old, job.values)
            if ex["status"] == "closed":
                reopened += 1
                fields.append("status")
                old_values["status"] = "closed"
                old_values["closed_at"] = old.get("_closed_at")
            first_seen = records.parse_timestamp(ex["first_seen"]) or now
            updates.append((
                *(self._date_in(job.values[f]) if f == "posted_at" else job.values[f]
                  for f in _UPDATE_FIELDS),
                company_ids.get(job.board),
                job.company_norm,
                self._ts_in(job.scraped_at),
                self._bool_in(job.extraction_pending),
                self._json_in(job.provenance) if job.provenance is not None else None,
                job.content_hash,
                self._ts_in(now),
                self._date_in(records.sort_date(job, first_seen)),
                crawl_id,
                ex["id"],
            ))
            history.append((ex["id"], self._ts_in(now), crawl_id, self._json_in(fields),
                            self._json_in(old_values)))
        sets = ", ".join(f"{f} = %s" for f in _UPDATE_FIELDS)
        cur.executemany(
            f"UPDATE jobs SET {sets}, company_id = COALESCE(%s, company_id), company_norm = %s,"
            " scraped_at = %s, extraction_pending = %s, provenance = %s, content_hash = %s,"
            " status = 'open', closed_at = NULL, last_seen = %s, sort_date = %s,"
            " last_crawl_id = COALESCE(%s, last_crawl_id) WHERE id = %s",
            updates,
        )
        cur.executemany(
            "INSERT INTO job_history (job_id, changed_at, crawl_id, changed_fields, old_values)"
            " VALUES (%s, %s, %s, %s, %s)",
            history,
        )
        return reopened

    def _fetch_content(self, cur: Any, ids: list[int]) -> dict[int, dict]:
        cols = ", ".join(CONTENT_FIELDS)
        out: dict[int, dict] = {}
        for chunk in _chunks(ids, self._IN_CHUNK):
            clause, params = self._in("id", chunk)
            cur.execute(f"SELECT id, closed_at, {cols} FROM jobs WHERE " + clause, params)
            for row in cur.fetchall():
                values = {f: records.canonical(f, row[f]) for f in CONTENT_FIELDS}
                values["posted_at"] = self._date_out(row["posted_at"])
                values["_closed_at"] = iso_ts(row["closed_at"])
                out[row["id"]] = values
        return out

    def close_missing(self, board: str, seen_external_ids: set[str], country: str | None = None,
                      crawl_id: int | None = None) -> int:
        """Return how many open jobs of the board, in scope, were closed for not being seen.

        Scope: with no country, every open job of the board; with a country, only jobs stored
        with that country. Jobs of unknown country are closed only by a crawl without a country
        filter: a country-filtered crawl may not list them (an ATS's country facet hides them),
        and closing a live job is worse than keeping a gone one until the next full crawl.
        """
        seen = {str(e) for e in seen_external_ids}
        now = utcnow()
        with self._write() as cur:
            self._lock_boards(cur, [board])
            sql = "SELECT id, external_id FROM jobs WHERE board = %s AND status = 'open'"
            params: list[Any] = [board]
            if country:
                sql += " AND country = %s"
                params.append(country.upper())
            cur.execute(sql, params)
            gone = [row["id"] for row in cur.fetchall() if row["external_id"] not in seen]
            for chunk in _chunks(gone, 900):
                clause, cparams = self._in("id", chunk)
                cur.execute(
                    "UPDATE jobs SET status = 'closed', closed_at = %s,"
                    " last_crawl_id = COALESCE(%s, last_crawl_id) WHERE " + clause,
                    [self._ts_in(now), crawl_id, *cparams],
                )
        if gone:
            logger.info("store: closed %d jobs of %s no longer listed", len(gone), board)
        return len(gone)

    # ---- jobs: reading -------------------------------------------------------------------
    _JOB_TS = ("scraped_at", "first_seen", "last_seen", "closed_at")

    def _job_out(self, row: dict) -> dict:
        out = self._row_out(row, json_fields=("provenance",), ts_fields=self._JOB_TS,
                            bool_fields=("extraction_pending",), date_fields=("posted_at",))
        out.pop("search", None)
        out.pop("sort_date", None)
        out.pop("content_hash", None)
        return out

    def search_jobs(self, q: str | None = None, company: str | None = None,
                    country: str | None = None, workplace: str | None = None,
                    employment_type: str | None = None, posted_since: Any = None,
                    status: str | None = "open", sort: str = "posted_at", order: str = "desc",
                    cursor: str | None = None, limit: int = 50,
                    company_id: int | None = None) -> dict:
        """Return {items, total, next_cursor}: one page of matching jobs, newest first by default.

        total is exact up to 10,000 and the string '10000+' beyond; next_cursor is None on the
        last page. status None or 'all' matches open and closed jobs.
        """
        if sort not in SORTS:
            raise ValueError(f"sort must be one of {', '.join(SORTS)}")
        if order not in ("asc", "desc"):
            raise ValueError("order must be asc or desc")
        limit = max(1, min(int(limit), MAX_LIMIT))
        where, params = [], []
        words = search_words(q)
        if words:
            clause, p = self._fts_clause(words)
            where.append(clause)
            params += p
        if company:
            where.append("j.company_norm = %s")
            params.append(normalize_company(company))
        if company_id is not None:
            where.append("j.company_id = %s")
            params.append(int(company_id))
        for column, value in (("country", country), ("workplace", workplace),
                              ("employment_type", employment_type)):
            if value:
                where.append(f"j.{column} = %s")
                params.append(value.upper() if column in ("country", "employment_type") else value.lower())
        if posted_since:
            since = posted_since.isoformat()[:10] if isinstance(posted_since, (date, datetime)) else str(posted_since)[:10]
            where.append("j.posted_at >= %s")
            params.append(self._date_in(date.fromisoformat(since).isoformat()))
        if status and status != "all":
            if status not in ("open", "closed"):
                raise ValueError("status must be open, closed or all")
            where.append("j.status = %s")
            params.append(status)
        base_where = " AND ".join(where) if where else "1=1"
        expr, kind = SORTS[sort]
        cursor_sql, cursor_params = "", []
        if cursor:
            value, last_id = self._decode_cursor(cursor, sort, order)
            op = "<" if order == "desc" else ">"
            cursor_sql = f" AND ({{sort}}, {{id}}) {op} (%s, %s)"
            cursor_params = [self._cursor_value_in(kind, value), last_id]
        direction = "DESC" if order == "desc" else "ASC"
        with self._read() as cur:
            count, page_ids = self._capped_matches(cur, base_where, params, expr, direction,
                                                   cursor_sql, cursor_params, limit + 1)
            if count <= TOTAL_CAP:
                # Every match was in the capped set, so its first ids are the page: fetch
                # those rows by primary key instead of searching a second time.
                rows = []
                if page_ids:
                    clause, p = self._in("j.id", page_ids)
                    cur.execute(
                        f"SELECT j.*, {expr} AS _sort FROM jobs j WHERE {clause}"
                        f" ORDER BY {expr} {direction}, j.id {direction}",
                        p,
                    )
                    rows = cur.fetchall()
            else:
                # More than the cap: matches are dense, so walking the sort order finds a
                # page after few rows.
                page_where = base_where + cursor_sql.format(sort=expr, id="j.id")
                cur.execute(
                    f"SELECT j.*, {expr} AS _sort FROM jobs j WHERE {page_where}"
                    f" ORDER BY {expr} {direction}, j.id {direction} LIMIT %s",
                    [*params, *cursor_params, limit + 1],
                )
                rows = cur.fetchall()
        more = len(rows) > limit
        rows = rows[:limit]
        next_cursor = None
        if more and rows:
            last = rows[-1]
            next_cursor = self._encode_cursor(sort, order, self._cursor_value_out(kind, last["_sort"]), last["id"])
        items = []
        for row in rows:
            row = dict(row)
            row.pop("_sort", None)
            items.append(self._job_out(row))
        total = f"{TOTAL_CAP}+" if count > TOTAL_CAP else str(count)
        return {"items": items, "total": total, "next_cursor": next_cursor}

    # Postgres would inline a CTE referenced once; this one is referenced twice and must be
    # computed once. SQLite (3.35+) takes the same keyword.
    _MATERIALIZED = "MATERIALIZED"

    def _capped_matches(self, cur: Any, where: str, params: list[Any], expr: str, direction: str,
                        cursor_sql: str, cursor_params: list[Any], page_size: int) -> tuple[int, list[int]]:
        """Return (matches counted up to TOTAL_CAP + 1, ids of the page from that capped set).

        One scan of the filters (through the full-text index when q is given) yields the total
        and, whenever the total is within the cap, the page too. The page ids are only
        meaningful when the count is at most TOTAL_CAP (the set then holds every match).
        """
        page_cursor = cursor_sql.format(sort="m._sort", id="m.id")
        cur.execute(
            f"WITH m AS {self._MATERIALIZED} (SELECT j.id AS id, {expr} AS _sort FROM jobs j"
            f" WHERE {where} LIMIT {TOTAL_CAP + 1})"
            f" SELECT c.n AS n, p.id AS id FROM (SELECT count(*) AS n FROM m) c LEFT JOIN"
            f" (SELECT m.id AS id, m._sort AS _sort FROM m WHERE 1=1{page_cursor}"
            f" ORDER BY m._sort {direction}, m.id {direction} LIMIT %s) p ON 1=1"
            f" ORDER BY p._sort {direction}, p.id {direction}",
            [*params, *cursor_params, page_size],
        )
        rows = cur.fetchall()
        count = int(rows[0]["n"]) if rows else 0
        return count, [r["id"] for r in rows if r["id"] is not None]

    def _cursor_value_out(self, kind: str, value: Any) -> Any:
        if kind == "date":
            return self._date_out(value)
        if kind == "ts":
            return iso_ts(value)
        return value

    def _cursor_value_in(self, kind: str, value: Any) -> Any:
        if kind == "date":
            return self._date_in(value)
        if kind == "ts":
            return self._ts_in(records.parse_timestamp(value))
        return value

    @staticmethod
    def _encode_cursor(sort: str, order: str, value: Any, last_id: int) -> str:
        raw = json.dumps([sort, order, value, last_id], separators=(",", ":")).encode()
        return base64.urlsafe_b64encode(raw).decode().rstrip("=")

    @staticmethod
    def _decode_cursor(cursor: str, sort: str, order: str) -> tuple[Any, int]:
        try:
            raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
            c_sort, c_order, value, last_id = json.loads(raw)
            last_id = int(last_id)
        except Exception:
            raise InvalidCursor("cursor is not one this API issued") from None
        if c_sort != sort or c_order != order:
            raise InvalidCursor("cursor belongs to a different sort order")
        return value, last_id

    def get_job(self, job_id: int) -> dict | None:
        """Return a job with its meta fields, provenance and history (oldest change first)."""
        with self._read() as cur:
            cur.execute("SELECT * FROM jobs WHERE id = %s", [int(job_id)])
            row = cur.fetchone()
            if row is None:
                return None
            cur.execute(
                "SELECT changed_at, crawl_id, changed_fields, old_values FROM job_history"
                " WHERE job_id = %s ORDER BY changed_at, id",
                [int(job_id)],
            )
            history = [
                self._row_out(h, json_fields=("changed_fields", "old_values"), ts_fields=("changed_at",))
                for h in cur.fetchall()
            ]
        job = self._job_out(row)
        job["history"] = history
        return job

    def job_count(self, status: str | None = None) -> int:
        """Return how many jobs are stored (optionally with one status)."""
        with self._read() as cur:
            if status:
                cur.execute("SELECT count(*) AS n FROM jobs WHERE status = %s", [status])
            else:
                cur.execute("SELECT count(*) AS n FROM jobs")
            return int(cur.fetchone()["n"])

    # ---- companies -----------------------------------------------------------------------
    def upsert_company(self, name: str, domain: str | None = None, board: str | None = None,
                       careers_url: str | None = None, reason: str | None = None) -> int:
        """Return the company's id, found by board or else domain (never by the typed name)."""
        if not board and not domain:
            raise ValueError("a company is identified by its domain or board; got neither")
        domain = domain.lower().strip() if domain else None
        now = self._ts_in(utcnow())
        with self._write() as cur:
            row = None
            if board:
                cur.execute("SELECT * FROM companies WHERE board = %s", [board])
                row = cur.fetchone()
            if row is None and domain:
                cur.execute("SELECT * FROM companies WHERE domain = %s", [domain])
                row = cur.fetchone()
            if row is None:
                cur.execute(
                    "INSERT INTO companies (name, normalized_name, domain, board, careers_url,"
                    " reason, pinned, last_crawl_at, created_at, updated_at)"
                    " VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s) RETURNING id",
                    [name or domain or board, normalize_company(name or domain or board), domain,
                     board, careers_url, reason, self._bool_in(False), now, now, now],
                )
                company_id = cur.fetchone()["id"]
            else:
                company_id = row["id"]
                pinned = bool(row["pinned"])
                # A pinned company keeps the board and page a person chose.
                new_board = row["board"] if (pinned or row["board"]) else board
                new_url = row["careers_url"] if pinned else (careers_url or row["careers_url"])
                new_reason = row["reason"] if pinned else (reason or row["reason"])
                new_domain = row["domain"] or domain
                if new_domain != row["domain"] and domain:
                    cur.execute("SELECT id FROM companies WHERE domain = %s AND id <> %s", [domain, company_id])
                    if cur.fetchone():
                        new_domain = row["domain"]  # another row owns it; keep rows apart
                cur.execute(
                    "UPDATE companies SET name = %s, normalized_name = %s, domain = %s, board = %s,"
                    " careers_url = %s, reason = %s, last_crawl_at = %s, updated_at = %s"
                    " WHERE id = %s",
                    [name or row["name"], normalize_company(name or row["name"]), new_domain,
                     new_board, new_url, new_reason, now, now, company_id],
                )
            if board:
                cur.execute("UPDATE jobs SET company_id = %s WHERE board = %s AND company_id IS NULL",
                            [company_id, board])
        return int(company_id)

    _COMPANY_SELECT = (
        "SELECT c.*, (SELECT count(*) FROM jobs j WHERE j.company_id = c.id AND j.status = 'open')"
        " AS open_jobs FROM companies c"
    )

    def _company_out(self, row: dict) -> dict:
        return self._row_out(row, ts_fields=("last_crawl_at", "created_at", "updated_at"),
                             bool_fields=("pinned",))

    def list_companies(self, q: str | None = None, country: str | None = None, limit: int = 50,
                       cursor: str | None = None) -> dict:
        """Return {items, next_cursor}: companies by name, optionally matching q and a job country."""
        limit = max(1, min(int(limit), MAX_LIMIT))
        where, params = [], []
        if q and q.strip():
            norm = normalize_company(q)
            where.append("(c.normalized_name LIKE %s OR c.domain LIKE %s)")
            params += [f"%{_like_escape(norm)}%", f"%{_like_escape(q.strip().lower())}%"]
        if country:
            where.append("EXISTS (SELECT 1 FROM jobs j WHERE j.company_id = c.id AND j.country = %s)")
            params.append(country.upper())
        if cursor:
            value, last_id = self._decode_cursor(cursor, "name", "asc")
            where.append("(c.normalized_name, c.id) > (%s, %s)")
            params += [value, last_id]
        sql = self._COMPANY_SELECT
        if where:
            sql += " WHERE " + " AND ".join(where)
        sql += " ORDER BY c.normalized_name, c.id LIMIT %s"
        with self._read() as cur:
            cur.execute(sql, [*params, limit + 1])
            rows = cur.fetchall()
        more = len(rows) > limit
        rows = rows[:limit]
        next_cursor = None
        if more and rows:
            next_cursor = self._encode_cursor("name", "asc", rows[-1]["normalized_name"], rows[-1]["id"])
        return {"items": [self._company_out(r) for r in rows], "next_cursor": next_cursor}

    def get_company(self, company_id: int) -> dict | None:
        """Return a company with its open job count and its latest crawl run, or None."""
        with self._read() as cur:
            cur.execute(self._COMPANY_SELECT + " WHERE c.id = %s", [int(company_id)])
            row = cur.fetchone()
            if row is None:
                return None
            cur.execute(
                "SELECT * FROM crawl_runs WHERE normalized_company = %s ORDER BY id DESC LIMIT 1",
                [row["normalized_name"]],
            )
            last = cur.fetchone()
        company = self._company_out(row)
        company["last_crawl"] = self._crawl_out(last) if last else None
        return company

    def update_company(self, company_id: int, **fields: Any) -> dict | None:
        """Return the company after changing the given fields; setting board or careers_url pins it."""
        unknown = set(fields) - COMPANY_UPDATE_FIELDS
        if unknown:
            raise ValueError(f"cannot update company fields: {', '.join(sorted(unknown))}")
        if ("board" in fields or "careers_url" in fields) and "pinned" not in fields:
            fields["pinned"] = True
        if "name" in fields:
            fields["normalized_name"] = normalize_company(fields["name"])
        if "pinned" in fields:
            fields["pinned"] = self._bool_in(bool(fields["pinned"]))
        if fields.get("domain"):
            fields["domain"] = fields["domain"].lower().strip()
        if fields:
            fields["updated_at"] = self._ts_in(utcnow())
            sets = ", ".join(f"{k} = %s" for k in fields)
            with self._write() as cur:
                cur.execute(f"UPDATE companies SET {sets} WHERE id = %s", [*fields.values(), int(company_id)])
                if fields.get("board"):
                    cur.execute("UPDATE jobs SET company_id = %s WHERE board = %s AND company_id IS NULL",
                                [int(company_id), fields["board"]])
        return self.get_company(company_id)

    def companies_due_for_refresh(self, older_than: timedelta) -> list[dict]:
        """Return companies last crawled longer ago than older_than (or never), oldest first."""
        cutoff = self._ts_in(utcnow() - older_than)
        with self._read() as cur:
            cur.execute(
                self._COMPANY_SELECT
                + " WHERE c.last_crawl_at IS NULL OR c.last_crawl_at < %s"
                " ORDER BY c.last_crawl_at IS NOT NULL, c.last_crawl_at, c.id",
                [cutoff],
            )
            return [self._company_out(r) for r in cur.fetchall()]

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

    # ---- LLM cache and pending extraction ------------------------------------------------
    def llm_cache_get(self, content_hash: str) -> dict | None:
        """Return the cached extraction {model, result, created_at} for a page hash, or None."""
        with self._read() as cur:
            cur.execute("SELECT model, result, created_at FROM llm_cache WHERE content_hash = %s",
                        [content_hash])
            row = cur.fetchone()
        return self._row_out(row, json_fields=("result",), ts_fields=("created_at",)) if row else None

    def llm_cache_put(self, content_hash: str, model: str, result: dict) -> None:
        """Store (or replace) the extraction result for a page hash."""
        with self._write() as cur:
            cur.execute(
                "INSERT INTO llm_cache (content_hash, model, result, created_at) VALUES (%s, %s, %s, %s)"
                " ON CONFLICT (content_hash) DO UPDATE SET model = excluded.model,"
                " result = excluded.result, created_at = excluded.created_at",
                [content_hash, model, self._json_in(result), self._ts_in(utcnow())],
            )

    def add_pending(self, item: dict) -> None:
        """Keep a record (with url and page_markdown) for LLM extraction later, keyed by board+id."""
        board, ext = records.board_for(item), records.external_id_for(item)
        if not board or not ext:
            raise ValueError("a pending record needs a board and an external_id (or url)")
        data = json.loads(json.dumps(dict(item), default=str))
        with self._write() as cur:
            cur.execute(
                "INSERT INTO pending_extractions (board, external_id, url, page_markdown, item,"
                " attempts, created_at) VALUES (%s, %s, %s, %s, %s, 0, %s)"
                " ON CONFLICT (board, external_id) DO UPDATE SET url = excluded.url,"
                " page_markdown = excluded.page_markdown, item = excluded.item,"
                " attempts = pending_extractions.attempts + 1",
                [board, ext, data.get("url"), data.get("page_markdown"), self._json_in(data),
                 self._ts_in(utcnow())],
            )

    def list_pending(self, limit: int = 100) -> list[dict]:
        """Return pending records (the item as stored, with board and external_id), oldest first."""
        with self._read() as cur:
            cur.execute(
                "SELECT board, external_id, url, page_markdown, item, attempts, created_at"
                " FROM pending_extractions ORDER BY created_at, board, external_id LIMIT %s",
                [max(1, int(limit))],
            )
            rows = cur.fetchall()
        out = []
        for row in rows:
            item = self._json_out(row["item"]) or {}
            item.update(board=row["board"], external_id=row["external_id"], url=row["url"],
                        page_markdown=row["page_markdown"])
            item["_pending"] = {"attempts": row["attempts"], "created_at": iso_ts(row["created_at"])}
            out.append(item)
        return out

    def resolve_pending(self, board: str, external_id: str) -> None:
        """Forget a pending record (extraction done or given up)."""
        with self._write() as cur:
            cur.execute("DELETE FROM pending_extractions WHERE board = %s AND external_id = %s",
                        [board, str(external_id)])

    # ---- users, profiles, roles, audit ---------------------------------------------------
    def _new_principal(self, cur: Any, kind: str) -> int:
        cur.execute("INSERT INTO principals (kind) VALUES (%s) RETURNING id", [kind])
        return int(cur.fetchone()["id"])

    @staticmethod
    def _check_role(role: str) -> None:
        if role not in ROLES:
            raise ValueError(f"role must be one of {', '.join(ROLES)}")

    def create_user(self, email: str, password_hash: str, role: str = "viewer") -> int:
        """Return the id of a new local account (email compared case-insensitively)."""
        self._check_role(role)
        email = email.strip().lower()
        with self._write() as cur:
            cur.execute("SELECT id FROM users WHERE email = %s", [email])
            if cur.fetchone():
                raise ValueError(f"a user with email {email} exists")
            user_id = self._new_principal(cur, "user")
            cur.execute(
                "INSERT INTO users (id, email, password_hash, role, disabled, created_at)"
                " VALUES (%s, %s, %s, %s, %s, %s)",
                [user_id, email, password_hash, role, self._bool_in(False), self._ts_in(utcnow())],
            )
        return user_id

    def _user_out(self, row: dict) -> dict:
        out = self._row_out(row, ts_fields=("created_at",), bool_fields=("disabled",))
        out["kind"] = "user"
        return out

    def get_user_by_email(self, email: str) -> dict | None:
        """Return a local account (with password_hash) by email, or None."""
        with self._read() as cur:
            cur.execute("SELECT * FROM users WHERE email = %s", [email.strip().lower()])
            row = cur.fetchone()
        return self._user_out(row) if row else None

    def get_user(self, user_id: int) -> dict | None:
        """Return a local account or an external profile by id (they share one id space)."""
        with self._read() as cur:
            cur.execute("SELECT * FROM users WHERE id = %s", [int(user_id)])
            row = cur.fetchone()
            if row:
                return self._user_out(row)
            cur.execute("SELECT * FROM profiles WHERE id = %s", [int(user_id)])
            row = cur.fetchone()
        return self._profile_out(row) if row else None

    def list_users(self) -> list[dict]:
        """Return local accounts (without password hashes) and profiles, by id."""
        with self._read() as cur:
            cur.execute("SELECT id, email, role, disabled, created_at FROM users ORDER BY id")
            users = [self._user_out(r) for r in cur.fetchall()]
            cur.execute("SELECT * FROM profiles ORDER BY id")
            profiles = [self._profile_out(r) for r in cur.fetchall()]
        return sorted(users + profiles, key=lambda r: r["id"])

    def _profile_out(self, row: dict) -> dict:
        out = self._row_out(row, ts_fields=("created_at", "last_seen_at"))
        out["kind"] = "profile"
        return out

    def get_or_create_profile(self, subject: str, email: str | None, issuer: str,
                              default_role: str = "viewer") -> dict:
        """Return the profile of an external identity, creating it with default_role when new."""
        self._check_role(default_role)
        now = self._ts_in(utcnow())
        with self._write() as cur:
            cur.execute("SELECT * FROM profiles WHERE issuer = %s AND subject = %s", [issuer, subject])
            row = cur.fetchone()
            if row is None:
                profile_id = self._new_principal(cur, "profile")
                cur.execute(
                    "INSERT INTO profiles (id, issuer, subject, email, role, created_at, last_seen_at)"
                    " VALUES (%s, %s, %s, %s, %s, %s, %s)",
                    [profile_id, issuer, subject, email, default_role, now, now],
                )
            else:
                cur.execute(
                    "UPDATE profiles SET email = COALESCE(%s, email), last_seen_at = %s WHERE id = %s",
                    [email, now, row["id"]],
                )
            cur.execute("SELECT * FROM profiles WHERE issuer = %s AND subject = %s", [issuer, subject])
            row = cur.fetchone()
        return self._profile_out(row)

    def set_role(self, user_or_profile_id: int, role: str) -> bool:
        """Return True after giving a user or profile a role; False when no such id exists."""
        self._check_role(role)
        with self._write() as cur:
            for table in ("users", "profiles"):
                cur.execute(f"UPDATE {table} SET role = %s WHERE id = %s", [role, int(user_or_profile_id)])
                if cur.rowcount:
                    return True
        return False

    def audit(self, actor: str, action: str, target: str | None = None, detail: dict | None = None) -> None:
        """Record who did what to what."""
        with self._write() as cur:
            cur.execute(
                "INSERT INTO audit_log (at, actor, action, target, detail) VALUES (%s, %s, %s, %s, %s)",
                [self._ts_in(utcnow()), actor, action, target,
                 self._json_in(json.loads(json.dumps(detail or {}, default=str)))],
            )

    def list_audit(self, limit: int = 100) -> list[dict]:
        """Return the newest audit entries first."""
        with self._read() as cur:
            cur.execute("SELECT * FROM audit_log ORDER BY at DESC, id DESC LIMIT %s",
                        [max(1, min(int(limit), 10_000))])
            return [self._row_out(r, json_fields=("detail",), ts_fields=("at",)) for r in cur.fetchall()]

    def __enter__(self) -> BaseStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _chunks(seq: Sequence[Any], size: int) -> Iterator[Sequence[Any]]:
    for i in range(0, len(seq), size):
        yield seq[i:i + size]


def _like_escape(text: str) -> str:
    # Our LIKE patterns have no ESCAPE clause; drop the wildcards a user might type.
    return text.replace("%", "").replace("_", "")


__all__ = ["BaseStore", "UpsertResult", "InvalidCursor", "SchemaOutdated", "CONTRACT_FIELDS"]
