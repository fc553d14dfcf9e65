"""The store's behaviour, written once for both backends (SQLite and PostgreSQL).

BaseStore is the backend hooks, value helpers and schema checks; each area's queries live in
its own module (jobs, search, companies, crawls, llmcache, accounts, alerts, resumes, schedule) as a mixin BaseStore combines.

Backends supply connections, transactions, value conversions and a few fast paths
(COPY, array parameters, the full-text clause). SQL here uses `%s` placeholders; the SQLite
backend rewrites them.
"""
from __future__ import annotations

import logging
from contextlib import contextmanager
from datetime import date, datetime
from typing import Any, Iterator, Sequence

from jobos.items import CONTRACT_FIELDS
from jobos.store.accounts import AccountsMixin
from jobos.store.alerts import AlertsMixin
from jobos.store.common import JOB_INSERT_COLUMNS, InvalidCursor, UpsertResult, iso_ts
from jobos.store.companies import CompaniesMixin
from jobos.store.crawls import CrawlRunsMixin
from jobos.store.http_cache import HttpCacheMixin
from jobos.store.jobs import JobsMixin
from jobos.store.llmcache import LlmCacheMixin
from jobos.store.migrator import SchemaOutdated, latest_version, migrations, outdated_message
from jobos.store.records import CONTENT_FIELDS
from jobos.store.resumes import ResumesMixin
from jobos.store.schedule import ScheduleMixin
from jobos.store.search import SearchMixin

logger = logging.getLogger(__name__)


# ScheduleMixin before CompaniesMixin: it adds the refresh fields to every company returned.
class BaseStore(JobsMixin, SearchMixin, ScheduleMixin, CompaniesMixin, CrawlRunsMixin, LlmCacheMixin, AccountsMixin,
                HttpCacheMixin, AlertsMixin, ResumesMixin):
    """Everything the crawler and the API ask of the database."""

    dialect = ""  # 'pg' or 'sqlite'
    url = ""
    _IN_CHUNK = 900  # ids per membership test (SQLite binds one parameter per id)
    _integrity_errors: tuple[type[BaseException], ...] = ()  # the driver's constraint violations

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

    def __enter__(self) -> BaseStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


__all__ = ["BaseStore", "UpsertResult", "InvalidCursor", "SchemaOutdated", "CONTRACT_FIELDS",
           "CONTENT_FIELDS", "JOB_INSERT_COLUMNS", "iso_ts"]
