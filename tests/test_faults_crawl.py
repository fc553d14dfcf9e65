"""Faults through the stand-in web, with the real spider and the embedded store.

www.flaky-standin-co.com (tests/web/handlers/faults.py) fails on purpose: 429 with
Retry-After, 500s, dropped connections, 30-second stalls, redirect loops, a 50 MB page, invalid
UTF-8, a truncated JSON endpoint. Each crawl must finish, keep exactly the jobs it could read,
and be marked partial (stats and the crawl run row) when something it needed could not be read,
so the store closes nothing on its account.

Crawls run with small settings (3 s DOWNLOAD_TIMEOUT, one retry, 0.1 s backoff) so the stalls
cost seconds, not minutes. Several faults share one crawl to keep the file fast.
"""
from __future__ import annotations

import pytest

from jobos.store import open_store
from tests.crawl import CrawlResult, run_crawl

SITE = "https://www.flaky-standin-co.com"
FAST = {
    "DOWNLOAD_TIMEOUT": "3",
    "RETRY_TIMES": "1",
    "JOBOS_RETRY_BACKOFF_BASE": "0.1",
    "AUTOTHROTTLE_ENABLED": "False",
    "JOBOS_PROGRESS_INTERVAL": "0",
}


def title(slug: str) -> str:
    return f"Fault case {slug} engineer"


def crawl(web, path: str) -> CrawlResult:
    result = run_crawl(web, company="Flaky Standin Co", careers_url=f"{SITE}{path}", settings=FAST,
                       timeout=120)
    assert result.returncode == 0, result.stderr[-3000:]
    assert "Traceback" not in result.stderr, result.stderr[-3000:]
    return result


def run_row(result: CrawlResult) -> dict:
    """Return the crawl run row of a finished crawl from its embedded store."""
    store = open_store(data_dir=result.workdir / "data")
    try:
        return store.get_crawl_run(int(result.stats["jobos/crawl_id"]))
    finally:
        store.close()


def stored_titles(result: CrawlResult) -> set[str]:
    store = open_store(data_dir=result.workdir / "data")
    try:
        page = store.search_jobs(status="all", limit=500)
        return {job["title"] for job in page["items"]}
    finally:
        store.close()


def seen(web, fragment: str) -> list[str]:
    return [e["url"] for e in web.requests_seen() if fragment in e["url"]]


@pytest.fixture(scope="module")
def permanent(standin):
    """One crawl whose detail pages and listing pages fail for good, one fault each."""
    standin.reset()
    detail = "always-500+always-reset+always-stall+huge+always-retry-after-long+redirect-chain"
    listing = "always-500+always-stall+huge+redirect-chain"
    result = crawl(standin, f"/careers/{detail}/{listing}/")
    return result, standin.requests_seen()


def test_transient_faults_lose_nothing_and_leave_the_crawl_complete(web):
    detail = "retry-after-once+500-once+reset-once+stall-once+bad-utf8"
    listing = "500-once+reset-once+retry-after-once"
    result = crawl(web, f"/careers/{detail}/{listing}/")
    expected = {title(s) for s in ["ok-1", "ok-2", *detail.split("+")]}
    expected |= {title(f"ok-from-{f}") for f in listing.split("+")}
    assert result.titles() == expected
    assert len(result.items) == len(expected)  # each once
    assert stored_titles(result) == expected
    for fault in detail.split("+")[:-1]:
        assert len(seen(web, f"/jobs/{fault}/")) == 2, fault  # failed once, retried once
    assert result.stats.get("downloader/response_status_count/429") == 2
    assert result.stats.get("jobos/retry/backoff_seconds", 0) >= 2  # Retry-After: 1, twice
    assert not result.stats.get("jobos/partial"), result.stats.get("jobos/partial_reasons")
    assert run_row(result)["status"] == "finished"
    utf8 = next(i for i in result.items if i["title"] == title("bad-utf8"))
    assert "fall" in utf8["description"] and "over" in utf8["description"]


def test_listing_pages_that_fail_for_good_make_the_crawl_partial(permanent):
    result, _ = permanent
    reasons = " ".join(result.stats.get("jobos/partial_reasons", []))
    assert result.stats.get("jobos/partial") is True
    for fault in ("always-500", "always-stall", "huge"):
        assert f"/listing/{fault}/" in reasons, (fault, reasons)
    assert run_row(result)["status"] == "partial"


def test_a_redirect_loop_on_a_listing_page_makes_the_crawl_partial(permanent):
    result, requests = permanent
    hops = [u for u in (e["url"] for e in requests) if "/listing/redirect-chain/" in u]
    # The page and REDIRECT_MAX_TIMES (10) redirects, then given up (a hop that timed out on a
    # loaded machine is tried again: distinct URLs).
    assert len(set(hops)) == 11
    reasons = " ".join(result.stats.get("jobos/partial_reasons", []))
    assert "/listing/redirect-chain/" in reasons, reasons


