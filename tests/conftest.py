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
