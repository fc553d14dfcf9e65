"""The scheduler in the API and on the page: a company's interval, the status endpoint, 'scheduled' runs."""
from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone

import pytest

from api.crawls import CrawlService
from api.testing import assert_error_shape
from jobos.leader import Lease, record_pass
from jobos.scheduler import LEASE_NAME, Scheduler, SchedulePolicy
from jobos.store.common import utcnow
from tests.apptest import backend_app, bearer, close_app, store, subject_of  # noqa: F401 - store: a fixture
from tests.pg import pg_cluster, pg_url, store_backend  # noqa: F401
from tests.test_scheduler import RankedCluster
from tests.test_ui_pages import sign_in, text_of

@pytest.fixture()
def app(store_backend):
    app = backend_app(store_backend, ui=True)
    app.extensions["jobos_crawls"].cluster = RankedCluster()
    yield app
    close_app(app)


def _at(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def test_the_adder_or_an_admin_sets_a_companys_refresh_interval(app, store):
    owner = bearer(app, store, "owner@example.org", "user")
    other = bearer(app, store, "other@example.org", "user")
    admin = bearer(app, store, "admin@example.org", "admin")
    cid = store.upsert_company("Acme", "acme.example", "greenhouse:acme", added_by=subject_of(app, owner))
    client = app.test_client()
    url = f"/api/companies/{cid}/refresh-interval"

    err = assert_error_shape(client.put(url, json={"refresh_interval": "1w"}, headers=other), 403)
    assert "added" in err["message"]
    assert any(a["action"] == "company.refresh_interval_denied" for a in store.list_audit())

    resp = client.put(url, json={"refresh_interval": "12h"}, headers=owner)
    assert resp.status_code == 200, resp.get_json()
    body = resp.get_json()
    assert body["refresh_interval"] == 43200 and body["effective_refresh_interval"] == 43200
    last, nxt = _at(body["last_crawl_at"]), _at(body["next_refresh_at"])
    assert timedelta(hours=6) <= nxt - last < timedelta(hours=18)
    assert body["refresh_failures"] == 0 and body["backoff_until"] is None

    resp = client.put(url, json={"refresh_interval": 3 * 86400}, headers=admin)
    assert resp.status_code == 200 and resp.get_json()["refresh_interval"] == 3 * 86400
    resp = client.put(url, json={"refresh_interval": None}, headers=admin)
    assert resp.get_json()["refresh_interval"] is None and resp.get_json()["effective_refresh_interval"] == 86400
    got = client.get(f"/api/companies/{cid}", headers=other).get_json()
    assert got["next_refresh_at"] and got["refresh_interval"] is None
    audit = [a for a in store.list_audit() if a["action"] == "company.refresh_interval"]
    assert [a["detail"]["after"] for a in reversed(audit)] == [43200, 3 * 86400, None]


@pytest.mark.parametrize("value,fragment", [
    ("soon", "duration such as"), (10, "between 300 seconds"), (10**9, "between"), (True, "duration"),
    ("-5h", "duration such as"),
])
def test_bad_intervals_are_refused_with_the_field(app, store, value, fragment):
    admin = bearer(app, store, "admin@example.org", "admin")
    cid = store.upsert_company("Acme", "acme.example")
    err = assert_error_shape(app.test_client().put(f"/api/companies/{cid}/refresh-interval",
                                                   json={"refresh_interval": value}, headers=admin), 422)
    assert fragment in err["message"] and err["detail"][0]["field"] == "refresh_interval"
    assert store.get_company(cid)["refresh_interval"] is None


def test_unknown_company_and_missing_field(app, store):
    admin = bearer(app, store, "admin@example.org", "admin")
    client = app.test_client()
    assert_error_shape(client.put("/api/companies/999/refresh-interval", json={"refresh_interval": 3600},
                                  headers=admin), 404)
    cid = store.upsert_company("Acme", "acme.example")
    assert_error_shape(client.put(f"/api/companies/{cid}/refresh-interval", json={}, headers=admin), 422)


def test_scheduler_status_shows_leader_last_pass_and_due_count(app, store):
    viewer = bearer(app, store, "viewer@example.org", "viewer")
    admin = bearer(app, store, "admin@example.org", "admin")
    client = app.test_client()
    empty = client.get("/api/scheduler", headers=viewer).get_json()
    assert empty["leader_active"] is False and empty["last_tick_at"] is None and empty["due"] is None

    due = store.upsert_company("Due Co", "due.example")
    store.upsert_company("Fresh Co", "fresh.example")
    with store._write() as cur:
        cur.execute("UPDATE companies SET last_crawl_at = %s WHERE id = %s",
                    [store._ts_in(utcnow() - timedelta(days=3)), due])
    status = client.get("/api/scheduler", headers=viewer).get_json()
    assert (status["companies"], status["due"], status["backing_off"]) == (2, None, 0) and status["enabled"] is True

    lease = Lease(store, LEASE_NAME, ttl=30, holder="host-a:123:ab")
    with lease.kept() as held:
        assert held
        started = utcnow()
        result = Scheduler(store, app.extensions["jobos_crawls"], SchedulePolicy()).tick(lease.held)
        record_pass(store, LEASE_NAME, lease.holder, started, result)
        as_viewer = client.get("/api/scheduler", headers=viewer).get_json()
        as_admin = client.get("/api/scheduler", headers=admin).get_json()
    assert as_viewer["leader_active"] is True and as_viewer["leader"] is None  # the host is for admins
    assert as_admin["leader"] == "host-a:123:ab"
    assert as_admin["last_tick"]["due"] == 1 and as_admin["last_tick"]["started"] == 1
    assert as_admin["due"] == 1 and as_admin["last_tick_at"]
    after = client.get("/api/scheduler", headers=admin).get_json()
    assert after["leader_active"] is False and after["leader"] is None  # released
    # Its run fails: the next pass backs it off, and the status counts it.
    run = store.list_crawl_runs()[0]
    store.update_crawl_run(run["id"], status="failed", attempts=2, finished_at=utcnow())
    Scheduler(store, app.extensions["jobos_crawls"], SchedulePolicy()).tick()
    assert client.get("/api/scheduler", headers=viewer).get_json()["backing_off"] == 1


def test_openapi_documents_the_schedule(app, store):
    spec = app.test_client().get("/api/openapi.json").get_json()
    assert "put" in spec["paths"]["/api/companies/{company_id}/refresh-interval"]
    assert "get" in spec["paths"]["/api/scheduler"]
    company = spec["components"]["schemas"]["Company"]["properties"]
    assert {"refresh_interval", "next_refresh_at", "refresh_failures", "backoff_until"} <= set(company)


def test_page_shows_next_refresh_and_scheduled_runs(app, store):
    client = app.test_client()
    sign_in(client, store)
    cid = store.upsert_company("Acme Robotics", "acme.example", "greenhouse:acme",
                               "https://boards.greenhouse.io/acme")
    with store._write() as cur:
        cur.execute("UPDATE companies SET last_crawl_at = %s WHERE id = %s",
                    [store._ts_in(utcnow() - timedelta(days=3)), cid])
    page = text_of(client.get("/companies"))
    card = page[page.index(f'id="company-{cid}"'):]
    nxt = store.get_company(cid)["next_refresh_at"]
    stamp = _at(nxt)
    assert re.search(r"Next refresh</dt><dd>\s*" + re.escape(f"{stamp.day} {stamp:%b %Y} {stamp:%H:%M} UTC"), card)

    result = Scheduler(store, CrawlService(store, RankedCluster()), SchedulePolicy()).tick()
    assert result["started"] == 1
    store.start_crawl_run({"company": "Other Co"}, "cli", "cli")
    items = text_of(client.get("/crawls")).split('<li class="card crawl-item"')[1:]
    started_by = {("Acme Robotics" if "Acme Robotics" in item else "Other Co"):
                  re.search(r'class="started-by break">([^<]*)<', item).group(1) for item in items}
    assert started_by == {"Acme Robotics": "scheduled", "Other Co": "cli"}
    # The rule is the run's source, which a viewer sees too (who asked for a run is hidden from them).
    viewer = app.test_client()
    sign_in(viewer, store, role="viewer")
    page = text_of(viewer.get("/crawls"))
    assert "Acme Robotics" not in page  # a viewer sees no arguments
    assert sorted(re.findall(r'class="started-by break">([^<]*)<', page)) == ["scheduled", "—"]
    # A failing company says it is retrying.
    run = store.list_crawl_runs()[1]
    assert run["requested_by"] == "scheduler"
    store.update_crawl_run(run["id"], status="failed", attempts=2, finished_at=datetime.now(timezone.utc))
    Scheduler(store, CrawlService(store, RankedCluster()), SchedulePolicy()).tick()
    assert "retrying after 1 failed refresh" in text_of(client.get("/companies"))
