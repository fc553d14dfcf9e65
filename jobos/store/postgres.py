"""PostgreSQL backend: psycopg 3 with a connection pool, staged merges of jobs, advisory locks."""
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
from jobos.store.common import _UPDATE_FIELDS
from jobos.store.migrator import migrations
from jobos.store.records import CONTENT_FIELDS, PreparedJob

logger = logging.getLogger(__name__)

# pg_advisory_lock key for migrations (any constant shared by every JobOS process).
MIGRATION_LOCK_KEY = 0x4A6F624F53  # "JobOS"
BOARD_LOCK_SPACE = 0x4A4F  # first half of the two-int advisory key for per-board locks

# The staging table of a batch's new and changed jobs: one per connection, emptied at commit.
# Its name carries the column list, so a process whose columns changed never reuses an old one.
STAGE = f"jobos_stage_{zlib.crc32(','.join(JOB_INSERT_COLUMNS).encode()):08x}"
_STAGE_SQL = (f"CREATE TEMP TABLE IF NOT EXISTS {STAGE} ON COMMIT DELETE ROWS AS"
              f" SELECT {', '.join(JOB_INSERT_COLUMNS)} FROM jobs WITH NO DATA")

# Jobs whose stored content hash matches and which are open: only last_seen, the crawl and the
# extraction flag move (a HOT update: none of those columns is indexed). Returns their numbers.
_TOUCH_SQL = (
    "UPDATE jobs SET last_seen = %s, last_crawl_id = COALESCE(%s, last_crawl_id),"
    " extraction_pending = %s"
    # Arrays as binary parameters (%b): psycopg's text form quotes element by element in Python,
    # several times slower than the rest of the statement. The plan is pinned: LATERAL makes
    # the batch's keys drive (one probe of the unique index each), and the ids come back as an
    # array for a primary-key lookup. Joined any other way, the planner (no statistics on a
    # growing table, "status = 'open'" taken for a rare value) scanned every job per batch.
    " WHERE id = ANY(ARRAY(SELECT x.id FROM unnest(%b::text[], %b::text[], %b::text[])"
    " AS k(board, external_id, content_hash),"
    " LATERAL (SELECT id, content_hash, status FROM jobs x WHERE x.board = k.board"
    " AND x.external_id = k.external_id OFFSET 0) x"
    # Outside the fence: inside, the planner ANDed a bitmap of every open job to each probe.
    " WHERE x.content_hash = k.content_hash AND x.status = 'open'))"
    " RETURNING board, external_id"
)

# Which of the other jobs are stored (changed or closed) rather than new: their numbers.
_STORED_SQL = (
    "SELECT k.n FROM unnest(%b::text[], %b::text[]) WITH ORDINALITY AS k(board, external_id, n)"
    " , LATERAL (SELECT 1 FROM jobs j WHERE j.board = k.board AND j.external_id = k.external_id"
    " OFFSET 0) j"
)

