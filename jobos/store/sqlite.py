"""SQLite backend: the embedded default, one file under JOBOS_DATA_DIR (WAL, busy timeout)."""
from __future__ import annotations

import json
import logging
import sqlite3
import threading
import time
from contextlib import contextmanager
from datetime import datetime
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterator, Sequence

from jobos.config import env_int
from jobos.store.base import BaseStore, iso_ts
from jobos.store.migrator import migrations, split_sqlite_script

logger = logging.getLogger(__name__)

FILENAME = "jobos.sqlite3"

# Jobs stored with the same content and open: only last_seen, the crawl and the extraction
# flag move, in one statement for the whole batch (keys as a JSON array). UPDATE ... RETURNING
# needs SQLite 3.35; older libraries take the general path.
_TOUCH_SQL = (
    "UPDATE jobs SET last_seen = %s, last_crawl_id = COALESCE(%s, last_crawl_id),"
    " extraction_pending = %s"
    " WHERE id IN (SELECT j.id FROM json_each(%s) AS e CROSS JOIN jobs AS j"
    " ON j.board = json_extract(e.value, '$[0]') AND j.external_id = json_extract(e.value, '$[1]')"
    " WHERE j.content_hash = json_extract(e.value, '$[2]') AND j.status = 'open')"
    " RETURNING board, external_id"
)
_HAS_RETURNING = sqlite3.sqlite_version_info >= (3, 35, 0)


@lru_cache(maxsize=8192)
def _iso_ts_cached(value: datetime) -> str | None:
    # Items of one crawl share few scraped_at values; formatting each once saves a strftime
    # per row.
    return iso_ts(value)


_names: tuple[Any, tuple[str, ...]] = (None, ())


def _dict_row(cursor: sqlite3.Cursor, row: tuple) -> dict:
    # The column names are taken from the statement's description once, not once per row
    # (an upsert reads a thousand rows a batch). One tuple holds both, so a thread that reads
    # it while another replaces it sees a matching pair.
    global _names
    description = cursor.description
    cached = _names
    if cached[0] is not description:
        cached = _names = (description, tuple(col[0] for col in description))
    return dict(zip(cached[1], row))


class _Cursor:
    """A sqlite3 cursor that takes the `%s` placeholders the shared SQL uses."""

    def __init__(self, cur: sqlite3.Cursor) -> None:
        self._cur = cur

    def execute(self, sql: str, params: Sequence[Any] = ()) -> _Cursor:
        self._cur.execute(sql.replace("%s", "?"), tuple(params))
        return self

    def executemany(self, sql: str, rows: Sequence[Sequence[Any]]) -> None:
        if rows:
            self._cur.executemany(sql.replace("%s", "?"), rows)

    def fetchone(self) -> dict | None:
        return self._cur.fetchone()

    def fetchall(self) -> list[dict]:
        return self._cur.fetchall()

    @property
    def rowcount(self) -> int:
        return self._cur.rowcount


