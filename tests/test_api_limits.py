"""Limits that hold under abuse: crawl quotas, body size, JSON depth, tampered cursors and ids,
bounded metric labels, unmatched routes and health rate-limited, health detail for admins only,
CSV export that no spreadsheet runs (SQLite and Postgres where the store is involved)."""
from __future__ import annotations

import base64
import csv
import io
import json
import re

import pytest

from api.testing import assert_error_shape, sample_jobs
from tests.apptest import backend_app, bearer, client, close_app, store, subject_of  # noqa: F401 - fixtures
from tests.pg import pg_cluster, pg_url, store_backend  # noqa: F401


def _make(store_backend, **config):
    # scrapyd is down (apptest), so an accepted trigger answers 503 (run failed).
    return backend_app(store_backend, HEALTH_TIMEOUT=0.2, **config)


@pytest.fixture()
def app(store_backend):
    app = _make(store_backend)
    yield app
    close_app(app)


# --- per-user crawl quotas --------------------------------------------------------------------

@pytest.fixture()
def quota_app(store_backend):
    app = _make(store_backend, QUOTA_CONCURRENT=2, QUOTA_PER_HOUR=4)
    yield app
    close_app(app)


def test_concurrent_crawl_quota_is_a_429_in_the_one_shape_and_admins_are_exempt(quota_app):
    client, store = quota_app.test_client(), quota_app.extensions["jobos_store"]
    user = bearer(client, store, "quota-user@example.org", "user")
    me = subject_of(client, user)
    for name in ("Alpha", "Beta"):  # two crawls of this user still running
        store.create_crawl_run({"company": name}, me, "api")
    resp = client.post("/api/scrape/company", json={"company": "Gamma"}, headers=user)
    err = assert_error_shape(resp, 429)
    assert err["code"] == "quota_exceeded" and "2" in err["message"], err
    assert int(resp.headers["Retry-After"]) > 0
    assert err["detail"]["active"] == 2 and err["detail"]["limit_concurrent"] == 2
    assert len(store.list_crawl_runs()) == 2  # nothing was created
    # A batch and a refresh count the same way.
    assert_error_shape(client.post("/api/scrape/batch", json=[{"company": "Delta"}], headers=user), 429)
    cid = store.upsert_company("Acme Robotics", domain="acme.example", board="greenhouse:acme")
    assert_error_shape(client.post(f"/api/companies/{cid}/refresh", json={}, headers=user), 429)
    assert len(store.list_crawl_runs()) == 2
    # Another user's crawls are not this user's quota; admins have none.
    other = bearer(client, store, "quota-other@example.org", "user")
    assert_error_shape(client.post("/api/scrape/company", json={"company": "Gamma"}, headers=other), 503)
    admin = bearer(client, store, "quota-admin@example.org", "admin")
    admin_subject = subject_of(client, admin)
    for name in ("A1", "A2", "A3"):
        store.create_crawl_run({"company": name}, admin_subject, "api")
    assert_error_shape(client.post("/api/scrape/company", json={"company": "Epsilon"}, headers=admin), 503)


def test_hourly_crawl_quota_counts_finished_and_failed_runs_and_whole_batches(quota_app):
    client, store = quota_app.test_client(), quota_app.extensions["jobos_store"]
    user = bearer(client, store, "hourly@example.org", "user")
    # scrapyd is down: each accepted trigger makes a failed run (not active, but it was started).
    codes = [client.post("/api/scrape/company", json={"company": f"Firm {i}"}, headers=user).status_code
             for i in range(3)]
    assert codes == [503, 503, 503]
    # One left this hour: a batch of two starts nothing and says so.
    resp = client.post("/api/scrape/batch", json=[{"company": "B1"}, {"company": "B2"}], headers=user)
    err = assert_error_shape(resp, 429)
    assert err["code"] == "quota_exceeded" and err["detail"]["limit_per_hour"] == 4
    assert len(store.list_crawl_runs()) == 3
    assert client.post("/api/scrape/company", json={"company": "Firm 3"}, headers=user).status_code == 503
    resp = client.post("/api/scrape/company", json={"company": "Firm 4"}, headers=user)
    assert assert_error_shape(resp, 429)["code"] == "quota_exceeded"
    assert 0 < int(resp.headers["Retry-After"]) <= 3600
    assert len(store.list_crawl_runs()) == 4


