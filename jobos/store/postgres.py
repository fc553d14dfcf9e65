"""PostgreSQL backend: psycopg 3 with a connection pool, COPY for new jobs, advisory locks."""
from __future__ import annotations

import logging
import zlib
from contextlib import contextmanager
from datetime import date, datetime
from typing import Any, Iterator, Sequence

import psycopg
from psycopg.rows import dict_row
from psycopg.types.json import Jsonb
from psycopg_pool import ConnectionPool

from jobos.config import env_int
from jobos.store.base import JOB_INSERT_COLUMNS, BaseStore
from jobos.store.migrator import migrations

logger = logging.getLogger(__name__)

# pg_advisory_lock key for migrations (any constant shared by every JobOS process).
MIGRATION_LOCK_KEY = 0x4A6F624F53  # "JobOS"
BOARD_LOCK_SPACE = 0x4A4F  # first half of the two-int advisory key for per-board locks


class PostgresStore(BaseStore):
    """The store on a PostgreSQL server (DATABASE_URL)."""

    dialect = "pg"
    _integrity_errors = (psycopg.IntegrityError,)
    _IN_CHUNK = 100_000  # = ANY(array) is one parameter, however many ids

    def __init__(self, url: str, auto_migrate: bool = True, check_schema: bool = True) -> None:
        self.url = url
        self._pool = ConnectionPool(
            url,
            min_size=1,
            max_size=max(1, env_int("JOBOS_DB_POOL_SIZE", 4)),
            kwargs={"row_factory": dict_row, "connect_timeout": 5},
            # A server restart breaks pooled connections; check each one before lending it.
            check=ConnectionPool.check_connection,
            timeout=float(env_int("JOBOS_DB_TIMEOUT", 5)),
            reconnect_timeout=float(env_int("JOBOS_DB_RECONNECT_TIMEOUT", 3600)),
            open=False,
            name="jobos",
        )
        self._pool.open(wait=False)
        try:
            if check_schema:
                self._check_schema(auto_migrate)
        except BaseException:
            self._pool.close()
            raise

    # ---- connections ---------------------------------------------------------------------
    @contextmanager
    def _write(self) -> Iterator[psycopg.Cursor]:
        with self._pool.connection() as conn:
            with conn.transaction():
                with conn.cursor() as cur:
                    yield cur

    _read = _write  # a read is one short transaction too

    def ping(self) -> bool:
        """Return True when the server answers a query."""
        try:
            with self._pool.connection(timeout=3) as conn:
                conn.execute("SELECT 1")
            return True
        except Exception as exc:  # noqa: BLE001 - health checks report, never raise
            logger.debug("store ping failed: %s", exc)
            return False

    def close(self) -> None:
        self._pool.close()

    # ---- values --------------------------------------------------------------------------
    def _json_in(self, value: Any) -> Any:
        return Jsonb(value)

    def _json_out(self, value: Any) -> Any:
        return value

    def _ts_in(self, value: datetime | None) -> Any:
        return value

    def _date_in(self, value: str | None) -> Any:
        return date.fromisoformat(value) if isinstance(value, str) else value

    def _in(self, column: str, values: Sequence[Any]) -> tuple[str, list[Any]]:
        return f"{column} = ANY(%s)", [list(values)]

    def _fts_clause(self, words: list[str]) -> tuple[str, list[Any]]:
        return "j.search @@ plainto_tsquery('simple', %s)", [" ".join(words)]

    def _lock_boards(self, cur: Any, boards: list[str]) -> None:
        # Sorted, so two writers never wait on each other in opposite orders.
        for board in sorted(set(boards)):
            key = zlib.crc32(board.encode("utf-8")) - 2**31
            cur.execute("SELECT pg_advisory_xact_lock(%s, %s)", [BOARD_LOCK_SPACE, key])

    def _insert_jobs(self, cur: Any, rows: list[tuple]) -> None:
        if not rows:
            return
        with cur.copy(f"COPY jobs ({', '.join(JOB_INSERT_COLUMNS)}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)

    # ---- migrations ----------------------------------------------------------------------
    def schema_version(self) -> int:
        """Return the highest applied migration (0 for an empty database)."""
        with self._pool.connection() as conn:
            exists = conn.execute("SELECT to_regclass('schema_migrations') AS t").fetchone()["t"]
            if not exists:
                return 0
            return int(conn.execute("SELECT coalesce(max(version), 0) AS v FROM schema_migrations")
                       .fetchone()["v"])

    def upgrade(self, target: int | None = None) -> list[str]:
        """Return the names of the migrations applied now (under an advisory lock).

        target stops at that version (tests use it to build an older schema).
        """
        applied: list[str] = []
        with self._pool.connection() as conn:
            conn.autocommit = True
            try:
                conn.execute("SELECT pg_advisory_lock(%s)", [MIGRATION_LOCK_KEY])
                try:
                    conn.execute(
                        "CREATE TABLE IF NOT EXISTS schema_migrations (version integer PRIMARY KEY,"
                        " name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())"
                    )
                    done = {r["version"] for r in conn.execute("SELECT version FROM schema_migrations")}
                    for mig in migrations(self.dialect):
                        if mig.version in done or (target is not None and mig.version > target):
                            continue
                        with conn.transaction():
                            conn.execute(mig.sql)
                            conn.execute("INSERT INTO schema_migrations (version, name) VALUES (%s, %s)",
                                         [mig.version, mig.name])
                        applied.append(mig.name)
                        logger.info("store: migration %s applied", mig.name)
                finally:
                    conn.execute("SELECT pg_advisory_unlock(%s)", [MIGRATION_LOCK_KEY])
            finally:
                conn.autocommit = False
        return applied
