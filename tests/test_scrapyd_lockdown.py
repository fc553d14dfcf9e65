"""scrapyd that only JobOS can drive: the local node wants credentials, and a crawl scheduled
through it cannot change the node's security settings with `setting=` arguments."""
from __future__ import annotations

import json
import stat
import time

import pytest
import requests

from api.scrapyd_local import LocalScrapyd, build_egg, deploy_egg
from tests.canary import Canary
from tests.pg import free_port

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def egg(tmp_path_factory):
    return build_egg(out=tmp_path_factory.mktemp("egg") / "jobos.egg")


def _auth(node):
    return getattr(node, "auth", None)


def test_local_scrapyd_answers_401_without_its_credentials(tmp_path, egg):
    data_dir = tmp_path / "data"
    with LocalScrapyd(tmp_path / "scrapyd", port=free_port(), env={"JOBOS_DATA_DIR": str(data_dir)}) as node:
        for method, endpoint, kw in [
            ("GET", "daemonstatus.json", {}),
            ("GET", "listjobs.json", {"params": {"project": "jobos"}}),
            ("POST", "schedule.json", {"data": {"project": "jobos", "spider": "careers", "company": "x"}}),
            ("POST", "addversion.json", {"data": {"project": "jobos", "version": "1"},
                                         "files": {"egg": ("x.egg", egg.read_bytes())}}),
        ]:
            resp = requests.request(method, f"{node.url}/{endpoint}", timeout=30, **kw)
            assert resp.status_code == 401, (endpoint, resp.status_code, resp.text[:200])
            wrong = requests.request(method, f"{node.url}/{endpoint}", timeout=30,
                                     auth=("jobos", "not-the-password"), **kw)
            assert wrong.status_code == 401, endpoint
        ok = requests.get(f"{node.url}/daemonstatus.json", auth=node.auth, timeout=10)
        assert ok.status_code == 200 and ok.json()["status"] == "ok"
        # Generated once per install, kept under the data dir, readable by the owner only.
        from api.nodes import CREDENTIALS_FILE, node_credentials

        path = data_dir / CREDENTIALS_FILE
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
        assert node_credentials(data_dir) == node.auth
        assert len(node.auth[1]) >= 32
        assert stat.S_IMODE((node.workdir / "scrapyd.conf").stat().st_mode) == 0o600
    # The same install, started again, keeps its credentials (the API's copy stays valid).
    with LocalScrapyd(tmp_path / "scrapyd", port=free_port(), env={"JOBOS_DATA_DIR": str(data_dir)}) as again:
        assert again.auth == node_credentials(data_dir)
        assert requests.get(f"{again.url}/daemonstatus.json", auth=again.auth, timeout=10).ok


PROTECTED = {
    "JOBOS_ALLOW_PRIVATE": "1",
    "DOWNLOADER_MIDDLEWARES": json.dumps({"jobos.middlewares.SafeUrlMiddleware": None}),
    "ROBOTSTXT_OBEY": "False",
    "JOBOS_REQUEST_BUDGET": "0",
    "DOWNLOAD_HANDLERS": json.dumps({"http": "scrapy.core.downloader.handlers.http11.HTTP11DownloadHandler"}),
}


def test_setting_arguments_through_scrapyd_cannot_turn_the_guard_off(web, tmp_path, egg):
    data_dir = tmp_path / "data"
    env = {**web.env(), "JOBOS_DATA_DIR": str(data_dir), "DATABASE_URL": ""}
    with Canary() as canary, LocalScrapyd(tmp_path / "scrapyd", port=free_port(), env=env) as node:
        auth = _auth(node)
        deploy_egg(node.url, egg, **({"auth": auth} if auth else {}))
        data = [("project", "jobos"), ("spider", "careers"), ("company", "Canary GmbH"),
                ("careers_url", f"{canary.url}/karriere/"), ("jobid", "lockdown-1")]
        # Files a caller must not write through the node: a feed anywhere, stats over a file.
        stolen, victim = tmp_path / "stolen.jl", tmp_path / "victim.json"
        victim.write_text("keep me")
        files = {"FEEDS": json.dumps({stolen.as_uri(): {"format": "jsonlines"}}), "JOBOS_STATS_FILE": str(victim)}
        data += [("setting", f"{k}={v}") for k, v in {**PROTECTED, **files}.items()]
        answer = requests.post(f"{node.url}/schedule.json", data=data, auth=auth, timeout=60).json()
        assert answer["status"] == "ok", answer
        deadline = time.monotonic() + 180
        while time.monotonic() < deadline:
            listed = requests.get(f"{node.url}/listjobs.json", params={"project": "jobos"},
                                  auth=auth, timeout=10).json()
            if any(j["id"] == "lockdown-1" for j in listed["finished"]):
                break
            time.sleep(1)
        else:
            raise AssertionError(f"the scrapyd job did not finish: {node.log_tail()}")
        log = (node.workdir / "logs" / "jobos" / "careers" / "lockdown-1.log").read_text(errors="replace")
        assert canary.hits == [], canary.hits
        assert "refused http://127.0.0.1" in log, log[-3000:]
        for name in [*PROTECTED, *files]:
            assert f"ignored the setting {name}" in log, (name, log[-3000:])
        assert not stolen.exists() and victim.read_text() == "keep me"