def test_a_burst_of_parallel_triggers_cannot_pass_the_quota(quota_app):
    from concurrent.futures import ThreadPoolExecutor

    client, store = quota_app.test_client(), quota_app.extensions["jobos_store"]
    user = bearer(client, store, "burst@example.org", "user")

    def trigger(i: int) -> int:
        return quota_app.test_client().post("/api/scrape/company", json={"company": f"Burst {i}"},
                                            headers=user).status_code

    with ThreadPoolExecutor(8) as pool:
        codes = list(pool.map(trigger, range(12)))
    assert sorted(codes) == [429] * 8 + [503] * 4, codes  # QUOTA_PER_HOUR=4, scrapyd down
    assert len(store.list_crawl_runs()) == 4


# --- request size, JSON depth -------------------------------------------------------------------

def test_a_body_over_max_content_length_is_413(client, store):
    user = bearer(client, store, "big@example.org", "user")
    limit = client.application.config["MAX_CONTENT_LENGTH"]
    assert isinstance(limit, int) and 0 < limit <= 16 * 1024 * 1024
    body = json.dumps({"company": "Acme", "pad": "x" * limit})
    for path in ("/api/scrape/company", "/api/scrape/batch"):
        resp = client.post(path, data=body, content_type="application/json", headers=user)
        assert assert_error_shape(resp, 413)["code"] == "payload_too_large"
    resp = client.post("/api/auth/login", data=body, content_type="application/json")
    assert_error_shape(resp, 413)
    assert store.list_crawl_runs() == []


@pytest.mark.parametrize("depth", [40, 5000, 100_000])
def test_deeply_nested_json_is_422_not_500(client, store, depth):
    user = bearer(client, store, f"deep{depth}@example.org", "user")
    nested = "[" * depth + "]" * depth
    for path, raw in (("/api/scrape/company", '{"company": %s}' % nested),
                      ("/api/scrape/batch", '{"companies": %s}' % nested),
                      ("/api/auth/login", '{"email": "a@b.c", "password": %s}' % nested)):
        resp = client.post(path, data=raw, content_type="application/json", headers=user)
        err = assert_error_shape(resp, 422)
        assert "nested" in err["message"], (path, err)
    assert store.list_crawl_runs() == []


# --- tampered cursors and ids out of range ------------------------------------------------------

def _cursor(*parts) -> str:
    return base64.urlsafe_b64encode(json.dumps(list(parts)).encode()).decode().rstrip("=")


TAMPERED = [
    ("", ["posted_at", "desc", "2024-01-01", 2**70]),
    ("", ["posted_at", "desc", "2024-01-01", -1]),
    ("", ["posted_at", "desc", "2024-01-01", True]),
    ("", ["posted_at", "desc", "2024-01-01", "7"]),
    ("", ["posted_at", "desc", ["2024-01-01"], 5]),
    ("", ["posted_at", "desc", {"$gt": ""}, 5]),
    ("", ["posted_at", "desc", "not a date", 5]),
    ("", ["posted_at", "desc", 20240101, 5]),
    ("sort=first_seen", ["first_seen", "desc", "yesterday", 5]),
    ("sort=title&order=asc", ["title", "asc", "nul\u0000byte", 5]),
    ("sort=title&order=asc", ["title", "asc", 12.5, 5]),
    ("", ["posted_at", "desc", "2024-01-01", 5, "extra"]),
]