# The changed and closed jobs in one statement: insert or update with
# the search vector computed here (migration 0016: the trigger then stands back), and return
# each written job's id with its stored version before the statement (NULL for a new job),
# which the history rows are made of. All parts of the statement see the table as it was.
_SETS = ", ".join(f"{f} = EXCLUDED.{f}" for f in _UPDATE_FIELDS)
_MERGE_SQL = (
    # LATERAL: the staged rows drive (a temporary table has no statistics; the planner would
    # as soon scan every job against them).
    f"WITH old AS MATERIALIZED (SELECT j.id, j.status, j.closed_at, {', '.join('j.' + f for f in CONTENT_FIELDS)}"
    f" FROM {STAGE} s, LATERAL (SELECT * FROM jobs x WHERE x.board = s.board"
    f" AND x.external_id = s.external_id OFFSET 0) j),"
    f" up AS (INSERT INTO jobs ({', '.join(JOB_INSERT_COLUMNS)}, search)"
    f" SELECT {', '.join('s.' + c for c in JOB_INSERT_COLUMNS)},"
    # A job whose words are as stored (a new place, pay or date) keeps its vector: building
    # one is most of a changed job's write. The trigger stands back (same vector, same text).
    f" CASE WHEN (t.title, t.description, t.language) IS NOT DISTINCT FROM"
    f" (s.title, s.description, s.language) THEN t.search"
    f" ELSE jobs_search_of(s.title, s.description, s.language) END"
    f" FROM {STAGE} s LEFT JOIN LATERAL (SELECT title, description, language, search FROM jobs x"
    f" WHERE x.board = s.board AND x.external_id = s.external_id OFFSET 0) t ON true"
    f" ON CONFLICT (board, external_id) DO UPDATE SET {_SETS},"
    " company_id = COALESCE(EXCLUDED.company_id, jobs.company_id),"
    " company_norm = EXCLUDED.company_norm, scraped_at = EXCLUDED.scraped_at,"
    " extraction_pending = EXCLUDED.extraction_pending, provenance = EXCLUDED.provenance,"
    " content_hash = EXCLUDED.content_hash, status = 'open', closed_at = NULL,"
    " last_seen = EXCLUDED.last_seen,"
    # records.sort_date: posted_at, else the day the job was first seen (UTC)
    " sort_date = COALESCE(EXCLUDED.posted_at, (jobs.first_seen AT TIME ZONE 'UTC')::date),"
    " last_crawl_id = COALESCE(EXCLUDED.last_crawl_id, jobs.last_crawl_id),"
    " search = EXCLUDED.search"
    " WHERE jobs.content_hash <> EXCLUDED.content_hash OR jobs.status <> 'open'"
    " RETURNING jobs.id, jobs.board, jobs.external_id)"
    " SELECT up.id AS job_id, up.board AS job_board, up.external_id AS job_external_id, old.*"
    " FROM up LEFT JOIN old ON old.id = up.id"
)


