"""One wording per validation rule, on every surface; a bad-argument crawl leaves no run behind.

The same bad input (missing company, bad country, bad careers URL, bad board) is said the same
way by `jobos crawl`, by `scrapy crawl careers -a ...`, by the API's 422 body and by the page's
forms: "<field>: <rule>" from the one table in jobos.args, never pydantic's raw text.
"""
from __future__ import annotations

import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from pydantic import BaseModel, Field, ValidationError

from api.testing import add_user
from jobos.args import BOARD_RULE, COUNTRY_RULE, REQUIRED_RULE, URL_RULE, rule_message
from jobos.report import EXIT_BAD_ARGUMENT
from jobos.store import open_store
from tests.crawl import run_crawl
from tests.apptest import bearer, close_app, make_app
from tests.test_crawl_monitor import ScriptedCluster

REPO = Path(__file__).resolve().parent.parent
RAW_PYDANTIC = re.compile(r"Field required|Input should|String should|Value error|should be|validation error")
NOT_A_WEB_ADDRESS = "'not-a-url' is not a web address: use a URL such as https://acme.com/careers"

# (case, `jobos crawl` arguments, API body, the one "field: rule" every surface says)
CASES = [
    ("missing company", [], {}, f"company: {REQUIRED_RULE}"),
    ("blank company", ["  "], {"company": "  "}, f"company: {REQUIRED_RULE}"),
    ("bad country", ["Acme", "Atlantis"], {"company": "Acme", "country": "Atlantis"}, f"country: {COUNTRY_RULE}"),
    ("bad careers URL", ["Acme", "--careers-url", "not-a-url"], {"company": "Acme", "careers_url": "not-a-url"},
     f"careers_url: {NOT_A_WEB_ADDRESS}"),
    ("careers URL of another scheme", ["Acme", "--careers-url", "javascript:alert(1)"],
     {"company": "Acme", "careers_url": "javascript:alert(1)"}, f"careers_url: {URL_RULE}"),
]


def _jobos(args: list[str], data_dir: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "HTTPS_PROXY", "HTTP_PROXY")}
    env.update(JOBOS_DATA_DIR=data_dir, OLLAMA_HOST="http://127.0.0.1:9")
    return subprocess.run([sys.executable, "-m", "jobos.cli", "crawl", *args], cwd=REPO, env=env,
                          capture_output=True, text=True, timeout=120)


@pytest.fixture()
def app(tmp_path):
    app = make_app(tmp_path, ui=True)
    app.extensions["jobos_crawls"].cluster = ScriptedCluster()
    yield app
    close_app(app)


@pytest.fixture()
def client(app):
    client = app.test_client()
    admin = bearer(client, app.extensions["jobos_store"], "admin@example.org", "admin")
    client.environ_base["HTTP_AUTHORIZATION"] = admin["Authorization"]
    return client


@pytest.mark.parametrize("case, cli_args, body, said", CASES, ids=[c[0] for c in CASES])
def test_cli_and_api_say_a_bad_argument_the_same_way_and_start_nothing(app, client, tmp_path, case, cli_args,
                                                                       body, said):
    data_dir = str(tmp_path / "cli")
    cli = _jobos(cli_args, data_dir)
    assert cli.returncode == EXIT_BAD_ARGUMENT, cli.stderr
    assert cli.stderr.strip() == f"jobos: invalid crawl argument: {said}", cli.stderr
    resp = client.post("/api/scrape/company", json=body)
    assert resp.status_code == 422
    error = resp.get_json()["error"]
    assert error["message"] == said, error
    assert f"{error['detail'][0]['field']}: {error['detail'][0]['reason']}" == said
    assert not RAW_PYDANTIC.search(cli.stderr + error["message"])
    # Nothing started: no run row on either side, nothing scheduled.
    assert app.extensions["jobos_store"].list_crawl_runs() == []
    assert app.extensions["jobos_crawls"].cluster.scheduled == []
    cli_store = open_store(data_dir=data_dir)
    try:
        assert cli_store.list_crawl_runs() == []
    finally:
        cli_store.close()


def test_scrapy_crawl_with_a_bad_argument_says_it_the_same_way_and_leaves_no_run(tmp_path):
    result = run_crawl(company="Acme", country="Atlantis", data_dir=tmp_path)
    assert result.returncode != 0
    assert f"invalid crawl argument: country: {COUNTRY_RULE}" in result.stderr + result.log
    store = open_store(data_dir=tmp_path)
    try:
        assert store.list_crawl_runs() == [], "a bad-argument crawl left an empty run"
    finally:
        store.close()


def test_the_page_forms_use_the_same_wording(app, client):
    client.environ_base.pop("HTTP_AUTHORIZATION")
    client.get("/login")
    csrf = client.get_cookie("jobos_csrf").value
    from tests.test_ui_pages import PASSWORD

    add_user(app.extensions["jobos_store"], "page@example.org", "user", PASSWORD)
    client.post("/login", data={"email": "page@example.org", "password": PASSWORD, "csrf_token": csrf})
    for path in ("/companies?q=acme&country=Atlantis", "/jobs?country=Atlantis"):
        page = client.get(path).get_data(as_text=True)
        assert f"Country: {COUNTRY_RULE}" in page, path
        assert not RAW_PYDANTIC.search(page), path
    page = client.get("/jobs?posted_since=yesterday").get_data(as_text=True)
    assert "must be a date such as 2024-05-31" in page and not RAW_PYDANTIC.search(page)


def test_a_bad_board_is_said_the_same_way_by_the_api_and_in_every_422(app, client):
    store = app.extensions["jobos_store"]
    cid = store.upsert_company("Acme", "acme.example", "greenhouse:acme")
    resp = client.patch(f"/api/companies/{cid}", json={"board": "Not A Board"})
    assert resp.get_json()["error"]["message"] == f"board: {BOARD_RULE}"
    resp = client.patch(f"/api/companies/{cid}", json={"careers_url": "not-a-url"})
    assert resp.get_json()["error"]["message"] == f"careers_url: {NOT_A_WEB_ADDRESS}"
    assert store.get_company(cid)["board"] == "greenhouse:acme"


class _Sample(BaseModel):
    name: str = Field(min_length=1, max_length=5)
    count: int = Field(default=1, ge=1, le=9)
    kind: str = Field(default="a", pattern="^[a-z]$")


@pytest.mark.parametrize("data, said", [
    ({}, "is required"), ({"name": ""}, "is required"), ({"name": 3}, "must be text"),
    ({"name": "abcdefg"}, "must be at most 5 characters"), ({"name": "a", "count": "x"}, "must be a whole number"),
    ({"name": "a", "count": 0}, "must be at least 1"), ({"name": "a", "count": 10}, "must be at most 9"),
    ({"name": "a", "kind": "ZZ"}, "is not valid"),
])
def test_every_pydantic_rule_has_a_sentence_of_ours(data, said):
    with pytest.raises(ValidationError) as info:
        _Sample(**data)
    message = rule_message(info.value.errors()[0])
    assert message == said and not RAW_PYDANTIC.search(message)
