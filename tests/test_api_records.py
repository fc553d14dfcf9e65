"""GET /api/jobs: the language, unknown-country and duplicates parameters, and the new fields,
through the Flask test client against a real store (SQLite and Postgres)."""
from __future__ import annotations

import pytest

from api.testing import sample_jobs
from tests.apptest import client, store  # noqa: F401 - fixtures
from tests.pg import pg_cluster, pg_url, store_backend  # noqa: F401
from tests.test_api_jobs import app, viewer  # noqa: F401 - fixtures


def _titles(client, headers, **query) -> list[str]:
    resp = client.get("/api/jobs", query_string=query, headers=headers)
    assert resp.status_code == 200, resp.get_json()
    return sorted(j["title"] for j in resp.get_json()["items"])


def test_lang_unknown_country_and_duplicates(client, viewer, store):  # noqa: F811
    jobs = sample_jobs(3)
    jobs[0].update(title="Entwickler", language="de", location_display="Berlin, Germany")
    jobs[1].update(title="Developer", language="en", country=None)
    jobs[2].update(title="Designer", language="en", country="FR")
    store.upsert_jobs(jobs)
    copy = dict(jobs[0], board="lever:acme", external_id="x1", url="https://jobs.lever.co/acme/x1")
    store.upsert_jobs([copy])
    assert store.link_duplicates(["lever:acme"]) == 1

    assert _titles(client, viewer, lang="de") == ["Entwickler"]
    assert _titles(client, viewer, country="DE") == ["Developer", "Entwickler"]
    assert _titles(client, viewer, country="DE", unknown_country="exclude") == ["Entwickler"]
    assert _titles(client, viewer, duplicates="show", lang="de") == ["Entwickler", "Entwickler"]
    item = client.get("/api/jobs", query_string={"lang": "de"}, headers=viewer).get_json()["items"][0]
    assert item["location_display"] == "Berlin, Germany" and item["duplicate_of"] is None


@pytest.mark.parametrize("query", [{"lang": "german"}, {"unknown_country": "maybe"}, {"duplicates": "1"}])
def test_bad_values_are_refused(client, viewer, query):  # noqa: F811
    resp = client.get("/api/jobs", query_string=query, headers=viewer)
    assert resp.status_code == 422
