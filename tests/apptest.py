"""The API's test app, made one way: a store, scrapyd and Ollama unreachable, signed-in headers.

- `make_app(data_dir, database_url=None, ui=False, **config)`: `create_app` for a test, in
  testing mode with a fixed secret and no rate limits; scrapyd and Ollama are ports on
  127.0.0.1 that nothing listens on (a crawl trigger reaches no node). `config` overrides any
  of it. `backend_app(store_backend, ...)` is the same on a `tests.pg.store_backend`.
- `close_app(app)`: closes the app's store (an `app` fixture's teardown).
- Fixtures `store` and `client` (import them into a test module next to its own `app` fixture).
- `bearer(app_or_client, store, email, role)`: the Authorization header of a new account signed
  in through the API; `signed_in(app_or_client, email)`: the same for an existing account;
  `subject_of(app_or_client, headers)`: the subject those headers carry.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from api import create_app
from api.testing import add_user, login
from tests.pg import free_port

SECRET = "t" * 48
PASSWORD = "correct horse battery"  # api.testing's default


def make_app(data_dir: str | Path, database_url: str | None = None, *, ui: bool = False,
             **config: Any) -> Any:
    """Return the API app for a test (its store opened in data_dir, or at database_url)."""
    return create_app({
        "TESTING": True, "UI_ENABLED": ui, "SECRET_KEY": SECRET, "RATELIMIT_ENABLED": False,
        "DATA_DIR": str(data_dir), "DATABASE_URL": database_url,
        # Nothing listens on these: scrapyd is down and there is no LLM server.
        "SCRAPYD_URLS": f"http://127.0.0.1:{free_port()}", "OLLAMA_HOST": f"http://127.0.0.1:{free_port()}",
        **config,
    })


def backend_app(store_backend: dict, **config: Any) -> Any:
    """Return make_app on the store a `store_backend` fixture gives (SQLite or Postgres)."""
    return make_app(store_backend["data_dir"], store_backend["database_url"], **config)


def close_app(app: Any) -> None:
    app.extensions["jobos_store"].close()


@pytest.fixture()
def store(app):
    """The store of the module's `app`."""
    return app.extensions["jobos_store"]


@pytest.fixture()
def client(app):
    """A test client of the module's `app`."""
    return app.test_client()


def _client(app_or_client: Any) -> Any:
    return app_or_client.test_client() if hasattr(app_or_client, "test_client") else app_or_client


def signed_in(app_or_client: Any, email: str, password: str = PASSWORD) -> dict[str, str]:
    """Return {"Authorization": "Bearer ..."} of an existing local account, signed in through the API."""
    return {"Authorization": f"Bearer {login(_client(app_or_client), email, password)}"}


def bearer(app_or_client: Any, store: Any, email: str, role: str) -> dict[str, str]:
    """Return the Authorization header of a new local account with this role."""
    add_user(store, email, role, PASSWORD)
    return signed_in(app_or_client, email)


def subject_of(app_or_client: Any, headers: dict[str, str]) -> str:
    """Return the subject (`user:<id>`) the API sees for these headers."""
    return _client(app_or_client).get("/api/auth/me", headers=headers).get_json()["subject"]