def test_permanent_faults_keep_every_job_that_could_be_read(permanent):
    result, requests = permanent
    assert result.titles() == {title("ok-1"), title("ok-2")}
    assert stored_titles(result) == {title("ok-1"), title("ok-2")}
    stats = result.stats
    # Each stalled page: tried, retried once after the rest was read, then a last chance (each
    # retry with twice the download timeout; a 30 s stall outlasts them all).
    # Read from the crawl's log: a try that timed out before the stand-in web saw it (busy
    # with the 50 MB page on a loaded machine) is missing from the stand-in's request log.
    for stalled in ("/jobs/always-stall/", "/listing/always-stall/"):
        tries = [line.rsplit("(", 1)[-1] for line in result.log.splitlines()
                 if stalled in line and "tried again once the queue drains" in line]
        assert tries == ["later)", "last chance)"], (stalled, tries)
    assert stats.get("jobos/retry/later", 0) >= 2 and stats.get("jobos/retry/last_chance", 0) >= 2
    assert stats.get("downloader/exception_type_count/scrapy.exceptions.DownloadCancelledError") == 2
    assert stats.get("jobos/retry/retry_after_too_long") == 1
    # A Retry-After longer than JOBOS_RETRY_AFTER_MAX is not waited for, nor retried (the only
    # 429 of this crawl; a try that timed out on a loaded machine before its answer came may
    # have been made again, so requests are not counted).
    assert [e for e in requests if "/jobs/always-retry-after-long/" in e["url"]]
    assert "retry/reason_count/429" not in stats
    # The 50 MB page was cut off at DOWNLOAD_MAXSIZE, never parsed.
    assert stats.get("jobos/site/jsonld_jobs") == 2


@pytest.fixture(scope="module")
def job_pages(standin):
    """One crawl whose listing is fine but whose job pages fail for good, one fault each."""
    standin.reset()
    return crawl(standin, "/careers/always-500+always-reset+always-stall+huge"
                          "+always-retry-after-long+redirect-self/")


def test_job_page_faults_keep_the_other_jobs(job_pages):
    assert job_pages.titles() == {title("ok-1"), title("ok-2")}
    assert stored_titles(job_pages) == {title("ok-1"), title("ok-2")}


def test_job_page_faults_mark_partial(job_pages):
    reasons = " ".join(job_pages.stats.get("jobos/partial_reasons", []))
    assert job_pages.stats.get("jobos/partial") is True
    for fault in ("always-500", "always-reset", "always-stall", "huge", "always-retry-after-long"):
        assert f"/jobs/{fault}/" in reasons, (fault, reasons)
    assert run_row(job_pages)["status"] == "partial"


def test_a_page_redirecting_to_itself_is_counted_as_lost(job_pages):
    reasons = " ".join(job_pages.stats.get("jobos/partial_reasons", []))
    assert "/jobs/redirect-self/" in reasons, reasons


def test_truncated_json_listing_page_is_an_error_and_partial(web):
    result = crawl(web, "/api/careers/truncate/")
    assert result.titles() == {title("ok-1"), title("ok-2")}  # page 1's jobs are kept
    assert result.stats.get("jobos/partial") is True


def test_truncated_ats_response_keeps_the_listing_and_the_crawl_run_says_so(web):
    # Workday (tests/web/data/workday): one job's detail call answers truncated JSON; the
    # listing's fields of that job are kept, every other job is complete.
    result = run_crawl(web, company="Fabrikam", careers_url="https://fabrikam.wd5.myworkdayjobs.com/External",
                       settings=FAST)
    assert result.returncode == 0, result.stderr[-3000:]
    ids = set(result.by_id())
    assert "JR-0042" in ids and len(ids) == len(result.items)
    store = open_store(data_dir=result.workdir / "data")
    try:
        stored = {j["external_id"] for j in store.search_jobs(status="all", limit=500)["items"]}
        assert stored == ids
        row = store.get_crawl_run(int(result.stats["jobos/crawl_id"]))
    finally:
        store.close()
    assert result.stats.get("jobos/errors/bad_response", 0) >= 1
    # The truncated detail is an unreadable board response: the run must not look complete.
    assert result.stats.get("jobos/partial") is True
    assert row["status"] == "partial"


def test_injected_truncation_of_an_ats_board_is_partial_with_zero_jobs(web):
    # The injector cuts the real stand-in Greenhouse answer in half (any ATS host works alike).
    web.set_state(faults=[{"url": "boards-api.greenhouse.io/v1/boards/northwind/jobs", "kind": "truncate"}])
    result = run_crawl(web, company="Northwind Traders",
                       careers_url="https://job-boards.greenhouse.io/northwind", settings=FAST)
    assert result.returncode == 0, result.stderr[-3000:]
    assert result.items == []
    assert web.control("GET", "/state")["fault_hits"] == {"truncate": 1}
    assert result.stats.get("jobos/errors/bad_response") == 1
    assert result.stats.get("jobos/partial") is True
    assert run_row(result)["status"] == "partial"
