"""Security settings come from the node's environment only, never from the crawl's caller
(`-s NAME=value`, scrapyd's `setting=`); and the API finds each scrapyd node's credentials."""
from __future__ import annotations

import json
import os
import stat

import pytest
from scrapy.settings import Settings

from jobos import lockdown
from tests.canary import Canary
from tests.crawl import run_crawl


def _cmdline(**values) -> Settings:
    settings = Settings()
    settings.setmodule("jobos.settings", priority="project")
    for name, value in values.items():
        settings.set(name, value, priority="cmdline")
    return settings


def test_protected_settings_given_on_the_command_line_are_put_back():
    settings = _cmdline(
        JOBOS_ALLOW_PRIVATE="1", ROBOTSTXT_OBEY="False", JOBOS_REQUEST_BUDGET="0",
        DOWNLOADER_MIDDLEWARES=json.dumps({"jobos.middlewares.SafeUrlMiddleware": None}),
        DOWNLOAD_HANDLERS=json.dumps({"https": "scrapy.core.downloader.handlers.http11.HTTP11DownloadHandler"}),
        PLAYWRIGHT_LAUNCH_OPTIONS=json.dumps({"executable_path": "/bin/sh"}), JOBOS_RESOLVER="os.system",
        DOWNLOAD_TIMEOUT="3", JOBOS_RETRY_BACKOFF_BASE="0.1", RETRY_TIMES="1",
    )
    ignored = lockdown.enforce(settings, scrapyd=False)
    assert set(ignored) == {"JOBOS_ALLOW_PRIVATE", "ROBOTSTXT_OBEY", "JOBOS_REQUEST_BUDGET", "DOWNLOADER_MIDDLEWARES",
                            "DOWNLOAD_HANDLERS", "PLAYWRIGHT_LAUNCH_OPTIONS", "JOBOS_RESOLVER"}
    assert settings.getbool("JOBOS_ALLOW_PRIVATE") is False
    assert settings.getbool("ROBOTSTXT_OBEY") is True
    assert settings.getint("JOBOS_REQUEST_BUDGET") == 2000
    assert settings.getwithbase("DOWNLOADER_MIDDLEWARES")["jobos.middlewares.SafeUrlMiddleware"] == 50
    assert settings.getdict("DOWNLOAD_HANDLERS")["https"] == "jobos.browser.LazyPlaywrightDownloadHandler"
    assert "executable_path" not in settings.getdict("PLAYWRIGHT_LAUNCH_OPTIONS") or \
        settings.getdict("PLAYWRIGHT_LAUNCH_OPTIONS")["executable_path"] != "/bin/sh"
    assert settings.get("JOBOS_RESOLVER") is None
    # Timing knobs stay the caller's.
    assert settings.getfloat("DOWNLOAD_TIMEOUT") == 3 and settings.getfloat("JOBOS_RETRY_BACKOFF_BASE") == 0.1


def test_feeds_and_stats_files_under_scrapyd(tmp_path):
    existing = tmp_path / "victim.json"
    existing.write_text("{}")
    settings = _cmdline(FEEDS=json.dumps({"file:///tmp/x.jl": {"format": "jsonlines"}}),
                        JOBOS_STATS_FILE=str(existing))
    assert set(lockdown.enforce(settings, scrapyd=True)) == {"FEEDS", "JOBOS_STATS_FILE"}
    assert not settings.getdict("FEEDS") and settings.get("JOBOS_STATS_FILE") is None
    fresh = _cmdline(JOBOS_STATS_FILE=str(tmp_path / "job-1.json"))
    assert lockdown.enforce(fresh, scrapyd=True) == []  # a new .json file (per-job stats) is fine
    # From a shell, -O (FEEDS) is the user's own output.
    assert lockdown.enforce(_cmdline(FEEDS=json.dumps({"out.jl": {"format": "jsonlines"}})), scrapyd=False) == []


def test_command_line_cannot_turn_the_guard_off_in_a_real_crawl(web):
    with Canary() as canary:
        result = run_crawl(web, company="Canary GmbH", careers_url=f"{canary.url}/karriere/",
                           settings={"JOBOS_ALLOW_PRIVATE": "1", "ROBOTSTXT_OBEY": "False",
                                     "DOWNLOADER_MIDDLEWARES": json.dumps({"jobos.middlewares.SafeUrlMiddleware": None})})
        assert result.returncode == 0, result.stderr[-2000:]
        assert canary.hits == []
    assert result.stats.get("jobos/refused/loopback", 0) >= 1
    for name in ("JOBOS_ALLOW_PRIVATE", "ROBOTSTXT_OBEY", "DOWNLOADER_MIDDLEWARES"):
        assert f"ignored the setting {name}" in result.log


def test_the_environment_still_allows_private_targets_for_development(web):
    with Canary() as canary:
        result = run_crawl(web, company="Canary GmbH", careers_url=f"{canary.url}/karriere/",
                           env={"JOBOS_ALLOW_PRIVATE": "1"}, settings={"ROBOTSTXT_OBEY": "False"})
        assert result.returncode == 0, result.stderr[-2000:]
        assert any(h.startswith("GET /karriere/") for h in canary.hits), canary.hits


