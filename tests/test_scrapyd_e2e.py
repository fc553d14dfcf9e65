"""End to end: a real scrapyd with the deployed egg crawls a stand-in Greenhouse board, started
through POST /api/scrape/company (and straight through scrapyd's schedule.json); the jobs are
found through GET /api/jobs."""
from __future__ import annotations

import json
import time
from pathlib import Path

import pytest
import requests

from api import create_app
from api.scrapyd_local import LocalScrapyd, build_egg, deploy_egg
from api.testing import add_user, login
from tests.pg import free_port

pytestmark = pytest.mark.slow
BOARDS = Path(__file__).resolve().parent / "web" / "data" / "greenhouse"


def _board_ids(token: str) -> set[str]:
    return {str(j["id"]) for j in json.loads((BOARDS / f"{token}.json").read_text(encoding="utf-8"))["jobs"]}


@pytest.fixture()
def node(web, tmp_path):
    data_dir = tmp_path / "data"
    data_dir.mkdir()
    # The crawler in scrapyd and the API share one embedded store through JOBOS_DATA_DIR.
    env = {**web.env(), "JOBOS_DATA_DIR": str(data_dir), "DATABASE_URL": ""}
    scrapyd = LocalScrapyd(tmp_path / "scrapyd", port=free_port(), env=env)
    scrapyd.start()
    deploy_egg(scrapyd.url, build_egg(out=tmp_path / "jobos.egg"), auth=scrapyd.auth)
    yield scrapyd, data_dir
    scrapyd.stop()


def _wait_for(client, crawl_id: int, auth: dict, timeout: float = 240) -> dict:
    deadline = time.monotonic() + timeout
    seen = []
    while time.monotonic() < deadline:
        run = client.get(f"/api/scrape/{crawl_id}", headers=auth).get_json()
        seen.append(run["status"])
        if run["status"] in ("finished", "partial", "failed", "cancelled"):
            return run | {"_seen": seen}
        time.sleep(1)
    raise AssertionError(f"crawl {crawl_id} did not finish: {seen[-5:]}")


def test_api_triggers_a_crawl_on_scrapyd_and_serves_its_jobs(node, monkeypatch):
    scrapyd, data_dir = node
    monkeypatch.delenv("DATABASE_URL", raising=False)
    app = create_app({"TESTING": True, "UI_ENABLED": False, "SECRET_KEY": "e" * 48, "RATELIMIT_ENABLED": False,
                      "DATA_DIR": str(data_dir), "SCRAPYD_URLS": scrapyd.url})
    store = app.extensions["jobos_store"]
    client = app.test_client()
    add_user(store, "u@example.org", "user")
    auth = {"Authorization": f"Bearer {login(client, 'u@example.org')}"}

    resp = client.post("/api/scrape/company", headers=auth, json={
        "company": "Northwind Traders", "careers_url": "https://job-boards.greenhouse.io/northwind"})
    assert resp.status_code == 202, resp.get_json()
    crawl_id = resp.get_json()["crawl_id"]
    run = _wait_for(client, crawl_id, auth)
    assert run["status"] == "finished", (run, scrapyd.log_tail())
    assert run["node"] == scrapyd.url and run["scrapyd_job_id"]
    expected = _board_ids("northwind")
    assert run["found"] == len(expected) and run["new"] == len(expected)

    jobs = client.get("/api/jobs", query_string={"company": "Northwind Traders", "limit": 200}, headers=auth).get_json()
    assert {j["external_id"] for j in jobs["items"]} == expected
    assert jobs["total"] == str(len(expected))
    one = client.get(f"/api/jobs/{jobs['items'][0]['id']}", headers=auth).get_json()
    assert one["source"] == "greenhouse" and one["history"] == []
    store.close()


def test_schedule_json_directly_stores_jobs(node, monkeypatch):
    scrapyd, data_dir = node
    monkeypatch.delenv("DATABASE_URL", raising=False)
    answer = requests.post(f"{scrapyd.url}/schedule.json", timeout=60, auth=scrapyd.auth, data={
        "project": "jobos", "spider": "careers", "company": "Northwind Traders",
        "careers_url": "https://job-boards.greenhouse.io/northwind", "country": "DE"}).json()
    assert answer["status"] == "ok", answer
    deadline = time.monotonic() + 240
    while time.monotonic() < deadline:
        listed = requests.get(f"{scrapyd.url}/listjobs.json", params={"project": "jobos"}, auth=scrapyd.auth, timeout=5).json()
        if any(j["id"] == answer["jobid"] for j in listed["finished"]):
            break
        time.sleep(1)
    else:
        raise AssertionError("the scrapyd job did not finish")
    from jobos.store import open_store

    store = open_store(data_dir=str(data_dir))
    found = store.search_jobs(company="Northwind Traders", status="all", limit=200)
    assert found["items"], scrapyd.log_tail()
    assert {j["external_id"] for j in found["items"]} <= _board_ids("northwind")
    runs = store.list_crawl_runs()
    assert runs and runs[0]["status"] == "finished"
    assert runs[0]["scrapyd_job_id"] == answer["jobid"]  # a run scheduled without the API knows its job
    store.close()