class SqliteStore(BaseStore):
    """The store in a local SQLite file."""

    dialect = "sqlite"
    _integrity_errors = (sqlite3.IntegrityError,)

    def __init__(self, path: Path, auto_migrate: bool = True, check_schema: bool = True) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.url = f"sqlite:///{self.path}"
        # Waiting for the write lock is how two crawl processes share one file without errors.
        self._busy_ms = max(1000, env_int("JOBOS_SQLITE_BUSY_TIMEOUT", 60_000))
        # The page cache of each connection (SQLite's default is 2 MB): an upsert batch writes
        # rows, a dozen indexes and the full-text index; with 2 MB the index pages of one
        # batch were evicted and read again by the next (18 KB read per job at 60,000 jobs,
        # 2.4 KB with 32 MB). Pages are held only once read, up to this many MB.
        self._cache_kib = max(2, env_int("JOBOS_SQLITE_CACHE_MB", 32)) * 1024
        self._local = threading.local()
        self._all: list[sqlite3.Connection] = []
        self._lock = threading.Lock()
        if check_schema:
            self._check_schema(auto_migrate)

    # ---- connections ---------------------------------------------------------------------
    def _conn(self) -> sqlite3.Connection:
        conn = getattr(self._local, "conn", None)
        if conn is None:
            conn = sqlite3.connect(self.path, timeout=self._busy_ms / 1000, isolation_level=None,
                                   check_same_thread=False)
            conn.row_factory = _dict_row
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute(f"PRAGMA busy_timeout={self._busy_ms}")
            conn.execute("PRAGMA synchronous=NORMAL")  # WAL: durable at checkpoints, never corrupt
            conn.execute("PRAGMA foreign_keys=ON")
            conn.execute(f"PRAGMA cache_size=-{self._cache_kib}")
            # Checkpoint the WAL into the file every 8,000 pages (32 MB) instead of 1,000: a page
            # that several batches change (index leaves, the full-text index, the table's last
            # page) is copied once per checkpoint, and the checkpoint's fsyncs come 8x rarer.
            # The WAL file is cut back to 64 MB after a larger transaction.
            conn.execute("PRAGMA wal_autocheckpoint=8000")
            conn.execute("PRAGMA journal_size_limit=67108864")
            self._local.conn = conn
            with self._lock:
                self._all.append(conn)
        return conn

    def _begin_immediate(self, conn: sqlite3.Connection) -> None:
        # BEGIN IMMEDIATE takes the write lock up front (waiting up to busy_timeout), so a
        # transaction never fails later on a read-to-write upgrade. A few retries cover a
        # writer holding the lock longer than the timeout.
        for attempt in range(5):
            try:
                conn.execute("BEGIN IMMEDIATE")
                return
            except sqlite3.OperationalError as exc:
                if "locked" not in str(exc) and "busy" not in str(exc) or attempt == 4:
                    raise
                logger.warning("store: sqlite write lock busy, retrying (%s)", exc)
                time.sleep(0.5 * (attempt + 1))

    @contextmanager
    def _write(self) -> Iterator[_Cursor]:
        conn = self._conn()
        self._begin_immediate(conn)
        try:
            yield _Cursor(conn.cursor())
        except BaseException:
            conn.rollback()
            raise
        else:
            conn.commit()

    @contextmanager
    def _read(self) -> Iterator[_Cursor]:
        yield _Cursor(self._conn().cursor())

    def ping(self) -> bool:
        try:
            self._conn().execute("SELECT 1").fetchone()
            return True
        except sqlite3.Error:
            return False

    def close(self) -> None:
        with self._lock:
            for conn in self._all:
                try:
                    conn.close()
                except sqlite3.Error:
                    pass
            self._all.clear()
        self._local = threading.local()

    # ---- values --------------------------------------------------------------------------
    def _json_in(self, value: Any) -> Any:
        return json.dumps(value, ensure_ascii=False)

    def _json_out(self, value: Any) -> Any:
        return json.loads(value) if isinstance(value, str) else value

    def _ts_in(self, value: datetime | None) -> Any:
        return _iso_ts_cached(value) if value.__class__ is datetime else iso_ts(value)

    def _date_in(self, value: str | None) -> Any:
        return value

    def _bool_in(self, value: bool) -> Any:
        return 1 if value else 0

    def _in(self, column: str, values: Sequence[Any]) -> tuple[str, list[Any]]:
        return f"{column} IN ({', '.join(['%s'] * len(values))})", list(values)

    def _fts_clause(self, words: list[str]) -> tuple[str, list[Any]]:
        # Each word quoted: FTS5 operators typed by a user are searched as words.
        match = " ".join(f'"{w}"' for w in words)
        return "j.id IN (SELECT rowid FROM jobs_fts WHERE jobs_fts MATCH %s)", [match]

    def _merge_jobs(self, cur: _Cursor, prepared: dict, company_ids: dict[str, int], now: datetime,
                    crawl_id: int | None) -> tuple[int, int, int, int]:
        """Return (new, updated, unchanged, reopened): unchanged jobs touched in one statement
        (CROSS JOIN: the batch's keys drive, each found through the unique index), the rest
        by the general path."""
        if not _HAS_RETURNING:
            return super()._merge_jobs(cur, prepared, company_ids, now, crawl_id)
        self._anchor_relative_dates(cur, prepared)
        touched: set[tuple[str, str]] = set()
        for pending in (False, True):
            keys = [[j.board, j.external_id, j.content_hash] for j in prepared.values()
                    if j.extraction_pending is pending]
            if keys:
                cur.execute(_TOUCH_SQL, [self._ts_in(now), crawl_id, self._bool_in(pending), json.dumps(keys)])
                touched.update((row["board"], row["external_id"]) for row in cur.fetchall())
        rest = {key: job for key, job in prepared.items() if key not in touched}
        new = updated = unchanged = reopened = 0
        if rest:
            new, updated, unchanged, reopened = super()._merge_jobs(cur, rest, company_ids, now, crawl_id)
        return new, updated, unchanged + len(touched), reopened

    def _insert_jobs(self, cur: _Cursor, rows: list[tuple]) -> None:
        if not rows:
            return
        # Under the write lock (BEGIN IMMEDIATE) no one else inserts, and AUTOINCREMENT ids
        # only grow: the new jobs are exactly those above the highest id before the insert.
        before = cur.execute("SELECT coalesce(max(id), 0) AS m FROM jobs").fetchone()["m"]
        super()._insert_jobs(cur, rows)
        # The full-text rows in one statement rather than a trigger per row (migration 0003):
        # FTS5 indexes a set of rows several times faster than the same rows one by one.
        cur.execute(
            "INSERT INTO jobs_fts (rowid, title, description)"
            " SELECT id, title, description FROM jobs WHERE id > %s",
            [before],
        )

    # ---- migrations ----------------------------------------------------------------------
    def schema_version(self) -> int:
        conn = self._conn()
        exists = conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'"
        ).fetchone()
        if not exists:
            return 0
        return int(conn.execute("SELECT coalesce(max(version), 0) AS v FROM schema_migrations")
                   .fetchone()["v"])

    def upgrade(self, target: int | None = None) -> list[str]:
        """Return the names of the migrations applied now (under SQLite's write lock)."""
        conn = self._conn()
        applied: list[str] = []
        self._begin_immediate(conn)
        try:
            conn.execute(
                "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY,"
                " name TEXT NOT NULL, applied_at TEXT NOT NULL)"
            )
            done = {r["version"] for r in conn.execute("SELECT version FROM schema_migrations")}
            for mig in migrations(self.dialect):
                if mig.version in done or (target is not None and mig.version > target):
                    continue
                for statement in split_sqlite_script(mig.sql):
                    conn.execute(statement)
                conn.execute(
                    "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)",
                    (mig.version, mig.name, iso_ts(datetime.now().astimezone())),
                )
                applied.append(mig.name)
        except BaseException:
            conn.rollback()
            raise
        conn.commit()
        for name in applied:
            logger.info("store: migration %s applied", name)
        return applied
