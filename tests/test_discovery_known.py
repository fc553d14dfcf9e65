"""What earlier crawls learned: a known company skips discovery; a namesake never borrows it."""
from __future__ import annotations

import tempfile
from pathlib import Path

import pytest

from jobos.discovery.known import known_company
from jobos.store import open_store
from tests.crawl import run_crawl


@pytest.fixture()
def store():
    with open_store(data_dir=tempfile.mkdtemp(prefix="jobos-known-")) as s:
        yield s


def test_one_stored_company_of_the_name_is_known(store):
    store.upsert_company("Acme GmbH", "acme.de", "website:acme.de/acme", "https://acme.de/karriere", "search")
    store.upsert_company("Acme Rockets", "acmerockets.com", None, "https://acmerockets.com/jobs", "search")
    assert known_company(store, "ACME gmbh", "DE") == ("https://acme.de/karriere", "website:acme.de/acme", "acme.de")
    assert known_company(store, "Acme Rockets Inc.") == ("https://acmerockets.com/jobs", None, "acmerockets.com")
    assert known_company(store, "Acme Rocket") is None  # a prefix is not the name
    assert known_company(store, "") is None


def test_namesakes_or_no_careers_page_leave_it_to_discovery(store):
    store.upsert_company("Northwind Ltd", "northwind.co.uk", None, "https://northwind.co.uk/jobs", "guess")
    store.upsert_company("Northwind", "northwind.se", None, "https://northwind.se/jobb", "guess")
    assert known_company(store, "Northwind") is None  # two companies normalize alike
    store.upsert_company("Quiet Co", "quiet.example", None, None, None)
    assert known_company(store, "Quiet Co") is None
    pinned = store.upsert_company("Pinned Co", "pinned.example", None, "https://pinned.example/jobs", "search")
    assert known_company(store, "Pinned Co") is not None
    store.update_company(pinned, careers_url="https://pinned.example/elsewhere")
    assert known_company(store, "Pinned Co") is None  # a person's choice is not borrowed by name


@pytest.mark.slow
def test_a_second_crawl_of_a_found_company_sends_no_discovery_request(web):
    data_dir = Path(tempfile.mkdtemp(prefix="jobos-known-crawl-"))
    first = run_crawl(web, company="Benchco 3 Systems", country="US", data_dir=data_dir)
    assert first.returncode == 0, first.stderr[-2000:]
    assert first.stats["jobos/discovery/chosen_by"] == "search"
    mark = len(web.requests_seen())
    again = run_crawl(web, company="Benchco 3 Systems", country="US", data_dir=data_dir)
    assert again.returncode == 0, again.stderr[-2000:]
    assert again.stats["jobos/discovery/chosen_by"] == "known"
    assert again.stats["jobos/discovery/known"] == 1
    # Its listing did not change either: every job is touched, no job page is read again.
    assert again.items == []
    # (the listing page answered as before: its jobs are touched without reading it again)
    assert again.stats["jobos/conditional/pages_same_hash"] == 1
    assert again.stats["jobos/conditional/pages_touched"] == len(first.items) > 0
    urls = [e["url"] for e in web.requests_seen()[mark:]]
    assert sorted(urls) == ["https://www.benchco3systems.com/careers",
                            "https://www.benchco3systems.com/robots.txt"]  # no search, no probe