class PostgresStore(BaseStore):
    """The store on a PostgreSQL server (DATABASE_URL)."""

    dialect = "pg"
    _integrity_errors = (psycopg.IntegrityError,)
    _IN_CHUNK = 100_000  # = ANY(array) is one parameter, however many ids

    def __init__(self, url: str, auto_migrate: bool = True, check_schema: bool = True) -> None:
        self.url = url
        self._types: dict[tuple, list[str]] = {}  # _column_types
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
        # Sorted, so two writers never wait on each other in opposite orders; one statement
        # (unnest keeps the array's order), not one round trip per board: a batch of 1,000
        # jobs over 50 boards spent 11-14 ms waiting on those round trips on a loaded machine.
        keys = [zlib.crc32(board.encode("utf-8")) - 2**31 for board in sorted(set(boards))]
        cur.execute("SELECT count(pg_advisory_xact_lock(%s, k)) FROM unnest(%b::int4[]) AS k",
                    [BOARD_LOCK_SPACE, keys])

    def _insert_jobs(self, cur: Any, rows: list[tuple]) -> None:
        if not rows:
            return
        types = self._column_types(cur, "jobs", JOB_INSERT_COLUMNS)
        with cur.copy(f"COPY jobs ({', '.join(JOB_INSERT_COLUMNS)}) FROM STDIN (FORMAT BINARY)") as copy:
            copy.set_types(types)
            for row in rows:
                copy.write_row(row)

    def _merge_jobs(self, cur: Any, prepared: dict[tuple[str, str], PreparedJob],
                    company_ids: dict[str, int], now: datetime,
                    crawl_id: int | None) -> tuple[int, int, int, int]:
        """Return (new, updated, unchanged, reopened) after a batch in a few set-based steps.

        1. One UPDATE over arrays touches every job whose content is as stored (a re-crawl's
           usual case sends only keys and hashes). 2. One SELECT tells new jobs from changed
           ones; new jobs are COPYed in. 3. COPY stages the changed and closed ones in a
           temporary table, and one INSERT ... ON CONFLICT DO UPDATE writes them with their
           search vectors, returning their old versions; their history rows go in by COPY.
        """
        # A batch's keys are found through the (board, external_id) index, one probe each.
        # Without this, a table whose statistics lag behind its growth (a new install filling
        # up) gets hash joins that read every open job for every batch.
        cur.execute("SET LOCAL enable_hashjoin = off; SET LOCAL enable_mergejoin = off")
        self._anchor_relative_dates(cur, prepared)
        touched: set[tuple[str, str]] = set()
        for pending in (False, True):  # one statement in the usual case: no flag set
            jobs = [j for j in prepared.values() if j.extraction_pending is pending]
            if jobs:
                cur.execute(_TOUCH_SQL, [now, crawl_id, pending, [j.board for j in jobs],
                                         [j.external_id for j in jobs], [j.content_hash for j in jobs]])
                touched.update((row["board"], row["external_id"]) for row in cur.fetchall())
        rest = [job for key, job in prepared.items() if key not in touched]
        if not rest:
            return 0, 0, len(touched), 0
        cur.execute(_STORED_SQL, [[j.board for j in rest], [j.external_id for j in rest]])
        stored = {row["n"] for row in cur.fetchall()}
        today = now.date()
        # New jobs go straight in by COPY (the trigger fills their search vectors): measured
        # here, twice the rate of passing them through the staged INSERT ... ON CONFLICT.
        new_rows = [self._insert_row(job, company_ids.get(job.board), now, today, crawl_id)
                    for n, job in enumerate(rest, 1) if n not in stored]
        self._insert_jobs(cur, new_rows)
        rest = [job for n, job in enumerate(rest, 1) if n in stored]
        if not rest:
            return len(new_rows), 0, len(touched), 0
        cur.execute(_STAGE_SQL)
        types = self._column_types(cur, "jobs", JOB_INSERT_COLUMNS)
        with cur.copy(f"COPY {STAGE} ({', '.join(JOB_INSERT_COLUMNS)}) FROM STDIN (FORMAT BINARY)") as copy:
            copy.set_types(types)
            for job in rest:
                copy.write_row(self._insert_row(job, company_ids.get(job.board), now, today, crawl_id))
        cur.execute(_MERGE_SQL)
        written = cur.fetchall()
        history = []
        reopened = 0
        for row in written:
            if row["id"] is None:
                continue  # not stored before: cannot happen under the boards' lock
            job = prepared[(row["job_board"], row["job_external_id"])]
            history.append(self._history_row(row["id"], self._content_out(row), row["status"], job,
                                             now, crawl_id))
            reopened += row["status"] == "closed"
        self._insert_history(cur, history)
        return len(new_rows), len(history) - reopened, len(touched), reopened

    def _insert_history(self, cur: Any, rows: list[tuple]) -> None:
        if not rows:
            return
        columns = ("job_id", "changed_at", "crawl_id", "changed_fields", "old_values")
        types = self._column_types(cur, "job_history", columns)
        with cur.copy(f"COPY job_history ({', '.join(columns)}) FROM STDIN (FORMAT BINARY)") as copy:
            copy.set_types(types)
            for row in rows:
                copy.write_row(row)

    def _column_types(self, cur: Any, table: str, columns: Sequence[str]) -> list[str]:
        """Return the SQL types of a table's columns (read once): binary COPY needs them, and
        writes rows several times faster than text COPY of dates, numbers and JSON."""
        key = (table, tuple(columns))
        types = self._types.get(key)
        if types is None:
            cur.execute("SELECT attname, format_type(atttypid, atttypmod) AS type FROM pg_attribute"
                        " WHERE attrelid = %s::regclass AND attnum > 0 AND NOT attisdropped", [table])
            by_name = {row["attname"]: row["type"] for row in cur.fetchall()}
            types = self._types[key] = [by_name[c] for c in columns]
        return types

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
