"""The ATS registry: modules found by existing, their declared shapes detected, `jobos ats`."""
from __future__ import annotations

import json
import subprocess
import sys
import types

import pytest

import jobos.ats as ats
from jobos.ats import REGISTRY, SHAPES, candidates, describe, detect_url, module_names
from jobos.ats.embedded import detect_html
from jobos.items import JobItem

CONTRACT = set(JobItem.fields)


def test_every_module_file_is_registered_and_helpers_are_not():
    names = module_names()
    assert set(REGISTRY) == set(names)
    assert {"greenhouse", "workday", "lever"} <= set(names)
    assert "base" not in REGISTRY and "embedded" not in REGISTRY
    assert all(REGISTRY[name].NAME == name for name in names)


@pytest.mark.parametrize("name", sorted(REGISTRY))
def test_each_declared_url_shape_is_detected_as_its_own_module(name):
    module = REGISTRY[name]
    for url in module.URL_SHAPES:
        board = detect_url(url)
        assert board is not None and board.ats == name, url
        assert module in candidates(url), url


@pytest.mark.parametrize("name", sorted(REGISTRY))
def test_declared_fields_are_contract_fields(name):
    fields = REGISTRY[name].FIELDS
    assert {"external_id", "title", "url"} <= set(fields)
    assert set(fields) <= CONTRACT, set(fields) - CONTRACT


def test_detection_asks_only_modules_whose_hosts_or_paths_match():
    assert candidates("https://www.example.com/careers") == []
    assert [m.NAME for m in candidates("https://acme.wd5.myworkdayjobs.com/External")] == ["workday"]
    assert detect_url("https://www.example.com/careers") is None
    assert detect_url("not a url at all ::::") is None


def test_embed_markers_come_from_the_modules():
    # A widget configuration naming its board without any URL (declared by lever.py).
    html = "<script>window.leverJobsOptions = {accountName: 'northwind', includeCss: true};</script>"
    assert [b.key for b in detect_html(html, "https://www.northwind.example/jobs")] == ["lever:northwind"]
    assert any("leverJobsOptions" in rx.pattern for rx, _ in ats.embed_markers())


def test_a_page_reached_by_redirect_on_a_board_is_that_board():
    # A short link landed on a board page whose markup names nothing else.
    boards = detect_html("<html><body>Loading…</body></html>", "https://jobs.lever.co/northwind")
    assert [b.key for b in boards] == ["lever:northwind"]
    assert detect_html("<html><body>Hi</body></html>", "https://www.example.com/") == []


def test_a_module_missing_a_declaration_is_refused():
    broken = types.ModuleType("jobos.ats.broken")
    broken.NAME = "broken"
    broken.detect = lambda url: None
    with pytest.raises(ats.RegistryError, match="does not define HOSTS"):
        ats._check("broken", broken)
    renamed = types.ModuleType("jobos.ats.renamed")
    for attr in ("HOSTS", "PATHS", "EMBED_MARKERS"):
        setattr(renamed, attr, ())
    renamed.URL_SHAPES, renamed.FIELDS = ("https://x.example/",), ("title",)
    renamed.NAME, renamed.detect, renamed.start = "other", None, None
    with pytest.raises(ats.RegistryError, match="must be its file name"):
        ats._check("renamed", renamed)


def test_shapes_are_compiled_for_every_module():
    assert set(SHAPES) == set(REGISTRY)
    assert SHAPES["workday"].matches("acme.wd1.myworkdayjobs.com", "/x")
    assert not SHAPES["workday"].matches("myworkdayjobs.com.evil.example", "/x")


def test_jobos_ats_prints_every_system_its_shapes_and_fields():
    out = subprocess.run([sys.executable, "-m", "jobos.cli", "ats"], capture_output=True, text=True,
                         timeout=120)
    assert out.returncode == 0, out.stderr
    for name, module in REGISTRY.items():
        assert f"\n{name}: " in "\n" + out.stdout
        for shape in module.URL_SHAPES:
            assert f"    {shape}\n" in out.stdout
    assert "fields: external_id, title, url" in out.stdout
    assert out.stdout.rstrip().endswith(f"{len(REGISTRY)} systems")
    as_json = subprocess.run([sys.executable, "-m", "jobos.cli", "ats", "--json"], capture_output=True,
                             text=True, timeout=120)
    systems = json.loads(as_json.stdout)
    assert [s["name"] for s in systems] == [s["name"] for s in describe()] == sorted(REGISTRY)
    assert {s["name"]: s["probes"] for s in systems}["workday"] is False
    assert {s["name"]: s["probes"] for s in systems}["greenhouse"] is True


@pytest.mark.parametrize("url", [
    # Common shapes of companies' own career sites and their APIs: no ATS may claim them, or the
    # generic reader would hand a company's site to a board reader that finds nothing.
    "https://www.example.com/api/jobs",
    "https://www.example.com/api/jobs?page=2&limit=100",
    "https://www.example.com/careers/job/12345",
    "https://www.example.com/jobs/search?q=engineer",
    "https://www.example.com/en/jobs/1234567890/engineer",
    "https://www.example.com/job/engineer/12345/",
    "https://www.example.com/feeds/",
    "https://www.example.com/search/?q=",
    "https://www.example.com/widgets",
    "https://www.example.com/careers?domain=example.com",
])
def test_generic_career_site_urls_are_claimed_by_no_ats(url):
    assert candidates(url) == [] and detect_url(url) is None
