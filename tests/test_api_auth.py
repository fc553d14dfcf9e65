"""Access: local login, external HS256/RS256 (JWKS on 127.0.0.1), roles, cookies with CSRF,
production mode, rate limits; every state-changing endpoint refuses bad tokens."""
from __future__ import annotations

import datetime as dt

import jwt
import pytest

from api import create_app
from api.testing import JwksServer, add_user, assert_error_shape, hs256_token
from tests import apptest
from tests.apptest import SECRET, bearer, client, close_app, store  # noqa: F401 - fixtures

EXT_SECRET = "external-issuer-secret-which-is-long-enough"

# Every endpoint that changes state, with a body that would otherwise be valid.
STATE_CHANGING = [
    ("POST", "/api/scrape/company", {"company": "Acme"}),
    ("POST", "/api/scrape/batch", [{"company": "Acme"}]),
    ("DELETE", "/api/scrape/1", None),
    ("PATCH", "/api/companies/1", {"pinned": True}),
    ("POST", "/api/companies/1/refresh", {}),
    ("POST", "/api/users", {"email": "x@example.org", "password": "tangerine orbit ladder", "role": "admin"}),
    ("PUT", "/api/users/1/role", {"role": "admin"}),
]


def make_app(tmp_path, **config):
    return apptest.make_app(tmp_path, **{"JWT_SECRET": EXT_SECRET, **config})  # external tokens verified too


@pytest.fixture()
def app(tmp_path, monkeypatch):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    app = make_app(tmp_path)
    yield app
    close_app(app)


def _local_token(user_id: int, role: str, *, key: str = SECRET, expires_in: int = 300) -> str:
    now = dt.datetime.now(dt.timezone.utc)
    return jwt.encode({"iss": "jobos", "aud": "jobos-api", "sub": f"user:{user_id}", "role": role, "iat": now,
                       "exp": now + dt.timedelta(seconds=expires_in)}, key, algorithm="HS256")


def test_login_issues_a_short_lived_token(client, store):
    add_user(store, "a@example.org", "user")
    resp = client.post("/api/auth/login", json={"email": "A@example.org", "password": "correct horse battery"})
    body = resp.get_json()
    assert resp.status_code == 200 and body["role"] == "user" and body["expires_in"] == 900
    claims = jwt.decode(body["access_token"], SECRET, algorithms=["HS256"], audience="jobos-api")
    assert claims["exp"] - claims["iat"] == 900
    cookies = resp.headers.getlist("Set-Cookie")
    assert any(c.startswith("jobos_token=") and "HttpOnly" in c and "Secure" not in c for c in cookies)
    assert_error_shape(client.post("/api/auth/login", json={"email": "a@example.org", "password": "wrong"}), 401)
    assert_error_shape(client.post("/api/auth/login", json={"email": "nobody@example.org", "password": "x"}), 401)


def test_password_is_stored_as_argon2(store):
    add_user(store, "b@example.org", "viewer")
    assert store.get_user_by_email("b@example.org")["password_hash"].startswith("$argon2id$")


@pytest.mark.parametrize("method,path,body", STATE_CHANGING)
def test_state_changing_endpoints_refuse_bad_tokens(client, store, method, path, body):
    viewer_id = add_user(store, "v@example.org", "viewer")
    user_id = add_user(store, "u@example.org", "user")
    bad = {
        "missing": None,
        "expired": _local_token(user_id, "user", expires_in=-60),
        "wrong signature": _local_token(user_id, "admin", key="not-the-key" * 5),
        "garbage": "not.a.jwt",
        "external expired": hs256_token(EXT_SECRET, role="admin", expires_in=-60),
        "external wrong audience": hs256_token(EXT_SECRET, role="admin", aud="someone-else"),
        "external wrong secret": hs256_token("another-secret-entirely-123456789", role="admin"),
        "alg none": jwt.encode({"sub": "x", "aud": "authenticated", "exp": 9999999999}, None, algorithm="none"),
    }
    for name, token in bad.items():
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        err = assert_error_shape(client.open(path, method=method, json=body, headers=headers), 401)
        assert err["code"] == "unauthorized", name
    # Right signature, too small a role: viewers can do none of these; users not the admin ones.
    viewer = {"Authorization": f"Bearer {_local_token(viewer_id, 'viewer')}"}
    assert_error_shape(client.open(path, method=method, json=body, headers=viewer), 403)
    if path.startswith("/api/users"):
        user = {"Authorization": f"Bearer {_local_token(user_id, 'user')}"}
        assert_error_shape(client.open(path, method=method, json=body, headers=user), 403)


