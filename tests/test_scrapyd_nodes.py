"""scrapyd nodes: least-busy selection, failover and 503, against REAL scrapyd processes."""
from __future__ import annotations

import secrets

import pytest
import requests

from api import create_app
from api.nodes import ScrapydCluster
from api.scrapyd_local import LocalScrapyd, build_egg, deploy_egg
from api.testing import add_user, assert_error_shape, login
from tests.pg import free_port

pytestmark = pytest.mark.slow
# Several nodes share one pair of credentials, as a multi-node deployment sets them
# (JOBOS_SCRAPYD_USERNAME/PASSWORD on each node and on the API).
CREDS = ("jobos", secrets.token_urlsafe(24))
NODE_AUTH = {"SCRAPYD_USERNAME": CREDS[0], "SCRAPYD_PASSWORD": CREDS[1]}


@pytest.fixture(scope="module")
def egg(tmp_path_factory):
    return build_egg(out=tmp_path_factory.mktemp("egg") / "jobos.egg")


def _node(tmp_path_factory, name: str, egg, deploy: bool = True) -> LocalScrapyd:
    workdir = tmp_path_factory.mktemp(name)
    # A poll interval of an hour keeps scheduled jobs pending: load without running crawls.
    node = LocalScrapyd(workdir, port=free_port(), env={"JOBOS_DATA_DIR": str(workdir / "data"),
                                                         "JOBOS_SCRAPYD_USERNAME": CREDS[0],
                                                         "JOBOS_SCRAPYD_PASSWORD": CREDS[1]},
                        poll_interval="3600")
    node.start()
    if deploy:
        deploy_egg(node.url, egg, auth=CREDS)
    return node


@pytest.fixture(scope="module")
def nodes(tmp_path_factory, egg):
    a = _node(tmp_path_factory, "node-a", egg)
    b = _node(tmp_path_factory, "node-b", egg)
    yield a, b
    a.stop()
    b.stop()


def _pending(url: str) -> int:
    return requests.get(f"{url}/daemonstatus.json", auth=CREDS, timeout=5).json()["pending"]


def _load_until_busier(busy: str, other: str, tag: str) -> None:
    """Queue jobs on `busy` through scrapyd's own API until it has more pending than `other`.

    Each test sets up its own load, so none depends on what an earlier test left queued.
    """
    i = 0
    while _pending(busy) <= _pending(other) + 1:
        r = requests.post(f"{busy}/schedule.json", data={"project": "jobos", "spider": "careers",
                                                        "company": f"Load {tag} {i}", "jobid": f"load-{tag}-{i}"},
                          auth=CREDS, timeout=60)
        assert r.json()["status"] == "ok", r.text
        i += 1


def test_daemonstatus_and_ranking(nodes):
    a, b = nodes
    cluster = ScrapydCluster([a.url, b.url], auth=CREDS)
    _load_until_busier(a.url, b.url, "ranking")
    up, down = cluster.ranked()
    assert [s.url for s in up] == [b.url, a.url] and not down
    assert up[1].pending >= 2


