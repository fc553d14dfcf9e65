"""The whole flow in a real browser: sign in, search a company, start a crawl that a real scrapyd
runs against the stand-in web, watch it finish, filter its jobs, open one, and read its history
after a second crawl finds the job changed.

The stand-in Greenhouse board is fixed, so the change is made on our side of the comparison:
between the crawls one stored job is rewritten through the store's public upsert (as if the
site had shown another title before); the second real crawl then brings the board's version
back, which the store records as a change in job_history.
"""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from api import create_app, scrapyd_local
from api.testing import add_user
from tests.pg import free_port
from tests.ui.live import DESKTOP, LiveServer, Watch, chromium, require_browser, screenshot


pytestmark = pytest.mark.slow
BOARD = Path(__file__).resolve().parent / "web" / "data" / "greenhouse" / "northwind.json"
BOARD_URL = "https://job-boards.greenhouse.io/northwind"
PASSWORD = "correct horse battery"
CRAWL_TIMEOUT_MS = 240_000


@pytest.fixture()
def node(web, tmp_path):
    require_browser()
    data_dir = tmp_path / "data"
    data_dir.mkdir()
    # scrapyd's crawler and the API share one embedded store through JOBOS_DATA_DIR.
    env = {**web.env(), "JOBOS_DATA_DIR": str(data_dir), "DATABASE_URL": ""}
    scrapyd = scrapyd_local.LocalScrapyd(tmp_path / "scrapyd", port=free_port(), env=env)
    scrapyd.start()
    try:
        scrapyd_local.deploy_egg(scrapyd.url, scrapyd_local.build_egg(out=tmp_path / "jobos.egg"), auth=scrapyd.auth)
        yield scrapyd, data_dir
    finally:
        scrapyd.stop()


def _crawl_from_page(page, origin: str) -> int:
    """Click the company's "Find jobs", follow the crawl page until done; return the crawl id."""
    page.goto(f"{origin}/companies?q=northwind")
    page.locator(".find-company", has_text="Find jobs").first.click()
    page.wait_for_url(re.compile(r".*/crawls/\d+$"))
    crawl_id = int(page.url.rsplit("/", 1)[1])
    expect(page.locator("#crawl-done")).to_be_visible(timeout=CRAWL_TIMEOUT_MS)
    return crawl_id


def test_crawl_through_scrapyd_watch_it_and_browse_history(node, monkeypatch):
    scrapyd, data_dir = node
    monkeypatch.delenv("DATABASE_URL", raising=False)
    board = json.loads(BOARD.read_text(encoding="utf-8"))
    expected = {str(j["id"]): j["title"] for j in board["jobs"]}
    app = create_app({"SECRET_KEY": "w" * 48, "DATA_DIR": str(data_dir), "SCRAPYD_URLS": scrapyd.url,
                      "MONITOR_ENABLED": False, "RATELIMIT_DEFAULT": "5000 per minute",
                      "OLLAMA_HOST": f"http://127.0.0.1:{free_port()}"})
    store = app.extensions["jobos_store"]
    add_user(store, "crawler@example.org", "user", PASSWORD)
    # A company a person already pinned to its board: "Find jobs" crawls that board.
    store.upsert_company(board["name"], board="greenhouse:northwind", careers_url=BOARD_URL,
                         reason="pinned by a person")

    with LiveServer(app) as server, chromium() as browser:
        origin = server.origin
        context = browser.new_context(viewport=DESKTOP)
        watch = Watch(context)
        page = context.new_page()
        page.goto(f"{origin}/login")
        page.get_by_label("Email").fill("crawler@example.org")
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_url(f"{origin}/companies")

        first = _crawl_from_page(page, origin)
        assert page.locator("#crawl-status").inner_text() == "Finished", scrapyd.log_tail()
        assert page.locator("#count-found").inner_text() == str(len(expected))
        assert page.locator("#count-new").inner_text() == str(len(expected))
        screenshot(page, "e2e-crawl-finished", "desktop")

        page.locator("#crawl-jobs-link").click()
        expect(page.locator("#result-count")).to_contain_text(f"of {len(expected)} jobs")
        titles = set(page.locator("table.jobs tbody th a").all_inner_texts())
        assert titles == set(expected.values())

        # Between the crawls the stored copy of one job differs from the board.
        ext_id, real_title = sorted(expected.items())[0]
        stored = store.search_jobs(company=board["name"], status="all", limit=50)["items"]
        job = next(j for j in stored if j["external_id"] == ext_id)
        altered = {k: v for k, v in job.items() if k not in ("id", "status", "first_seen", "last_seen",
                                                              "closed_at", "company_id", "company_norm",
                                                              "last_crawl_id")}
        altered["title"] = real_title + " (old posting)"
        assert store.upsert_jobs([altered]).updated == 1

        second = _crawl_from_page(page, origin)
        assert second != first
        assert page.locator("#crawl-status").inner_text() == "Finished", scrapyd.log_tail()
        assert page.locator("#count-updated").inner_text() == "1"

        # Filter the jobs, open the changed one, read its history.
        page.goto(f"{origin}/jobs")
        word = real_title.split()[-1]
        page.get_by_label("Search titles and descriptions").fill(word)
        page.get_by_label("Company").fill(board["name"])
        page.get_by_role("button", name="Show jobs").click()
        page.get_by_role("link", name=real_title, exact=True).click()
        history = page.locator("#history")
        latest = history.locator("ol.history > li").first
        assert latest.locator("del", has_text="(old posting)").count() == 1
        assert f"crawl {second}" in latest.inner_text()
        screenshot(page, "e2e-job-history", "desktop")
        assert watch.dialogs == [] and watch.foreign(origin) == []
        context.close()
    store.close()
