"""Jobs are closed only by their own company's complete crawl, on both backends.

The attack (issue: "hostile career page"): one user's crawl of a single job page on a host that
another company also uses closed all of that company's jobs there and renamed the company,
because website jobs were keyed by the host alone and a crawl overwrote the company's name.
"""
from __future__ import annotations

import pytest

from jobos.store import open_store, records
from tests.pg import pg_cluster, pg_url, store_backend  # noqa: F401 - fixtures
from tests.test_store import make_job

HOST = "sharedhost.example"


def web_job(i: int, company: str, path: str = "jobs", **over) -> dict:
    """A job of a company's own site as the page parsers produce it (board = the host)."""
    return make_job(
        i, board=f"website:{HOST}", company=company, company_domain=None, source="website",
        method="jsonld", url=f"https://careers.{HOST}/{path}/{i}", **over,
    )


@pytest.fixture()
def store(store_backend):
    s = open_store(**store_backend)
    yield s
    s.close()


def open_jobs_of(store, company: str) -> int:
    return store.search_jobs(company=company, limit=500)["total"]


def test_website_boards_of_two_companies_on_one_host_differ():
    victim = records.board_for(web_job(1, "Victim Corp"))
    evil = records.board_for(web_job(1, "Evil Inc"))
    assert victim != evil
    assert victim.startswith(f"website:{HOST}") and evil.startswith(f"website:{HOST}")
    # An ATS board is the board whatever company a crawl was given.
    assert records.board_for(make_job(1, company="Evil Inc")) == "greenhouse:acme"
    # Two spellings of one company are one board.
    assert records.board_for(web_job(1, "Victim Corp")) == records.board_for(web_job(1, "VICTIM Corporation"))


def test_a_crawl_of_one_job_page_on_a_shared_host_closes_nothing_of_another_company(store):
    store.upsert_jobs([web_job(i, "Victim Corp") for i in range(500)])
    evil = web_job(9999, "Evil Inc")
    store.upsert_jobs([evil])
    # What the store pipeline does at the end of the attacker's complete crawl.
    assert store.close_missing(records.board_for(evil), {"9999"}) == 0
    assert open_jobs_of(store, "Victim Corp") == "500"
    assert open_jobs_of(store, "Evil Inc") == "1"


def test_a_crawl_never_renames_a_company(store):
    cid = store.upsert_company("Victim Corp", "victim.example", "greenhouse:victim",
                               "https://boards.greenhouse.io/victim", "slug probe")
    jobs = [make_job(i, board="greenhouse:victim", company="Victim Corp") for i in range(3)]
    store.upsert_jobs(jobs)
    # Another user's crawl named "Evil Inc" reads the same (public) board.
    assert store.upsert_company("Evil Inc", None, "greenhouse:victim", None, None) == cid
    store.upsert_jobs([make_job(i, board="greenhouse:victim", company="Evil Inc") for i in range(3)])
    assert store.get_company(cid)["name"] == "Victim Corp"
    assert open_jobs_of(store, "Victim Corp") == "3"
    assert open_jobs_of(store, "Evil Inc") == "0"


def test_a_crawl_of_another_name_on_a_companys_domain_changes_nothing_of_it(store):
    victim_board = records.board_for(web_job(1, "Victim Corp"))
    cid = store.upsert_company("Victim Corp", HOST, victim_board, f"https://careers.{HOST}/jobs/",
                               "careers link")
    evil_board = records.board_for(web_job(1, "Evil Inc"))
    other = store.upsert_company("Evil Inc", HOST, evil_board, f"https://careers.{HOST}/jobs/1", "given")
    assert other != cid
    victim = store.get_company(cid)
    assert victim["name"] == "Victim Corp" and victim["careers_url"] == f"https://careers.{HOST}/jobs/"
    assert victim["board"] == victim_board


def test_scope_of_a_crawl_is_the_listing_it_read():
    from jobos.store.scope import CrawlScope

    seen = [f"https://careers.{HOST}/jobs/1", f"https://careers.{HOST}/jobs/2"]
    root = CrawlScope.of(f"https://careers.{HOST}/", seen)
    assert not root.closes_nothing
    assert root.covers(f"https://careers.{HOST}/jobs/7") and root.covers(f"https://www.{HOST}/x/8")
    # A careers page at the top of the site covers the board, like its root.
    assert CrawlScope.of(f"https://careers.{HOST}/careers", seen).covers(f"https://careers.{HOST}/jobs/7")
    # A sub-path: only jobs under that path on that host.
    sub = CrawlScope.of(f"https://careers.{HOST}/teams/acme/", [f"https://careers.{HOST}/teams/acme/1"])
    assert sub.covers(f"https://careers.{HOST}/teams/acme/9")
    assert not sub.covers(f"https://careers.{HOST}/teams/other/9")
    assert not sub.covers(f"https://careers.{HOST}/teams/acme-two/9")
    assert not sub.covers(f"https://www.{HOST}/teams/acme/9")
    # A crawl started on a job page (the page is one of the jobs it found) closes nothing.
    one = CrawlScope.of(f"https://careers.{HOST}/jobs/1#apply", [f"http://careers.{HOST}/jobs/1"])
    assert one.closes_nothing and not one.covers(f"https://careers.{HOST}/jobs/2")
    # No start page known: the whole board, as before.
    assert CrawlScope.of(None, seen).covers(f"https://other.{HOST}/a")


def test_close_missing_closes_only_jobs_in_the_crawls_scope(store):
    from jobos.store.scope import CrawlScope

    acme = [web_job(i, "Acme", path="teams/acme") for i in range(5)]
    other = [web_job(i, "Acme", path="teams/other") for i in range(5, 10)]
    store.upsert_jobs(acme + other)
    board = records.board_for(acme[0])
    scope = CrawlScope.of(f"https://careers.{HOST}/teams/acme/", [j["url"] for j in acme[:2]])
    assert store.close_missing(board, {"0", "1"}, scope=scope) == 3
    assert open_jobs_of(store, "Acme") == "7"
    one = CrawlScope.of(acme[0]["url"], [acme[0]["url"]])
    assert store.close_missing(board, {"0"}, scope=one) == 0
    assert open_jobs_of(store, "Acme") == "7"


def test_company_remembers_who_added_it(store):
    cid = store.upsert_company("Acme", "acme.example", "greenhouse:acme", added_by="user:7")
    assert store.get_company(cid)["created_by"] == "user:7"
    # A later crawl by someone else does not take it over.
    store.upsert_company("Acme", "acme.example", "greenhouse:acme", added_by="user:8")
    assert store.get_company(cid)["created_by"] == "user:7"
