"""Jobs, companies, crawl runs, health, metrics and errors through the Flask test client,
against a real store (SQLite and Postgres)."""
from __future__ import annotations

import csv
import io

import pytest

from api.testing import assert_error_shape, sample_jobs
from tests.apptest import backend_app, bearer, client, close_app, store, subject_of  # noqa: F401 - fixtures
from tests.pg import pg_cluster, pg_url, store_backend  # noqa: F401
from tests.test_api_company_pin import use_standin


@pytest.fixture()
def app(store_backend):
    app = backend_app(store_backend)  # scrapyd is down for these tests
    yield app
    close_app(app)


@pytest.fixture()
def viewer(client, store):
    return bearer(client, store, "viewer@example.org", "viewer")


@pytest.fixture()
def user(client, store):
    return bearer(client, store, "user@example.org", "user")


@pytest.fixture()
def jobs(store):
    items = sample_jobs(12)
    store.upsert_jobs(items)
    return items


def test_search_filters_and_full_text(client, viewer, jobs):
    resp = client.get("/api/jobs", headers=viewer)
    assert resp.status_code == 200
    body = resp.get_json()
    assert body["total"] == "12" and len(body["items"]) == 12
    resp = client.get("/api/jobs?q=python&country=germany&workplace=onsite", headers=viewer)
    got = resp.get_json()["items"]
    expected = {j["title"] for j in jobs if j["country"] == "DE" and j["workplace"] == "onsite" and "Python" in j["description"]}
    assert {j["title"] for j in got} == expected and expected
    assert all(j["country"] == "DE" for j in got)


def test_cursor_pagination_visits_every_job_once(client, viewer, jobs):
    seen, cursor = [], None
    for _ in range(10):
        resp = client.get("/api/jobs", query_string={"limit": 5, **({"cursor": cursor} if cursor else {})}, headers=viewer)
        body = resp.get_json()
        seen += [j["id"] for j in body["items"]]
        cursor = body["next_cursor"]
        if not cursor:
            break
    assert len(seen) == 12 and len(set(seen)) == 12


def test_bad_cursor_is_422(client, viewer, jobs):
    err = assert_error_shape(client.get("/api/jobs?cursor=not-a-cursor", headers=viewer), 422)
    assert err["detail"][0]["field"] == "cursor"


def test_csv_export_is_the_same_selection(client, viewer, jobs):
    resp = client.get("/api/jobs?format=csv&country=US", headers=viewer)
    assert resp.status_code == 200 and resp.mimetype == "text/csv"
    rows = list(csv.DictReader(io.StringIO(resp.get_data(as_text=True))))
    assert {r["external_id"] for r in rows} == {j["external_id"] for j in jobs if j["country"] == "US"}


def test_csv_export_defuses_formulas(client, viewer, store):
    item = sample_jobs(1)[0] | {"title": "=HYPERLINK(\"http://evil\")", "external_id": "evil"}
    store.upsert_jobs([item])
    rows = list(csv.DictReader(io.StringIO(client.get("/api/jobs?format=csv", headers=viewer).get_data(as_text=True))))
    assert rows[0]["title"].startswith("'=")


def test_job_detail_with_history_and_provenance(client, viewer, store, jobs):
    changed = dict(jobs[0], title="Senior Robotics Engineer 0")
    store.upsert_jobs([changed])
    job_id = client.get("/api/jobs?q=senior", headers=viewer).get_json()["items"][0]["id"]
    body = client.get(f"/api/jobs/{job_id}", headers=viewer).get_json()
    assert body["title"] == "Senior Robotics Engineer 0"
    assert body["provenance"]["title"]["method"] == "api"
    assert len(body["history"]) == 1 and "title" in body["history"][0]["changed_fields"]
    assert_error_shape(client.get("/api/jobs/999999999", headers=viewer), 404)
    # An id no database row can have is the caller's mistake (tests/test_api_limits.py).
    assert_error_shape(client.get("/api/jobs/9999999999999999999999", headers=viewer), 422)


def test_companies_search_detail_and_pin(client, viewer, user, store, jobs, web, monkeypatch):
    use_standin(monkeypatch, web)  # a pin is checked live (tests/test_api_company_pin.py)
    me = subject_of(client, user)
    cid = store.upsert_company("Acme Robotics", domain="acme.example", board="greenhouse:acme", reason="slug probe",
                               added_by=me)  # the user who added it may re-point it
    body = client.get("/api/companies?q=acme", headers=viewer).get_json()
    assert [c["id"] for c in body["items"]] == [cid]
    detail = client.get(f"/api/companies/{cid}", headers=viewer).get_json()
    assert detail["board"] == "greenhouse:acme" and detail["reason"] == "slug probe"
    # Viewers may not pin; users may.
    assert_error_shape(client.patch(f"/api/companies/{cid}", json={"careers_url": "https://acme.example/jobs"}, headers=viewer), 403)
    resp = client.patch(f"/api/companies/{cid}", json={"careers_url": "www.northwind.dk/"}, headers=user)
    assert resp.status_code == 200, resp.get_json()
    assert resp.get_json()["careers_url"] == "https://www.northwind.dk/" and resp.get_json()["pinned"] is True
    actions = [a["action"] for a in store.list_audit()]
    assert "company.pin" in actions


