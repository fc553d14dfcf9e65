"""Ordered SQL migrations shipped as package data, applied under a lock."""
from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from importlib import resources

logger = logging.getLogger(__name__)

_NAME = re.compile(r"^(\d{4})_([a-z0-9_]+)\.(pg|sqlite)\.sql$")


class SchemaOutdated(RuntimeError):
    """The database schema is older than this code and automatic migration is off."""


@dataclass(frozen=True)
class Migration:
    version: int
    name: str
    sql: str


def migrations(dialect: str) -> list[Migration]:
    """Return the migrations for 'pg' or 'sqlite', in version order."""
    found = []
    for entry in resources.files("jobos.store").joinpath("migrations").iterdir():
        match = _NAME.match(entry.name)
        if match and match.group(3) == dialect:
            found.append(
                Migration(int(match.group(1)), f"{match.group(1)}_{match.group(2)}", entry.read_text("utf-8"))
            )
    found.sort(key=lambda m: m.version)
    versions = [m.version for m in found]
    if versions != list(range(1, len(found) + 1)):
        raise RuntimeError(f"migrations for {dialect} are not numbered 1..n: {versions}")
    return found


def latest_version(dialect: str) -> int:
    """Return the newest schema version this code knows."""
    return len(migrations(dialect))


def outdated_message(current: int, latest: int) -> str:
    """Return the sentence shown when a schema is too old and auto-migration is off."""
    return (
        f"the database schema is at version {current}, this JobOS needs {latest}; "
        "run `jobos db upgrade` (or set JOBOS_AUTO_MIGRATE=1)"
    )


def split_sqlite_script(sql: str) -> list[str]:
    """Return the statements of a SQLite script (triggers' inner semicolons kept together)."""
    import sqlite3

    statements, buf = [], ""
    for line in sql.splitlines(keepends=True):
        buf += line
        if sqlite3.complete_statement(buf):
            stmt = buf.strip()
            if stmt and not all(
                part.strip().startswith("--") or not part.strip() for part in stmt.splitlines()
            ):
                statements.append(stmt)
            buf = ""
    if buf.strip() and not all(p.strip().startswith("--") or not p.strip() for p in buf.splitlines()):
        raise ValueError(f"incomplete SQL statement at end of migration: {buf[:80]!r}")
    return statements
