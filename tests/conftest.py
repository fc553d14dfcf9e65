"""Shared fixtures: the stand-in web (session-wide)."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent / "web"))

from standin import StandinWeb  # noqa: E402


@pytest.fixture(scope="session")
def standin():
    """The stand-in web, started once per session on a free 127.0.0.1 port."""
    with StandinWeb() as web:
        yield web


@pytest.fixture()
def web(standin):
    """The stand-in web with its state and request log reset for one test."""
    standin.reset()
    yield standin


# The throwaway PostgreSQL cluster (one per session) and the sqlite/postgres store backends.
from tests.pg import pg_cluster, pg_url, store_backend  # noqa: E402,F401


# ---- skip census -------------------------------------------------------------------------
# With JOBOS_SKIP_REPORT=<file>, every skipped or xfailed test is written there (one JSON object
# a line: nodeid, outcome, reason) so `.ci/run` can print a census and refuse skips that are not
# on the documented allow-list (tests/skip_allowlist.txt). Reports reach the xdist controller
# too, so the file is written once, by the process that is not a worker.
_SKIPPED: list[dict] = []


def pytest_runtest_logreport(report):
    if getattr(report, "wasxfail", None) is not None:
        _SKIPPED.append({"nodeid": report.nodeid, "outcome": "xfail", "reason": str(report.wasxfail)})
    elif report.skipped:
        reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else str(report.longrepr)
        _SKIPPED.append({"nodeid": report.nodeid, "outcome": "skipped", "reason": reason})


def pytest_sessionfinish(session):
    import json
    import os

    path = os.environ.get("JOBOS_SKIP_REPORT")
    if not path or hasattr(session.config, "workerinput"):
        return
    with open(path, "w", encoding="utf-8") as fh:
        for entry in _SKIPPED:
            fh.write(json.dumps(entry) + "\n")