def test_role_comes_from_the_account_not_the_token(client, store):
    viewer_id = add_user(store, "v2@example.org", "viewer")
    forged_role = {"Authorization": f"Bearer {_local_token(viewer_id, 'admin')}"}
    assert_error_shape(client.get("/api/audit", headers=forged_role), 403)


def test_external_hs256_first_seen_creates_viewer_profile(client, store):
    token = hs256_token(EXT_SECRET, sub="supabase-user-42")
    me = client.get("/api/auth/me", headers={"Authorization": f"Bearer {token}"}).get_json()
    assert me["role"] == "viewer" and me["kind"] == "external"
    profile_id = int(me["subject"].split(":")[1])
    assert store.get_user(profile_id)["subject"] == "supabase-user-42"
    # Viewers read but do not trigger.
    assert client.get("/api/jobs", headers={"Authorization": f"Bearer {token}"}).status_code == 200
    assert_error_shape(client.post("/api/scrape/company", json={"company": "Acme"},
                                   headers={"Authorization": f"Bearer {token}"}), 403)
    # The configured claim (app_metadata.role) gives the role.
    admin = hs256_token(EXT_SECRET, sub="supabase-admin", role="admin")
    assert client.get("/api/audit", headers={"Authorization": f"Bearer {admin}"}).status_code == 200


def test_external_rs256_through_jwks(tmp_path, monkeypatch):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    with JwksServer() as jwks:
        app = make_app(tmp_path, JWKS_URL=jwks.url, JWT_SECRET=None)
        client = app.test_client()
        good = jwks.token(role="user")
        me = client.get("/api/auth/me", headers={"Authorization": f"Bearer {good}"})
        assert me.status_code == 200 and me.get_json()["role"] == "user"
        assert jwks.hits >= 1
        from cryptography.hazmat.primitives.asymmetric import rsa

        other_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        for token in (jwks.token(key=other_key), jwks.token(expires_in=-10), jwks.token(aud="nope"),
                      jwks.token(kid="unknown-kid")):
            assert_error_shape(client.get("/api/auth/me", headers={"Authorization": f"Bearer {token}"}), 401)
        close_app(app)


def test_cookie_auth_needs_csrf_header_on_unsafe_requests(client, store):
    add_user(store, "c@example.org", "user")
    resp = client.post("/api/auth/login", json={"email": "c@example.org", "password": "correct horse battery"})
    csrf = resp.get_json()["csrf_token"]
    # The test client keeps the cookies: reading works with the cookie alone.
    assert client.get("/api/auth/me").get_json()["role"] == "user"
    err = assert_error_shape(client.post("/api/scrape/company", json={"company": "Acme"}), 403)
    assert err["code"] == "csrf_failed"
    err = assert_error_shape(client.post("/api/scrape/company", json={"company": "Acme"},
                                         headers={"X-CSRF-Token": "guess"}), 403)
    # With the double-submit header it reaches scrapyd (down here: 503, not a CSRF refusal).
    resp = client.post("/api/scrape/company", json={"company": "Acme"}, headers={"X-CSRF-Token": csrf})
    assert assert_error_shape(resp, 503)["code"] == "scrapyd_unavailable"


