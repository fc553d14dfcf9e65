"""Who may change a company's careers page, and one crawl per company through the API."""
from __future__ import annotations

import threading

import pytest

from api.testing import assert_error_shape
from tests.apptest import backend_app, bearer, close_app, store, subject_of  # noqa: F401 - store: a fixture
from tests.pg import pg_cluster, pg_url, store_backend  # noqa: F401
from tests.test_api_company_pin import use_standin
from tests.test_crawl_monitor import ScriptedCluster

@pytest.fixture()
def app(store_backend):
    app = backend_app(store_backend)
    app.extensions["jobos_crawls"].cluster = ScriptedCluster()
    yield app
    close_app(app)


def test_only_the_user_who_added_a_company_or_an_admin_changes_its_careers_page(app, store, web, monkeypatch):
    use_standin(monkeypatch, web)  # a pin is checked live (tests/test_api_company_pin.py)
    owner = bearer(app, store, "owner@example.org", "user")
    other = bearer(app, store, "other@example.org", "user")
    admin = bearer(app, store, "admin@example.org", "admin")
    cid = store.upsert_company("Acme", "acme.example", "greenhouse:acme", "https://acme.example/jobs",
                               "slug probe", added_by=subject_of(app, owner))
    client = app.test_client()
    err = assert_error_shape(client.patch(f"/api/companies/{cid}", json={"careers_url": "https://evil.example/"},
                                          headers=other), 403)
    assert "added" in err["message"]
    assert store.get_company(cid)["careers_url"] == "https://acme.example/jobs"
    denied = [a for a in store.list_audit() if a["action"] == "company.update_denied"]
    assert denied and denied[0]["target"] == f"company:{cid}"
    resp = client.patch(f"/api/companies/{cid}", json={"careers_url": "https://www.northwind.dk/"}, headers=owner)
    assert resp.status_code == 200, resp.get_json()
    resp = client.patch(f"/api/companies/{cid}", json={"board": "greenhouse:northwind"}, headers=admin)
    assert resp.status_code == 200, resp.get_json()
    pins = [a for a in store.list_audit() if a["action"] == "company.pin"]
    assert len(pins) == 2 and pins[0]["detail"]["before"]["careers_url"] == "https://www.northwind.dk/"
    # A company a crawl found without a known requester: admins only.
    orphan = store.upsert_company("Beta", "beta.example", "greenhouse:beta")
    assert_error_shape(client.patch(f"/api/companies/{orphan}", json={"careers_url": "https://beta.example/j"},
                                    headers=owner), 403)


def test_two_concurrent_triggers_make_one_run(app, store):
    users = [bearer(app, store, f"u{i}@example.org", "user") for i in range(2)]
    barrier = threading.Barrier(2)
    answers: list = [None, None]

    def trigger(i: int) -> None:
        client = app.test_client()
        barrier.wait()
        answers[i] = client.post("/api/scrape/company", json={"company": "Acme GmbH", "country": "DE"},
                                 headers=users[i])

    threads = [threading.Thread(target=trigger, args=(i,)) for i in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    bodies = [a.get_json() for a in answers]
    assert [a.status_code for a in answers] == [202, 202], bodies
    assert bodies[0]["crawl_id"] == bodies[1]["crawl_id"]
    assert sorted(b["existing"] for b in bodies) == [False, True]
    assert len(store.list_crawl_runs()) == 1
    assert len(app.extensions["jobos_crawls"].cluster.scheduled) == 1


def test_a_board_another_company_owns_is_a_409_and_a_site_board_is_the_companys(app, store, web, monkeypatch):
    use_standin(monkeypatch, web)
    admin = bearer(app, store, "admin@example.org", "admin")
    acme = store.upsert_company("Acme", "acme.example", "greenhouse:northwind")
    beta = store.upsert_company("Beta", "beta.example", "greenhouse:beta")
    client = app.test_client()
    err = assert_error_shape(client.patch(f"/api/companies/{beta}", json={"board": "greenhouse:northwind"},
                                          headers=admin), 409)
    assert f"company {acme}" in err["message"]
    assert store.get_company(beta)["board"] == "greenhouse:beta"
    # A company's own site is pinned by its page; the board is this company's on that site.
    resp = client.patch(f"/api/companies/{beta}", json={"careers_url": "https://www.northwind.dk/"}, headers=admin)
    assert resp.status_code == 200, resp.get_json()
    assert resp.get_json()["board"] == "website:northwind.dk/beta"
