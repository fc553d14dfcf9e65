"""Every state-changing endpoint, taken from the app's url_map, refuses bad tokens.

tests/test_api_auth.py checks a hand-written list of endpoints in depth (external tokens, JWKS,
roles). This test enumerates the routes themselves, so an endpoint added later cannot be
forgotten: it must refuse a missing, expired, wrongly signed or garbage token and a viewer's
token, or be named in OPEN below with the reason it is open.
"""
from __future__ import annotations

import datetime as dt

import jwt
import pytest

from api.testing import add_user, assert_error_shape
from tests.apptest import SECRET, close_app, make_app
UNSAFE = {"POST", "PUT", "PATCH", "DELETE"}
# Unsafe routes open on purpose: signing in must work without a token; signing out only ends
# the caller's own session (a cookie sign-out needs the CSRF header: tests/test_api_accounts.py).
# The page's forms are CSRF-checked (tests/test_ui_pages.py).
OPEN = {"auth.login", "auth.logout", "ui.login", "ui.logout"}
# A user's own pages post plain forms and answer in HTML: a bad token is signed out (to the
# sign-in page), a viewer gets a 403 page; the forms are CSRF-checked too (tests/test_ui_me.py).
PAGE_FORMS = {"ui.me_save_search", "ui.me_follow", "ui.me_delete_search", "ui.me_search_alerts",
              "ui.me_upload_resume", "ui.me_delete_resume"}
BODIES = {
    "scrape.start_company": {"company": "Acme"},
    "scrape.start_batch": [{"company": "Acme"}],
    "companies.patch_company": {"pinned": True},
    "auth.create_user": {"email": "new@example.org", "password": "tangerine orbit ladder", "role": "admin"},
    "auth.change_role": {"role": "admin"},
    "auth.set_disabled": {"disabled": True},
}


def _token(sub: str, role: str, key: str = SECRET, expires_in: int = 300) -> str:
    now = dt.datetime.now(dt.timezone.utc)
    return jwt.encode({"iss": "jobos", "aud": "jobos-api", "sub": sub, "role": role, "iat": now,
                       "exp": now + dt.timedelta(seconds=expires_in)}, key, algorithm="HS256")


@pytest.fixture()
def app(tmp_path, monkeypatch):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    app = make_app(tmp_path, ui=True)  # the page's forms are routes too
    yield app
    close_app(app)


def unsafe_routes(app) -> list[tuple[str, str, str]]:
    """Return (method, path with ids filled in, endpoint) for every state-changing route."""
    routes = []
    for rule in app.url_map.iter_rules():
        for method in sorted(rule.methods & UNSAFE):
            path = rule.rule
            for arg in rule.arguments:
                path = path.replace(f"<id:{arg}>", "1").replace(f"<{arg}>", "1")
            routes.append((method, path, rule.endpoint))
    return routes


def test_the_route_list_is_not_empty_and_every_open_route_exists(app):
    endpoints = {e for _, _, e in unsafe_routes(app)}
    assert {"scrape.start_company", "scrape.cancel_run", "companies.patch_company"} <= endpoints
    assert OPEN <= endpoints  # an OPEN entry that no longer exists is a stale exemption
    assert PAGE_FORMS <= endpoints


def test_every_state_changing_route_refuses_bad_tokens(app):
    client = app.test_client()
    store = app.extensions["jobos_store"]
    viewer_id = add_user(store, "viewer@example.org", "viewer")
    user_id = add_user(store, "user@example.org", "user")
    bad = {
        "missing": None,
        "expired": _token(f"user:{user_id}", "admin", expires_in=-60),
        "wrongly signed": _token(f"user:{user_id}", "admin", key="another-key" * 5),
        "garbage": "definitely.not.ajwt",
        "alg none": jwt.encode({"sub": f"user:{user_id}", "aud": "jobos-api", "role": "admin",
                                "exp": 9999999999}, None, algorithm="none"),
    }
    checked = []
    for method, path, endpoint in unsafe_routes(app):
        if endpoint in OPEN:
            continue
        body = BODIES.get(endpoint, {})
        if endpoint in PAGE_FORMS:
            for name, token in bad.items():
                headers = {"Authorization": f"Bearer {token}"} if token else {}
                resp = client.open(path, method=method, data={"name": "x", "company": "x"}, headers=headers)
                assert resp.status_code == 302 and "/login" in resp.headers["Location"], (path, name)
            viewer = {"Authorization": f"Bearer {_token(f'user:{viewer_id}', 'viewer')}"}
            assert client.open(path, method=method, data={"name": "x"}, headers=viewer).status_code == 403
            checked.append(endpoint)
            continue
        for name, token in bad.items():
            headers = {"Authorization": f"Bearer {token}"} if token else {}
            resp = client.open(path, method=method, json=body, headers=headers)
            err = assert_error_shape(resp, 401)
            assert err["code"] == "unauthorized", (method, path, name)
        viewer = {"Authorization": f"Bearer {_token(f'user:{viewer_id}', 'viewer')}"}
        assert_error_shape(client.open(path, method=method, json=body, headers=viewer), 403)
        if endpoint.startswith("auth."):  # managing users is the admin's, not a user's
            user = {"Authorization": f"Bearer {_token(f'user:{user_id}', 'user')}"}
            assert_error_shape(client.open(path, method=method, json=body, headers=user), 403)
        checked.append(endpoint)
    assert len(checked) >= 7, checked
    # Nothing was triggered, cancelled or created by any of those calls.
    assert store.list_crawl_runs() == []
    assert store.get_user_by_email("new@example.org") is None
    assert store.list_saved_searches() == [] and store.list_resumes(user_id) == []
