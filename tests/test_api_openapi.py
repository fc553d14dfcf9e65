"""The OpenAPI document is built from the pydantic models, and the API is fuzzed from it
(schemathesis): no 5xx except a documented 503, every error in the one shape."""
from __future__ import annotations

import re

import pytest

from api.testing import add_user, login, sample_jobs
from tests.apptest import close_app, make_app

import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)


def _app(tmp_path):
    app = make_app(tmp_path, HEALTH_TIMEOUT=0.2)
    store = app.extensions["jobos_store"]
    store.upsert_jobs(sample_jobs(4))
    store.upsert_company("Acme Robotics", domain="acme.example", board="greenhouse:acme")
    add_user(store, "admin@example.org", "admin")
    return app


def test_document_comes_from_the_models(tmp_path, monkeypatch):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    app = _app(tmp_path)
    doc = app.test_client().get("/api/openapi.json").get_json()
    assert doc["openapi"].startswith("3.1")
    schemas = doc["components"]["schemas"]
    body = schemas["ScrapeCompanyRequest"]
    assert body["properties"]["company"]["maxLength"] == 200 and "crawl_id" not in body["properties"]
    assert body["additionalProperties"] is False
    op = doc["paths"]["/api/scrape/company"]["post"]
    assert op["requestBody"]["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/ScrapeCompanyRequest"}
    assert {"202", "401", "403", "422", "429", "503"} <= set(op["responses"])
    assert op["responses"]["422"]["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/ErrorResponse"}
    params = {p["name"]: p for p in doc["paths"]["/api/jobs"]["get"]["parameters"]}
    assert {"q", "company", "country", "workplace", "employment_type", "posted_since", "status", "sort",
            "cursor", "limit", "format"} <= set(params)
    assert params["limit"]["schema"]["maximum"] == 200
    assert doc["paths"]["/api/jobs/{job_id}"]["get"]["parameters"][0]["in"] == "path"
    # Every route of the API blueprints is documented.
    # Compared as sets of (path, method): a missing route and an extra one cannot cancel out.
    documented = {(path, method.upper()) for path, ops in doc["paths"].items() for method in ops}
    routes = {
        (re.sub(r"<(?:[^:<>]+:)?([^<>]+)>", r"{\1}", rule.rule), method)
        for rule in app.url_map.iter_rules() if rule.endpoint != "static"
        for method in rule.methods - {"HEAD", "OPTIONS"}
    }
    assert documented == routes
    close_app(app)


def one_error_shape(ctx, response, case):
    """Every 4xx/5xx answer is {"error": {"code", "message", "detail"}}."""
    if response.status_code >= 400:
        body = response.json()
        assert set(body) == {"error"} and set(body["error"]) == {"code", "message", "detail"}, body
    return None


def no_unexpected_5xx(ctx, response, case):
    """5xx only as the documented 503 for scrapyd being down."""
    if response.status_code >= 500:
        assert response.status_code == 503 and response.json()["error"]["code"] in ("scrapyd_unavailable", "unavailable"), response.text
    return None


def _operations():
    import os
    import tempfile

    os.environ.pop("DATABASE_URL", None)
    app = _app(__import__("pathlib").Path(tempfile.mkdtemp(prefix="jobos-fuzz-")))
    schema = schemathesis.openapi.from_wsgi("/api/openapi.json", app)
    return app, [r.ok() for r in schema.get_all_operations()]


_APP, _OPERATIONS = _operations()


@pytest.mark.parametrize("operation", _OPERATIONS, ids=lambda op: op.label)
def test_fuzz(operation):
    from hypothesis import given

    client = _APP.test_client()
    token = login(client, "admin@example.org")

    # schemathesis' pytest plugin does not run under pytest 9; drive its strategies directly.
    @given(case=operation.as_strategy())
    @settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck), database=None)
    def run(case):
        case.call_and_validate(
            headers={"Authorization": f"Bearer {token}"},
            checks=[one_error_shape, no_unexpected_5xx, status_code_conformance, content_type_conformance,
                    response_schema_conformance],
        )

    run()
