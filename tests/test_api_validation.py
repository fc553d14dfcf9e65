"""Bad input -> 422 in the one shape with the field and the reason; never a 500."""
from __future__ import annotations

import pytest

from api.testing import assert_error_shape, sample_jobs
from tests.apptest import backend_app, bearer, close_app
from tests.pg import pg_cluster, pg_url, store_backend  # noqa: F401


@pytest.fixture()
def client(store_backend):
    app = backend_app(store_backend)
    store = app.extensions["jobos_store"]
    store.upsert_jobs(sample_jobs(3))
    client = app.test_client()
    client.environ_base["HTTP_AUTHORIZATION"] = bearer(client, store, "u@example.org", "user")["Authorization"]
    yield client
    close_app(app)


BAD_BODIES = [
    ({"company": "Acme", "country": "Atlantis"}, "country", "unknown country"),
    ({"company": ""}, "company", "is required"),
    ({"company": "x" * 300}, "company", "at most 200"),
    ({"company": "Acme\x00Corp"}, "company", "control characters"),
    ({"company": "Acme\u0007"}, "company", "control characters"),
    ({"company": 42}, "company", "must be text"),
    ({"company": ["Acme"]}, "company", "must be text"),
    ({"company": "Acme", "max_jobs": "lots"}, "max_jobs", "whole number"),
    ({"company": "Acme", "max_jobs": -1}, "max_jobs", "must be at least 1"),
    ({"company": "Acme", "render": "sometimes"}, "render", "'auto', 'always' or 'never'"),
    ({"company": "Acme", "careers_url": "javascript:alert(1)"}, "careers_url", "http"),
    ({"company": "Acme", "careers_url": "file:///etc/passwd"}, "careers_url", "http"),
    ({"company": "Acme", "careers_url": "data:text/html,x"}, "careers_url", "http"),
    ({"company": "Acme", "crawl_id": 5}, "body", "set by the API"),
    ({"company": "Acme", "evil": 1}, "evil", "unknown field"),
    ({"company": "!!!"}, "company", "letter or digit"),
    ({}, "company", "required"),
]


@pytest.mark.parametrize("body,field,reason", BAD_BODIES)
def test_scrape_body_422(client, body, field, reason):
    err = assert_error_shape(client.post("/api/scrape/company", json=body), 422)
    assert err["code"] == "validation_error"
    fields = [d["field"] for d in err["detail"]]
    assert field in fields, err
    assert any(reason.lower() in d["reason"].lower() for d in err["detail"]), err


@pytest.mark.parametrize("raw,ctype,status", [
    (b"{not json", "application/json", 400), (b"[1, 2]", "application/json", 422),
    (b"null", "application/json", 422), (b"company=Acme", "application/x-www-form-urlencoded", 415),
    (b"\xff\xfe\x00", "application/json", 400),
])
def test_not_a_json_object(client, raw, ctype, status):
    assert_error_shape(client.post("/api/scrape/company", data=raw, content_type=ctype), status)


@pytest.mark.parametrize("company", ["Acme'; DROP TABLE jobs; --", "Ac%me_", "\u202eemcA", "Z\u0303\u0301algo",
                                     "株式会社アクメ", "🤖 Robots", "Acme\u200bGmbH"])
def test_odd_but_valid_names_are_accepted(client, company):
    # scrapyd is down, so an accepted name answers 503 (run failed) — never 422 or 500.
    resp = client.post("/api/scrape/company", json={"company": company})
    assert_error_shape(resp, 503)


QUERY_CASES = [
    ("q=" + "x" * 201, "q"), ("country=Narnia", "country"), ("workplace=moon", "workplace"),
    ("employment_type=SLAVE", "employment_type"), ("posted_since=yesterday", "posted_since"),
    ("status=deleted", "status"), ("sort=random", "sort"), ("limit=0", "limit"), ("limit=abc", "limit"),
    ("limit=100000000000000000000000", "limit"), ("q=%00", "q"), ("company=a%01b", "company"),
    ("unknown=1", "unknown"), ("q=a&q=b", "q"), ("format=xml", "format"), ("order=sideways", "order"),
    ("q=%ED%A0%80%00", "q"),
]


@pytest.mark.parametrize("qs,field", QUERY_CASES)
def test_jobs_query_422(client, qs, field):
    err = assert_error_shape(client.get(f"/api/jobs?{qs}"), 422)
    assert field in [d["field"] for d in err["detail"]], err


@pytest.mark.parametrize("q", ["'; DROP TABLE jobs; --", "\" OR 1=1 --", "title:*", "NEAR(a b)", "a AND OR NOT",
                               "100%_", "\\", "日本語", "ÄÖÜ ß", "💥", "(((", "a" * 200])
def test_sql_and_fts_metacharacters_are_plain_text(client, q):
    resp = client.get("/api/jobs", query_string={"q": q})
    assert resp.status_code == 200, resp.get_data(as_text=True)
    assert resp.get_json()["total"] in ("0", "1", "2", "3")
    resp = client.get("/api/companies", query_string={"q": q})
    assert resp.status_code == 200


def test_companies_patch_422(client, store_backend):
    # An unknown company is 404 before its body is read; a known one validates the body.
    assert_error_shape(client.patch("/api/companies/999", json={"pinned": True}), 404)
