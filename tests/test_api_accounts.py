"""Accounts under attack: disabled accounts and signed-out tokens stop at once, "disabled" before
the password, per-account sign-in throttling, password rules, equal work for unknown emails,
an unknown JOBOS_ENV refused, logout with CSRF, and other users' crawl arguments hidden from
viewers (SQLite and Postgres)."""
from __future__ import annotations

import gzip
from importlib import resources

import pytest

import api.auth
from api import create_app
from api.testing import add_user, assert_error_shape, login
from tests.apptest import backend_app, bearer, client, close_app, store  # noqa: F401 - fixtures
from tests.pg import pg_cluster, pg_url, store_backend  # noqa: F401

PASSWORD = "correct horse battery"


@pytest.fixture()
def app(store_backend):
    app = backend_app(store_backend)
    yield app
    close_app(app)


def _bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def test_a_disabled_accounts_tokens_stop_at_once(client, store):
    admin = bearer(client, store, "admin@example.org", "admin")
    user_id = add_user(store, "leaver@example.org", "user")
    token = login(client, "leaver@example.org")
    assert client.get("/api/auth/me", headers=_bearer(token)).status_code == 200
    resp = client.put(f"/api/users/{user_id}/disabled", json={"disabled": True}, headers=admin)
    assert resp.status_code == 200, resp.get_json()
    # The same, still unexpired token is refused on the next request, reading and writing.
    err = assert_error_shape(client.get("/api/auth/me", headers=_bearer(token)), 401)
    assert "disabled" in err["message"]
    assert_error_shape(client.post("/api/scrape/company", json={"company": "Acme"}, headers=_bearer(token)), 401)
    assert [a["action"] for a in store.list_audit()][0] == "user.disable"
    # Enabled again, an old token stays dead (disabling revoked it); a new sign-in works.
    assert client.put(f"/api/users/{user_id}/disabled", json={"disabled": False}, headers=admin).status_code == 200
    assert_error_shape(client.get("/api/auth/me", headers=_bearer(token)), 401)
    assert client.get("/api/auth/me", headers=_bearer(login(client, "leaver@example.org"))).status_code == 200


def test_disabled_is_said_before_the_password_is_checked(client, store, monkeypatch):
    user_id = add_user(store, "off@example.org", "user")
    store.set_user_disabled(user_id, True)
    checked = []
    real = api.auth._hasher
    monkeypatch.setattr(api.auth, "_hasher", type("Spy", (), {
        "verify": lambda self, h, p: checked.append(h) or real.verify(h, p),
        "hash": lambda self, p: real.hash(p),
    })())
    for password in ("wrong password here", PASSWORD):
        err = assert_error_shape(client.post("/api/auth/login", json={"email": "off@example.org", "password": password}), 403)
        assert err["code"] == "account_disabled" and "disabled" in err["message"]
    user_hash = store.get_user_by_email("off@example.org")["password_hash"]
    assert user_hash not in checked  # the password was never compared


def test_logout_revokes_the_token(client, store):
    add_user(store, "out@example.org", "user")
    token = login(client, "out@example.org")
    other_session = login(client, "out@example.org")
    assert client.get("/api/auth/me", headers=_bearer(token)).status_code == 200
    assert client.post("/api/auth/logout", headers=_bearer(token)).status_code == 200
    err = assert_error_shape(client.get("/api/auth/me", headers=_bearer(token)), 401)
    assert "signed out" in err["message"]
    # The version is per account: signing out ends every token of that account.
    assert_error_shape(client.get("/api/auth/me", headers=_bearer(other_session)), 401)
    assert client.get("/api/auth/me", headers=_bearer(login(client, "out@example.org"))).status_code == 200


def test_cookie_logout_needs_the_csrf_token(client, store):
    add_user(store, "cookie@example.org", "user")
    resp = client.post("/api/auth/login", json={"email": "cookie@example.org", "password": PASSWORD})
    token, csrf = resp.get_json()["access_token"], resp.get_json()["csrf_token"]
    # A cross-site form posting to logout carries the cookie but not the header: refused.
    err = assert_error_shape(client.post("/api/auth/logout"), 403)
    assert err["code"] == "csrf_failed"
    assert_error_shape(client.post("/api/auth/logout", headers={"X-CSRF-Token": "guess"}), 403)
    assert client.get("/api/auth/me").status_code == 200
    assert client.post("/api/auth/logout", headers={"X-CSRF-Token": csrf}).status_code == 200
    assert_error_shape(client.get("/api/auth/me", headers=_bearer(token)), 401)


def test_sign_in_is_throttled_per_account_across_addresses(store_backend):
    app = backend_app(store_backend, RATELIMIT_ENABLED=True, RATELIMIT_LOGIN="100 per minute",
                RATELIMIT_LOGIN_ACCOUNT="3 per minute")
    client, store = app.test_client(), app.extensions["jobos_store"]
    add_user(store, "target@example.org", "user")
    add_user(store, "bystander@example.org", "user")
    codes = []
    for i in range(5):  # each guess from another address, so the per-IP limit never trips
        resp = client.post("/api/auth/login", json={"email": "target@example.org", "password": f"guess {i}"},
                           environ_base={"REMOTE_ADDR": f"203.0.113.{i + 1}"})
        codes.append(resp.status_code)
    assert codes == [401, 401, 401, 429, 429]
    resp = client.post("/api/auth/login", json={"email": "TARGET@example.org", "password": PASSWORD},
                       environ_base={"REMOTE_ADDR": "198.51.100.7"})
    err = assert_error_shape(resp, 429)
    assert err["code"] == "rate_limited" and int(resp.headers["Retry-After"]) > 0
    # Another account from the same addresses is not affected.
    resp = client.post("/api/auth/login", json={"email": "bystander@example.org", "password": PASSWORD},
                       environ_base={"REMOTE_ADDR": "203.0.113.1"})
    assert resp.status_code == 200
    close_app(app)