@pytest.mark.parametrize("qs,parts", TAMPERED, ids=[str(i) for i in range(len(TAMPERED))])
def test_tampered_job_cursors_are_422(client, store, qs, parts):
    store.upsert_jobs(sample_jobs(6))
    viewer = bearer(client, store, "cur@example.org", "viewer")
    resp = client.get(f"/api/jobs?{qs}&limit=2&cursor={_cursor(*parts)}".replace("?&", "?"), headers=viewer)
    err = assert_error_shape(resp, 422)
    assert err["detail"][0]["field"] == "cursor", err
    # CSV export validates the cursor the same way before streaming.
    resp = client.get(f"/api/jobs?{qs}&format=csv&cursor={_cursor(*parts)}".replace("?&", "?"), headers=viewer)
    assert_error_shape(resp, 422)


def test_real_cursors_still_page(client, store):
    store.upsert_jobs(sample_jobs(6))
    viewer = bearer(client, store, "pager@example.org", "viewer")
    for qs in ("", "&sort=first_seen", "&sort=title&order=asc", "&sort=company"):
        seen, cursor = [], None
        for _ in range(10):
            extra = f"&cursor={cursor}" if cursor else ""
            body = client.get(f"/api/jobs?limit=4{qs}{extra}", headers=viewer).get_json()
            seen += [j["id"] for j in body["items"]]
            cursor = body["next_cursor"]
            if not cursor:
                break
        assert len(seen) == 6 == len(set(seen)), qs


@pytest.mark.parametrize("parts", [["name", "asc", "acme", 2**70], ["name", "asc", "acme", -3],
                                   ["name", "asc", ["acme"], 1], ["name", "asc", "a\u0000", 1]])
def test_tampered_company_cursors_are_422(client, store, parts):
    store.upsert_company("Acme Robotics", domain="acme.example", board="greenhouse:acme")
    viewer = bearer(client, store, "ccur@example.org", "viewer")
    err = assert_error_shape(client.get(f"/api/companies?cursor={_cursor(*parts)}", headers=viewer), 422)
    assert err["detail"][0]["field"] == "cursor"


@pytest.mark.parametrize("path", ["/api/jobs/{}", "/api/scrape/{}", "/api/companies/{}"])
@pytest.mark.parametrize("value", [str(2**70), "-1", "-99999999999999999999999", str(2**63)])
def test_ids_out_of_range_are_422(client, store, path, value):
    viewer = bearer(client, store, "ids@example.org", "viewer")
    err = assert_error_shape(client.get(path.format(value), headers=viewer), 422)
    assert err["code"] == "validation_error" and err["detail"][0]["location"] == "path", err
    # In range but unknown stays a 404.
    assert_error_shape(client.get(path.format("999999"), headers=viewer), 404)


def test_admin_ids_out_of_range_are_422(client, store):
    admin = bearer(client, store, "idadmin@example.org", "admin")
    resp = client.put(f"/api/users/{2**70}/role", json={"role": "user"}, headers=admin)
    assert assert_error_shape(resp, 422)["code"] == "validation_error"


# --- metrics labels, unmatched routes, health -----------------------------------------------------