def test_api_sends_to_least_busy_then_fails_over(nodes, tmp_path, monkeypatch, tmp_path_factory, egg):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    a, b = nodes
    dead = f"http://127.0.0.1:{free_port()}"
    app = create_app({"TESTING": True, "UI_ENABLED": False, "SECRET_KEY": "n" * 48, "RATELIMIT_ENABLED": False,
                      "DATA_DIR": str(tmp_path), **NODE_AUTH, "SCRAPYD_URLS": ",".join([dead, a.url, b.url])})
    store = app.extensions["jobos_store"]
    client = app.test_client()
    add_user(store, "u@example.org", "user")
    auth = {"Authorization": f"Bearer {login(client, 'u@example.org')}"}

    _load_until_busier(a.url, b.url, "failover")  # this test's own load: a is the busier node
    before_b = _pending(b.url)
    resp = client.post("/api/scrape/company", json={"company": "Globex", "country": "US"}, headers=auth)
    assert resp.status_code == 202, resp.get_json()
    run = store.get_crawl_run(resp.get_json()["crawl_id"])
    assert run["node"] == b.url and run["status"] == "pending"  # the dead node is skipped, a is busier
    assert _pending(b.url) == before_b + 1
    listed = requests.get(f"{b.url}/listjobs.json", params={"project": "jobos"}, auth=CREDS, timeout=5).json()
    job = next(j for j in listed["pending"] if j["id"] == run["scrapyd_job_id"])
    assert job["args"]["crawl_id"] == str(run["id"]) and job["args"]["country"] == "US"

    # The same company and country while it is pending: the same crawl.
    again = client.post("/api/scrape/company", json={"company": "globex", "country": "us"}, headers=auth)
    assert again.get_json()["crawl_id"] == run["id"] and again.get_json()["existing"] is True

    # Cancel goes to the node that has it.
    resp = client.delete(f"/api/scrape/{run['id']}", headers=auth)
    assert resp.get_json()["status"] == "cancelled"
    assert _pending(b.url) == before_b

    # A node that answers daemonstatus but lacks the project refuses schedule.json: fail over.
    bare = _node(tmp_path_factory, "node-bare", egg, deploy=False)
    try:
        app2 = create_app({"TESTING": True, "UI_ENABLED": False, "SECRET_KEY": "n" * 48, "RATELIMIT_ENABLED": False,
                           "DATA_DIR": str(tmp_path), **NODE_AUTH, "SCRAPYD_URLS": ",".join([bare.url, a.url])})
        c2 = app2.test_client()
        auth2 = {"Authorization": f"Bearer {login(c2, 'u@example.org')}"}
        resp = c2.post("/api/scrape/company", json={"company": "Initech"}, headers=auth2)
        assert resp.status_code == 202, resp.get_json()
        assert store.get_crawl_run(resp.get_json()["crawl_id"])["node"] == a.url
    finally:
        bare.kill()
    # Killed node: the next crawl fails over to the live one; health shows it down.
    app3 = create_app({"TESTING": True, "UI_ENABLED": False, "SECRET_KEY": "n" * 48, "RATELIMIT_ENABLED": False,
                       "DATA_DIR": str(tmp_path), **NODE_AUTH, "SCRAPYD_URLS": ",".join([bare.url, b.url])})
    c3 = app3.test_client()
    auth3 = {"Authorization": f"Bearer {login(c3, 'u@example.org')}"}
    resp = c3.post("/api/scrape/company", json={"company": "Umbrella"}, headers=auth3)
    assert store.get_crawl_run(resp.get_json()["crawl_id"])["node"] == b.url
    health = c3.get("/api/health").get_json()
    assert health["status"] == "degraded"
    assert [n["ok"] for n in health["scrapyd"]] == [False, True]


def test_all_nodes_down_is_503_and_run_failed(tmp_path, monkeypatch, tmp_path_factory, egg):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    node = _node(tmp_path_factory, "node-doomed", egg)
    app = create_app({"TESTING": True, "UI_ENABLED": False, "SECRET_KEY": "n" * 48, "RATELIMIT_ENABLED": False,
                      "DATA_DIR": str(tmp_path), **NODE_AUTH, "SCRAPYD_URLS": node.url})
    store = app.extensions["jobos_store"]
    client = app.test_client()
    add_user(store, "u@example.org", "user")
    auth = {"Authorization": f"Bearer {login(client, 'u@example.org')}"}
    node.kill()
    err = assert_error_shape(client.post("/api/scrape/company", json={"company": "Hooli"}, headers=auth), 503)
    run = store.get_crawl_run(err["detail"]["crawl_id"])
    assert run["status"] == "failed" and node.url in run["error_summary"]


def test_monitor_marks_a_dead_node_failed_and_retries_once(tmp_path, monkeypatch, tmp_path_factory, egg, nodes):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    a, _ = nodes
    doomed = _node(tmp_path_factory, "node-dies", egg)
    app = create_app({"TESTING": True, "UI_ENABLED": False, "SECRET_KEY": "n" * 48, "RATELIMIT_ENABLED": False,
                      "DATA_DIR": str(tmp_path), **NODE_AUTH, "SCRAPYD_URLS": ",".join([doomed.url, a.url]), "RETRY_DELAY": 0})
    store = app.extensions["jobos_store"]
    monitor = app.extensions["jobos_monitor"]
    service = app.extensions["jobos_crawls"]
    from jobos.args import CrawlArgs

    # Load a so the new crawl goes to the doomed node.
    requests.post(f"{a.url}/schedule.json", data={"project": "jobos", "spider": "careers", "company": "Busy"}, auth=CREDS, timeout=60)
    started = service.start(CrawlArgs(company="Wayne Enterprises"), requested_by="user:1")
    run = store.get_crawl_run(started.crawl_id)
    assert run["node"] == doomed.url
    store.update_crawl_run(run["id"], status="running")
    assert monitor.tick()["died"] == 0  # still pending on its node
    doomed.kill()
    results = [monitor.tick() for _ in range(3)]
    # Dead after three missed polls, then retried once (delay 0) on the node that answers.
    assert [r["died"] for r in results] == [0, 0, 1] and results[2]["retried"] == 1
    run = store.get_crawl_run(run["id"])
    assert run["status"] == "pending" and run["node"] == a.url and run["attempts"] == 2
    assert "stopped answering" in run["error_summary"]
    # A second failure is final.
    store.update_crawl_run(run["id"], status="failed", error_summary="crawl error", finished_at="2020-01-01T00:00:00Z")
    assert monitor.tick()["retried"] == 0
    assert store.get_crawl_run(run["id"])["status"] == "failed"