def test_node_credentials_are_generated_once_and_private(tmp_path, monkeypatch):
    from api.nodes import CREDENTIALS_FILE, node_credentials

    monkeypatch.delenv("JOBOS_SCRAPYD_USERNAME", raising=False)
    monkeypatch.delenv("JOBOS_SCRAPYD_PASSWORD", raising=False)
    first = node_credentials(tmp_path)
    assert first == node_credentials(tmp_path) and len(first[1]) >= 32
    assert stat.S_IMODE((tmp_path / CREDENTIALS_FILE).stat().st_mode) == 0o600
    assert node_credentials(tmp_path / "other") != first  # per install
    monkeypatch.setenv("JOBOS_SCRAPYD_USERNAME", "ops")
    monkeypatch.setenv("JOBOS_SCRAPYD_PASSWORD", "s3cret-s3cret")
    assert node_credentials(tmp_path) == ("ops", "s3cret-s3cret")
    monkeypatch.delenv("JOBOS_SCRAPYD_PASSWORD")
    with pytest.raises(ValueError, match="JOBOS_SCRAPYD_PASSWORD"):
        node_credentials(tmp_path)


def test_cluster_takes_credentials_from_node_urls_and_never_keeps_them_in_the_url():
    from api.nodes import ScrapydCluster

    seen = []

    class Session:
        def request(self, method, url, timeout=None, auth=None, **kw):
            seen.append((url, auth))
            raise __import__("requests").ConnectionError("down")

    cluster = ScrapydCluster(["http://ops:p%40ss@10.0.0.5:6800/", "http://10.0.0.6:6800"],
                             auth=("jobos", "default"), session=Session())
    assert cluster.urls == ["http://10.0.0.5:6800", "http://10.0.0.6:6800"]
    cluster.statuses()
    assert sorted(seen) == [("http://10.0.0.5:6800/daemonstatus.json", ("ops", "p@ss")),
                            ("http://10.0.0.6:6800/daemonstatus.json", ("jobos", "default"))]
    assert os.environ.get("JOBOS_SCRAPYD_PASSWORD") != "p@ss"


def test_the_put_off_retry_settings_are_tunable_per_crawl_within_bounds():
    settings = _cmdline(JOBOS_RETRY_TIMEOUTS_LATER="0", JOBOS_RETRY_LAST_CHANCE="3")
    assert lockdown.enforce(settings, scrapyd=True) == []
    assert settings.getbool("JOBOS_RETRY_TIMEOUTS_LATER") is False
    assert settings.getint("JOBOS_RETRY_LAST_CHANCE") == 3


def test_the_put_off_retry_settings_out_of_range_are_refused_with_a_sentence(caplog):
    settings = _cmdline(JOBOS_RETRY_TIMEOUTS_LATER="sometimes", JOBOS_RETRY_LAST_CHANCE="50")
    with caplog.at_level("WARNING", logger="jobos.lockdown"):
        ignored = lockdown.enforce(settings, scrapyd=True)
    assert set(ignored) == {"JOBOS_RETRY_TIMEOUTS_LATER", "JOBOS_RETRY_LAST_CHANCE"}
    # The node's values are back, above the command line's priority.
    assert settings.getbool("JOBOS_RETRY_TIMEOUTS_LATER") is True
    assert settings.getint("JOBOS_RETRY_LAST_CHANCE") == 1
    assert "JOBOS_RETRY_LAST_CHANCE='50' given with the crawl: it must be a whole number from 0 to 3" in caplog.text
    assert "JOBOS_RETRY_TIMEOUTS_LATER='sometimes' given with the crawl: it must be 1 or 0" in caplog.text
    for bad in ("-1", "2.5", "many"):
        assert lockdown.enforce(_cmdline(JOBOS_RETRY_LAST_CHANCE=bad), scrapyd=False) == ["JOBOS_RETRY_LAST_CHANCE"]


def test_the_retry_timing_knobs_are_bounded_too():
    fine = _cmdline(JOBOS_RETRY_BACKOFF_BASE="0", JOBOS_RETRY_AFTER_MAX="3600")
    assert lockdown.enforce(fine, scrapyd=True) == []
    for name, bad in (("JOBOS_RETRY_BACKOFF_BASE", "1e6"), ("JOBOS_RETRY_BACKOFF_BASE", "nan"),
                      ("JOBOS_RETRY_AFTER_MAX", "-1"), ("JOBOS_RETRY_AFTER_MAX", "inf")):
        settings = _cmdline(**{name: bad})
        assert lockdown.enforce(settings, scrapyd=True) == [name], (name, bad)
        assert settings.getfloat(name) == {"JOBOS_RETRY_BACKOFF_BASE": 1.0, "JOBOS_RETRY_AFTER_MAX": 60}[name]


def test_a_crawl_given_fewer_last_chances_with_s_gets_fewer(web):
    # Greenhouse's board API always answers 500: tried, retried once at once (RETRY_TIMES=1),
    # and then as many last chances as the crawl was given (the node's default is 1).
    web.set_state(faults=[{"url": "boards-api.greenhouse.io/v1/boards/northwind", "kind": "always-500"}])
    result = run_crawl(web, company="Northwind Traders",
                       careers_url="https://job-boards.greenhouse.io/northwind",
                       settings={"RETRY_TIMES": "1", "JOBOS_RETRY_BACKOFF_BASE": "0.1",
                                 "DOWNLOAD_TIMEOUT": "3", "AUTOTHROTTLE_ENABLED": "False",
                                 "JOBOS_RETRY_LAST_CHANCE": "0"})
    assert result.returncode == 0, result.stderr[-2000:]
    assert "ignored the setting JOBOS_RETRY_LAST_CHANCE" not in result.log
    assert web.control("GET", "/state")["fault_hits"] == {"500": 2}
    assert not result.stats.get("jobos/retry/last_chance")
