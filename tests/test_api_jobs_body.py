"""GET /api/jobs writes its body straight from the store's page: the same JSON the JobsPage model
gives, on both backends, and the model's writer where the fast one cannot write a value."""
from __future__ import annotations

import json

import pytest

from api.blueprints.jobs import _page_json
from api.models import JobsPage
from api.testing import sample_jobs
from tests.apptest import backend_app, close_app
from tests.pg import pg_cluster, pg_url, store_backend  # noqa: F401


@pytest.fixture()
def app(store_backend):
    app = backend_app(store_backend, PUBLIC_READ=True)
    yield app
    close_app(app)


def test_search_body_is_what_the_model_gives(app):
    store = app.extensions["jobos_store"]
    store.upsert_jobs(sample_jobs(12))
    client = app.test_client()
    for query in ("limit=5", "limit=5&q=engineer", "limit=200&sort=title&order=asc"):
        resp = client.get(f"/api/jobs?{query}")
        assert resp.status_code == 200 and resp.mimetype == "application/json"
        got = resp.get_json()
        assert got["items"], query
        page = store.search_jobs(**{k: (int(v) if k == "limit" else v)
                                    for k, v in (p.split("=") for p in query.split("&"))})
        expected = JobsPage(items=page["items"], total=str(page["total"]),
                            next_cursor=page["next_cursor"]).model_dump(mode="json")
        assert got == expected
        # Every item carries the model's fields, timestamps as text.
        JobsPage.model_validate(got)
        assert all(isinstance(item["first_seen"], str) for item in got["items"])


def test_values_the_fast_writer_refuses_go_through_the_model():
    page = {"items": [{"id": 1, "title": "T", "url": "https://example.org/1",
                       "provenance": {"salary_min": {"value": 2**70}}}],
            "total": 1, "next_cursor": None}
    body = json.loads(_page_json(page))
    assert body["items"][0]["provenance"]["salary_min"]["value"] == 2**70
    assert body["total"] == "1" and body["next_cursor"] is None