@pytest.mark.parametrize("password,reason", [
    ("short-pw-11", "at least 12"),
    ("qwerty123456", "common"),
    ("1q2w3e4r5t6y", "common"),
    ("Password2024!", "common"),
    ("iloveyou1234567", "common"),
    ("aaaaaaaaaaaaaaaa", "common"),
])
def test_weak_passwords_are_refused(client, store, password, reason):
    admin = bearer(client, store, "padmin@example.org", "admin")
    resp = client.post("/api/users", json={"email": "new@example.org", "password": password}, headers=admin)
    err = assert_error_shape(resp, 422)
    assert err["detail"][0]["field"] == "password" and reason in err["detail"][0]["reason"], err
    assert password not in str(err)  # the rejected input is never echoed
    assert store.get_user_by_email("new@example.org") is None
    resp = client.post("/api/users", json={"email": "new@example.org", "password": "tangerine orbit ladder"},
                       headers=admin)
    assert resp.status_code == 201


def test_the_common_password_list_is_package_data():
    data = resources.files("jobos").joinpath("common-passwords.txt.gz").read_bytes()
    words = gzip.decompress(data).decode("utf-8").splitlines()
    assert len(words) > 10_000 and "password" in words and "qwerty123456" in words


def test_an_unknown_email_costs_one_hash_verification_like_a_known_one(client, store, monkeypatch):
    add_user(store, "known@example.org", "user")
    calls = []
    real = api.auth._hasher
    monkeypatch.setattr(api.auth, "_hasher", type("Spy", (), {
        "verify": lambda self, h, p: calls.append(h) or real.verify(h, p),
        "hash": lambda self, p: real.hash(p),
    })())
    assert_error_shape(client.post("/api/auth/login", json={"email": "nobody@example.org", "password": "x" * 20}), 401)
    assert calls == [api.auth._DUMMY_HASH]
    assert api.auth._DUMMY_HASH.startswith("$argon2id$")
    calls.clear()
    assert_error_shape(client.post("/api/auth/login", json={"email": "known@example.org", "password": "x" * 20}), 401)
    assert calls == [store.get_user_by_email("known@example.org")["password_hash"]]


@pytest.mark.parametrize("value", ["prod", "staging", "test", "dev"])
def test_an_unknown_jobos_env_is_refused_at_startup(tmp_path, monkeypatch, value):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.setenv("JOBOS_SECRET_KEY", "z" * 48)
    monkeypatch.setenv("JOBOS_ENV", value)
    with pytest.raises(RuntimeError, match=r"JOBOS_ENV must be 'development' or 'production'"):
        create_app({"DATA_DIR": str(tmp_path), "TESTING": True, "UI_ENABLED": False})


def test_viewers_do_not_see_other_users_crawl_arguments(client, store):
    owner = bearer(client, store, "owner@example.org", "user")
    owner_subject = client.get("/api/auth/me", headers=owner).get_json()["subject"]
    secret_args = {"company": "Acme", "careers_url": "https://acme.example/hidden-careers", "country": "DE"}
    crawl_id = store.create_crawl_run(secret_args, owner_subject, "api")
    viewer = bearer(client, store, "viewer@example.org", "viewer")
    for body in (client.get(f"/api/scrape/{crawl_id}", headers=viewer).get_json(),
                 client.get("/api/scrape", headers=viewer).get_json()["items"][0]):
        assert body["id"] == crawl_id and body["status"] == "pending"
        assert body["args"] is None and body["requested_by"] is None
        assert "hidden-careers" not in str(body)
    # The owner and admins see them.
    assert client.get(f"/api/scrape/{crawl_id}", headers=owner).get_json()["args"]["careers_url"].endswith("hidden-careers")
    admin = bearer(client, store, "boss@example.org", "admin")
    assert client.get("/api/scrape", headers=admin).get_json()["items"][0]["args"]["company"] == "Acme"


def test_the_pages_sign_out_revokes_the_token_too(store_backend):
    app = backend_app(store_backend, ui=True)
    client, store = app.test_client(), app.extensions["jobos_store"]
    add_user(store, "page@example.org", "user")
    resp = client.post("/api/auth/login", json={"email": "page@example.org", "password": PASSWORD})
    token = resp.get_json()["access_token"]
    assert client.post("/logout", data={}).status_code == 403  # the form's CSRF token is required
    assert client.get("/api/auth/me", headers=_bearer(token)).status_code == 200
    assert client.post("/logout", data={"csrf_token": client.get_cookie("jobos_csrf").value}).status_code == 303
    # A copy of the token taken before signing out (another tab, a stolen cookie) is dead too.
    assert_error_shape(client.get("/api/auth/me", headers=_bearer(token)), 401)
    close_app(app)
