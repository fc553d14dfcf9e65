"""The job store: schema, migrations, upserts with history, crawl runs, queries for the API.

`open_store()` picks the backend: PostgreSQL when DATABASE_URL (or database_url) is a
postgresql:// URL, else a SQLite file `jobos.sqlite3` under JOBOS_DATA_DIR. Both behave alike;
see docs/STORE.md for the rules (identity, content hash, closing, anchored dates).
"""
from __future__ import annotations

import logging
from pathlib import Path

from jobos import config
from jobos.store.base import BaseStore, InvalidCursor, UpsertResult
from jobos.store.crawls import CrawlActive
from jobos.store.migrator import SchemaOutdated, latest_version

logger = logging.getLogger(__name__)

Store = BaseStore

__all__ = [
    "open_store",
    "Store",
    "UpsertResult",
    "SchemaOutdated",
    "InvalidCursor",
    "CrawlActive",
    "latest_version",
]


def open_store(database_url: str | None = None, data_dir: str | Path | None = None,
               auto_migrate: bool | None = None, check_schema: bool = True) -> BaseStore:
    """Return an open store, its schema upgraded (or checked when auto_migrate is off).

    auto_migrate None reads JOBOS_AUTO_MIGRATE (default on). With it off, an older schema
    raises SchemaOutdated naming `jobos db upgrade`. check_schema=False skips both (the
    `jobos db upgrade` command and tests that build old schemas use it).
    """
    url = database_url or config.database_url()
    if auto_migrate is None:
        auto_migrate = config.env_bool("JOBOS_AUTO_MIGRATE", True)
    if url and url.startswith(("postgresql://", "postgres://")):
        from jobos.store.postgres import PostgresStore

        return PostgresStore(url, auto_migrate=auto_migrate, check_schema=check_schema)
    if url and url.startswith("sqlite:///"):
        from jobos.store.sqlite import SqliteStore

        return SqliteStore(Path(url.removeprefix("sqlite:///")), auto_migrate, check_schema)
    if url:
        raise ValueError("DATABASE_URL must start with postgresql:// (or sqlite:///path)")
    from jobos.store.sqlite import FILENAME, SqliteStore

    folder = Path(data_dir) if data_dir else config.data_dir()
    return SqliteStore(folder / FILENAME, auto_migrate=auto_migrate, check_schema=check_schema)
