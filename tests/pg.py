"""A throwaway PostgreSQL cluster for tests and benchmarks, plus pytest fixtures.

`PgCluster` runs initdb + pg_ctl in a temp dir (as the `postgres` user when we are root, since
initdb refuses root), listening on 127.0.0.1 on a free port with its socket in the temp dir.
Binaries come from PATH or the newest /usr/lib/postgresql/*/bin.

Fixtures (import them into a conftest.py or a test module):
- `pg_cluster` (session): the running cluster, with `.restart()`, `.stop()`, `.start()`.
- `pg_url` (function): a fresh, empty database on it, as a postgresql:// URL.
- `store_backend` (function, parametrized sqlite/postgres): {"database_url", "data_dir"} for
  `open_store(**store_backend)`; the same tests run on both backends.
Without PostgreSQL the postgres cases skip; with JOBOS_REQUIRE_POSTGRES=1 (CI) they fail.
"""
from __future__ import annotations

import glob
import itertools
import os
import shutil
import socket
import subprocess
import tempfile
import threading
import time
from pathlib import Path

import pytest

_PG_BINARIES = ("initdb", "pg_ctl", "postgres")


def find_pg_bin(name: str) -> str | None:
    """Return the path of a PostgreSQL program: PATH first, then the newest packaged version."""
    found = shutil.which(name)
    if found:
        return found

    def version(path: str) -> float:
        try:
            return float(Path(path).parts[-3])
        except (ValueError, IndexError):
            return 0.0

    for candidate in sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"), key=version, reverse=True):
        if os.access(candidate, os.X_OK):
            return candidate
    return None


def postgres_missing() -> str | None:
    """Return why a cluster cannot be started here, or None when it can."""
    missing = [n for n in _PG_BINARIES if not find_pg_bin(n)]
    if missing:
        return f"PostgreSQL binaries not found: {', '.join(missing)}"
    if os.geteuid() == 0 and not shutil.which("runuser"):
        return "running as root needs runuser to start PostgreSQL as the postgres user"
    return None


def free_port() -> int:
    """Return a TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class PgCluster:
    """A PostgreSQL cluster in a temp dir, started and stopped by its owner."""

    def __init__(self, port: int | None = None, settings: dict[str, str] | None = None) -> None:
        reason = postgres_missing()
        if reason:
            raise RuntimeError(reason)
        self.port = port or free_port()
        self.settings = dict(settings or {})  # extra server settings (-c name=value)
        self.root = Path(tempfile.mkdtemp(prefix="jobos-pg-"))
        self.datadir = self.root / "data"
        self.sockdir = self.root / "sock"
        self.logfile = self.root / "postgres.log"
        self.user = "postgres"
        self._as_postgres = os.geteuid() == 0
        self._names = itertools.count(1)
        self._lock = threading.Lock()
        self.running = False
        if self._as_postgres:
            import pwd

            pw = pwd.getpwnam("postgres")
            os.chown(self.root, pw.pw_uid, pw.pw_gid)
        self.sockdir.mkdir()
        if self._as_postgres:
            os.chown(self.sockdir, pw.pw_uid, pw.pw_gid)
        self._run([find_pg_bin("initdb"), "-D", str(self.datadir), "-U", self.user,
                   "--auth=trust", "--encoding=UTF8", "--locale=C", "--no-sync"])

    def _run(self, cmd: list, check: bool = True) -> subprocess.CompletedProcess:
        if self._as_postgres:
            cmd = ["runuser", "-u", "postgres", "--", *cmd]
        result = subprocess.run([str(c) for c in cmd], capture_output=True, text=True, timeout=120)
        if check and result.returncode != 0:
            raise RuntimeError(f"{' '.join(map(str, cmd))} failed: {result.stderr or result.stdout}")
        return result

    @property
    def url(self) -> str:
        """Return the URL of the default `postgres` database."""
        return self.database_url("postgres")

    def database_url(self, name: str) -> str:
        return f"postgresql://{self.user}@127.0.0.1:{self.port}/{name}"

    def start(self) -> None:
        """Start the server (same port and data as before) and wait until it accepts connections."""
        options = (f"-p {self.port} -k {self.sockdir} -c listen_addresses=127.0.0.1 -c fsync=off"
                   " -c synchronous_commit=off -c full_page_writes=off -c max_connections=100")
        options += "".join(f" -c {name}={value}" for name, value in self.settings.items())
        self._run([find_pg_bin("pg_ctl"), "-D", self.datadir, "-l", self.logfile, "-o", options,
                   "-w", "-t", "60", "start"])
        self.running = True

    def stop(self, mode: str = "fast") -> None:
        """Stop the server (mode fast, or immediate to simulate a crash)."""
        if self.running:
            self._run([find_pg_bin("pg_ctl"), "-D", self.datadir, "-m", mode, "-w", "stop"],
                      check=False)
            self.running = False

    def restart(self, down_seconds: float = 0.0) -> None:
        """Stop the server, stay down for a while, and start it again on the same port."""
        self.stop()
        if down_seconds:
            time.sleep(down_seconds)
        self.start()

    def create_database(self, name: str | None = None) -> str:
        """Return the URL of a new empty database."""
        import psycopg

        with self._lock:
            name = name or f"t{os.getpid()}_{next(self._names)}"
        with psycopg.connect(self.url, autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        return self.database_url(name)

    def cleanup(self) -> None:
        """Stop the server and remove its files."""
        self.stop("immediate")
        shutil.rmtree(self.root, ignore_errors=True)

    def __enter__(self) -> PgCluster:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.cleanup()


_shared: PgCluster | None = None


def shared_cluster() -> PgCluster:
    """Return the session's cluster, started on first use (skip or fail when impossible)."""
    global _shared
    reason = postgres_missing()
    if reason:
        if os.environ.get("JOBOS_REQUIRE_POSTGRES") == "1":
            pytest.fail(f"PostgreSQL is required (JOBOS_REQUIRE_POSTGRES=1): {reason}")
        pytest.skip(reason)
    if _shared is None:
        cluster = PgCluster()
        cluster.start()
        _shared = cluster
    elif not _shared.running:
        _shared.start()
    return _shared


def _stop_shared() -> None:
    global _shared
    if _shared is not None:
        _shared.cleanup()
        _shared = None


@pytest.fixture(scope="session")
def pg_cluster():
    """The session's throwaway PostgreSQL cluster (stopped at the end of the session)."""
    cluster = shared_cluster()
    yield cluster
    _stop_shared()


@pytest.fixture()
def pg_url(pg_cluster):
    """A fresh empty database on the session cluster (server restarted if a test stopped it)."""
    if not pg_cluster.running:
        pg_cluster.start()
    yield pg_cluster.create_database()
    if not pg_cluster.running:
        pg_cluster.start()


@pytest.fixture(params=["sqlite", "postgres"])
def store_backend(request, tmp_path, monkeypatch):
    """Keyword arguments for open_store() on each backend: SQLite in tmp_path, or Postgres."""
    monkeypatch.delenv("DATABASE_URL", raising=False)
    if request.param == "postgres":
        url = request.getfixturevalue("pg_url")
        yield {"database_url": url, "data_dir": str(tmp_path)}
    else:
        yield {"database_url": None, "data_dir": str(tmp_path)}