def test_admin_manages_users_and_roles_audited(client, store):
    admin = bearer(client, store, "admin@example.org", "admin")
    resp = client.post("/api/users", json={"email": "new@example.org", "password": "tangerine orbit ladder", "role": "viewer"}, headers=admin)
    assert resp.status_code == 201
    new_id = resp.get_json()["id"]
    assert client.put(f"/api/users/{new_id}/role", json={"role": "user"}, headers=admin).status_code == 200
    assert store.get_user(new_id)["role"] == "user"
    assert_error_shape(client.put("/api/users/424242/role", json={"role": "user"}, headers=admin), 404)
    audit = client.get("/api/audit", headers=admin).get_json()["items"]
    assert [a["action"] for a in audit[:2]] == ["role.change", "user.create"]
    assert audit[0]["actor"].startswith("user:")


def test_production_refuses_to_start_without_secret(tmp_path, monkeypatch):
    monkeypatch.delenv("JOBOS_SECRET_KEY", raising=False)
    with pytest.raises(RuntimeError, match="JOBOS_SECRET_KEY"):
        create_app({"ENV": "production", "DATA_DIR": str(tmp_path), "TESTING": True, "UI_ENABLED": False})
    monkeypatch.setenv("JOBOS_ENV", "production")
    with pytest.raises(RuntimeError, match="JOBOS_SECRET_KEY"):
        create_app({"DATA_DIR": str(tmp_path), "TESTING": True, "UI_ENABLED": False})


def test_production_cookies_are_secure(tmp_path, monkeypatch):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    app = make_app(tmp_path, ENV="production")
    add_user(app.extensions["jobos_store"], "p@example.org", "viewer")
    resp = app.test_client().post("/api/auth/login", json={"email": "p@example.org", "password": "correct horse battery"})
    assert all("Secure" in c for c in resp.headers.getlist("Set-Cookie"))
    close_app(app)


def test_dev_mode_generates_a_key(tmp_path, monkeypatch):
    monkeypatch.delenv("JOBOS_SECRET_KEY", raising=False)
    monkeypatch.delenv("DATABASE_URL", raising=False)
    a = create_app({"DATA_DIR": str(tmp_path), "TESTING": True, "UI_ENABLED": False})
    b = create_app({"DATA_DIR": str(tmp_path), "TESTING": True, "UI_ENABLED": False})
    assert a.config["SECRET_KEY"] and a.config["SECRET_KEY"] != b.config["SECRET_KEY"]


def test_rate_limits_login_and_trigger_with_retry_after(tmp_path, monkeypatch):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    app = make_app(tmp_path, RATELIMIT_ENABLED=True, RATELIMIT_LOGIN="3 per minute",
                   RATELIMIT_TRIGGER="2 per minute", RATELIMIT_DEFAULT="25 per minute")
    client = app.test_client()
    add_user(app.extensions["jobos_store"], "r@example.org", "user")
    statuses = [client.post("/api/auth/login", json={"email": "r@example.org", "password": "wrong"}).status_code
                for _ in range(5)]
    assert statuses == [401, 401, 401, 429, 429]
    resp = client.post("/api/auth/login", json={"email": "r@example.org", "password": "wrong"})
    err = assert_error_shape(resp, 429)
    assert err["code"] == "rate_limited" and 0 < int(resp.headers["Retry-After"]) <= 60
    # Triggering: tighter than reading, per token.
    token = _local_token(app.extensions["jobos_store"].get_user_by_email("r@example.org")["id"], "user")
    auth = {"Authorization": f"Bearer {token}"}
    codes = [client.post("/api/scrape/company", json={"company": f"Acme {i}"}, headers=auth).status_code for i in range(4)]
    assert codes == [503, 503, 429, 429]
    # Reading has the default limit: a burst beyond it is refused too.
    burst = [client.get("/api/jobs", headers=auth).status_code for _ in range(30)]
    assert burst.count(429) > 0 and burst[0] == 200
    close_app(app)