def test_metric_labels_stay_bounded_under_odd_methods_and_paths(client, store):
    viewer = bearer(client, store, "metrics@example.org", "viewer")
    for i in range(30):
        client.open("/api/jobs", method=f"BREW{i}", headers=viewer)
        client.get(f"/no/such/route/{i}")
        client.open(f"/api/jobs/{i}x", method=f"X{i}")
    text = client.get("/metrics").get_data(as_text=True)
    lines = [line for line in text.splitlines() if line.startswith("jobos_http_request_duration_seconds_count")]
    methods = set(re.findall(r'method="([^"]*)"', "\n".join(lines)))
    endpoints = set(re.findall(r'endpoint="([^"]*)"', "\n".join(lines)))
    assert methods <= {"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "other"}, methods
    assert "other" in methods
    assert not any(e.startswith("/no/") or "x" in e.rsplit("/", 1)[-1] for e in endpoints), endpoints
    assert len(lines) < 20, lines


def test_unmatched_routes_are_rate_limited(store_backend):
    app = _make(store_backend, RATELIMIT_ENABLED=True, RATELIMIT_UNMATCHED="5 per minute")
    client = app.test_client()
    codes = [client.get(f"/probe/{i}").status_code for i in range(8)]
    assert codes == [404] * 5 + [429] * 3
    resp = client.get("/wp-admin.php")
    assert assert_error_shape(resp, 429)["code"] == "rate_limited" and int(resp.headers["Retry-After"]) > 0
    # Matched routes have their own budget: still answered.
    assert client.get("/api/openapi.json").status_code == 200
    close_app(app)


def _urls_in(value) -> list[str]:
    text = json.dumps(value)
    return re.findall(r"https?://[^\"\s]+", text) + re.findall(r'"url"', text)


def test_health_detail_is_for_admins_only(client, store):
    anonymous = client.get("/api/health")
    err = assert_error_shape(anonymous, 503)  # every scrapyd node is down
    report = err["detail"]
    assert report["status"] == "down" and report["database"]["ok"] is True
    assert [n["ok"] for n in report["scrapyd"]] == [False]
    assert _urls_in(anonymous.get_json()) == [], anonymous.get_json()
    assert "error" not in json.dumps(report).replace('"error": {', "")
    viewer = bearer(client, store, "hv@example.org", "viewer")
    assert _urls_in(client.get("/api/health", headers=viewer).get_json()) == []
    admin = bearer(client, store, "ha@example.org", "admin")
    full = assert_error_shape(client.get("/api/health", headers=admin), 503)["detail"]
    assert full["scrapyd"][0]["url"].startswith("http://127.0.0.1:") and full["scrapyd"][0]["error"]
    assert full["llm"]["url"].startswith("http://127.0.0.1:")


def test_health_is_rate_limited(store_backend):
    app = _make(store_backend, RATELIMIT_ENABLED=True, RATELIMIT_HEALTH="3 per minute")
    client = app.test_client()
    codes = [client.get("/api/health").status_code for _ in range(5)]
    assert codes == [503, 503, 503, 429, 429]
    close_app(app)


# --- CSV export --------------------------------------------------------------------------------

FORMULAS = {
    "t1": "Engineer;=HYPERLINK(\"http://evil.example\")",
    "t2": "Sales\t@SUM(A1:A9)",
    "t3": "+1 Ops;-2+3;@x",
    "t4": "=cmd|' /C calc'!A0",
    "t5": "Data\r=1+1",
}


def test_csv_export_quotes_every_field_and_defuses_formulas_after_separators(client, store):
    items = [sample_jobs(1)[0] | {"title": title, "external_id": key, "department": "R&D;=1+2"}
             for key, title in FORMULAS.items()]
    store.upsert_jobs(items)
    viewer = bearer(client, store, "csv@example.org", "viewer")
    raw = client.get("/api/jobs?format=csv", headers=viewer).get_data(as_text=True)
    rows = list(csv.reader(io.StringIO(raw)))
    assert len(rows) == 1 + len(FORMULAS)
    # Every field is quoted: each record is "…","…",… (csv.reader would hide that, so read raw).
    physical = raw.replace("\r\n", "\n")
    assert physical.startswith('"id","status"'), physical[:80]
    assert re.search(r'(^|,)[^",\n]', physical.split("\n", 1)[0]) is None
    header, *data = rows
    seen_titles = set()
    for row in data:
        record = dict(zip(header, row))
        seen_titles.add(record["external_id"])
        for value in row:
            # No cell, nor any piece a ';' or tab separator could split off, starts like a formula.
            for piece in re.split(r"[;\t]", value):
                assert not piece.startswith(("=", "+", "-", "@", "\t", "\r")), (value, piece)
    assert seen_titles == set(FORMULAS)
    titles = {dict(zip(header, r))["external_id"]: dict(zip(header, r))["title"] for r in data}
    # The text is kept, only defused.
    assert "HYPERLINK" in titles["t1"] and titles["t4"].lstrip("'").startswith("=cmd")