def test_trigger_with_scrapyd_down_is_503_and_run_failed(client, user, store):
    resp = client.post("/api/scrape/company", json={"company": "Acme Robotics", "country": "de"}, headers=user)
    err = assert_error_shape(resp, 503)
    assert "scrapyd" in err["message"]
    run = store.get_crawl_run(err["detail"]["crawl_id"])
    assert run["status"] == "failed" and "scrapyd" in run["error_summary"]
    assert run["args"]["country"] == "DE"
    shown = client.get(f"/api/scrape/{run['id']}", headers=user).get_json()
    assert shown["status"] == "failed"
    # Failed runs are not "active": a new trigger makes a new run (also failing, not pending).
    again = assert_error_shape(client.post("/api/scrape/company", json={"company": "Acme Robotics", "country": "DE"}, headers=user), 503)
    assert again["detail"]["crawl_id"] != run["id"]


def test_active_crawl_is_reused(client, user, store):
    crawl_id = store.create_crawl_run({"company": "Acme GmbH", "country": "DE"}, "someone", "api")
    resp = client.post("/api/scrape/company", json={"company": "acme gmbh", "country": "Germany"}, headers=user)
    assert resp.status_code == 202
    assert resp.get_json() == {"crawl_id": crawl_id, "status": "pending", "existing": True, "url": f"/api/scrape/{crawl_id}"}


def test_cancel_own_or_admin_only(client, user, store):
    other = bearer(client, store, "other@example.org", "user")
    me = subject_of(client, user)
    crawl_id = store.create_crawl_run({"company": "Acme"}, me, "api")
    assert_error_shape(client.delete(f"/api/scrape/{crawl_id}", headers=other), 403)
    resp = client.delete(f"/api/scrape/{crawl_id}", headers=user)
    assert resp.status_code == 200 and resp.get_json()["status"] == "cancelled"
    assert store.list_audit()[0]["action"] == "crawl.cancel"


def test_batch_json_and_csv_validate_every_row(client, user, store):
    resp = client.post("/api/scrape/batch", json=[{"company": "Acme"}, {"company": ""}], headers=user)
    err = assert_error_shape(resp, 422)
    assert err["detail"][0]["field"].startswith("companies.1.company")
    assert store.list_crawl_runs() == []  # a bad row starts nothing
    csv_body = "company,country\nAcme,DE\nGlobex,US\n"
    resp = client.post("/api/scrape/batch", data=csv_body, content_type="text/csv", headers=user)
    err = assert_error_shape(resp, 503)  # scrapyd is down: both runs failed, none pending
    assert [c["company"] for c in err["detail"]["crawls"]] == ["Acme", "Globex"]
    assert {r["status"] for r in store.list_crawl_runs()} == {"failed"}


def test_health_reports_each_dependency(client, store):
    resp = client.get("/api/health")
    err = assert_error_shape(resp, 503)  # every scrapyd node is down
    report = err["detail"]
    assert report["database"]["ok"] is True
    assert report["scrapyd"][0]["ok"] is False and report["llm"]["ok"] is False


def test_metrics_are_prometheus_text(client, user, jobs):
    client.post("/api/scrape/company", json={"company": "Acme"}, headers=user)
    client.get("/api/jobs", headers=user)
    text = client.get("/metrics").get_data(as_text=True)
    assert 'jobos_jobs_stored{status="open"} 12.0' in text
    assert 'jobos_crawls_total{event="failed"} 1.0' in text
    assert 'jobos_http_request_duration_seconds_count{endpoint="/api/jobs",method="GET",status="200"} 1.0' in text


@pytest.mark.parametrize("method,path", [("GET", "/nope"), ("DELETE", "/api/jobs"), ("PUT", "/api/scrape/company")])
def test_404_405_in_the_one_shape(client, method, path):
    resp = client.open(path, method=method)
    assert_error_shape(resp, 404 if path == "/nope" else 405)


def test_unexpected_error_is_500_in_the_one_shape(app, client, viewer, monkeypatch):
    store = app.extensions["jobos_store"]
    monkeypatch.setattr(store, "search_jobs", lambda **kw: 1 / 0)
    err = assert_error_shape(client.get("/api/jobs", headers=viewer), 500)
    assert "ZeroDivision" not in err["message"]


def test_public_read_opens_reading_never_triggering(store_backend):
    app = backend_app(store_backend, PUBLIC_READ=True)
    client = app.test_client()
    assert client.get("/api/jobs").status_code == 200
    assert client.get("/api/companies").status_code == 200
    assert_error_shape(client.post("/api/scrape/company", json={"company": "Acme"}), 401)
    close_app(app)
