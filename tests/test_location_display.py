"""One place format everywhere: jobs list, job page, API and alerts show location_display.

Stand-in jobs whose boards publish places in mixed formats ("Rostock, MV, DE", "Madrid",
"Amsterdam, North Holland, Netherlands", "Remote - US") go through the real normalizer; one
of them is stored as a record from before location_display existed (built from its parts).
"""
from __future__ import annotations

import re
from datetime import datetime, timezone

import pytest

from api.testing import add_user, sample_jobs
from jobos.alerts.feed import event_line
from jobos.normalize.record import normalize_item
from tests.apptest import PASSWORD, close_app, make_app, signed_in
from tests.test_ui_pages import sign_in

# published text -> the one display format
MIXED = {
    "Rostock, MV, DE": "Rostock, Mecklenburg-Vorpommern, Germany",
    "Madrid": "Madrid, Comunidad de Madrid, Spain",
    "Amsterdam, North Holland, Netherlands": "Amsterdam, Noord-Holland, Netherlands",
    "Remote - US": "Remote (United States)",
}


@pytest.fixture()
def app(tmp_path):
    app = make_app(tmp_path, ui=True)
    yield app
    close_app(app)


@pytest.fixture()
def seeded(app):
    store = app.extensions["jobos_store"]
    jobs = sample_jobs(len(MIXED) + 1, company="Mixed Places AG", board="greenhouse:mixed")
    when = datetime(2026, 9, 1, tzinfo=timezone.utc)
    for job, published in zip(jobs, list(MIXED) + ["Berlin"]):
        for key in ("city", "country", "workplace"):
            job.pop(key)
        job["location"] = published
        normalize_item(job, when)
    old = jobs[-1]  # stored before location_display existed: only its normalized parts
    old["location_display"] = None
    store.upsert_jobs(jobs)
    return {j["location"]: j for j in store.search_jobs(status="all", limit=50)["items"]}


def test_the_normalizer_gives_the_display_these_tests_expect(seeded):
    for published, shown in MIXED.items():
        assert seeded[published]["location_display"] == shown, seeded[published]
    assert seeded["Berlin"]["location_display"] is None and seeded["Berlin"]["city"] == "Berlin"


def test_jobs_list_and_job_page_show_one_format(app, seeded):
    client = app.test_client()
    sign_in(client, app.extensions["jobos_store"], role="user")
    page = client.get("/jobs?company=Mixed%20Places%20AG").get_data(as_text=True)
    cells = re.findall(r'<td data-label="Location">([^<]*)</td>', page)
    assert sorted(cells) == sorted([*MIXED.values(), "Berlin, Germany"]), cells
    for published, shown in MIXED.items():
        job = client.get(f"/jobs/{seeded[published]['id']}").get_data(as_text=True)
        assert f"· {shown}" in job  # the line under the title
        assert re.search(rf"<dt>Location</dt><dd[^>]*>{re.escape(shown)}</dd>", job), published
        if published != shown:  # what the board wrote is still there, labelled as such
            assert re.search(rf"<dt>Location as published</dt><dd[^>]*>{re.escape(published)}</dd>", job)
    old = client.get(f"/jobs/{seeded['Berlin']['id']}").get_data(as_text=True)
    assert "· Berlin, Germany" in old


def test_the_api_gives_the_same_display(app, seeded):
    add_user(app.extensions["jobos_store"], "api@example.org", "viewer", PASSWORD)
    client = app.test_client()
    headers = signed_in(client, "api@example.org", PASSWORD)
    items = client.get("/api/jobs?company=Mixed%20Places%20AG&status=all", headers=headers).get_json()["items"]
    shown = {i["location"]: i["location_display"] for i in items}
    assert shown == {**MIXED, "Berlin": "Berlin, Germany"}
    one = client.get(f"/api/jobs/{seeded['Berlin']['id']}", headers=headers).get_json()
    assert one["location_display"] == "Berlin, Germany"


def test_alerts_say_the_place_in_the_same_format():
    event = {"change": "new", "payload": {"title": "Engineer", "company": "Mixed Places AG",
                                          "location": "Rostock, MV, DE",
                                          "location_display": MIXED["Rostock, MV, DE"]}}
    assert event_line(event) == "New: Engineer at Mixed Places AG (Rostock, Mecklenburg-Vorpommern, Germany)"
