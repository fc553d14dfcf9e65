"""Retries put off until the crawl's queue drains (jobos.middlewares.BackoffRetryMiddleware).

A timed-out request is retried once nothing else is queued or downloading, not at once; a
request whose retries are used up for a transient reason gets one last try at that point.
Nothing is retried forever: a page that never answers leaves its company partial, and that
company's stored jobs stay open.
"""
from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from scrapy import Request, Spider
from scrapy.exceptions import DontCloseSpider, DownloadTimeoutError
from scrapy.http.request import NO_CALLBACK
from scrapy.utils.test import get_crawler

from jobos.middlewares import BackoffRetryMiddleware, RetryLater
from jobos.store import open_store
from tests.crawl import run_clean_crawl, run_crawl

FAST = {
    "DOWNLOAD_TIMEOUT": "10",  # a loaded test machine may take seconds to answer a page
    "RETRY_TIMES": "1",
    "JOBOS_RETRY_BACKOFF_BASE": "0.1",
    "AUTOTHROTTLE_ENABLED": "False",
    "JOBOS_PROGRESS_INTERVAL": "0",
}
STALL = 14.0  # seconds a stalled page keeps the crawler waiting: longer than DOWNLOAD_TIMEOUT
SHORT = {**FAST, "DOWNLOAD_TIMEOUT": "4"}  # retries wait 8 s, then 16 s (doubled, at most 4x)
STALL_LONG = 20.0  # longer than every retry's timeout under SHORT


# ---- the middleware on its own -------------------------------------------------------------------
def _middleware(**settings):
    crawler = get_crawler(Spider, {"RETRY_TIMES": 1, "JOBOS_RETRY_BACKOFF_BASE": 0.1, **settings})
    crawler.spider = Spider.from_crawler(crawler, name="t")
    crawler.stats.open_spider()
    return BackoffRetryMiddleware.from_crawler(crawler), crawler


def _errback(failure):  # stands for the spider's errback
    return []


def test_a_timeout_is_put_off_and_the_failed_request_never_reaches_its_errback():
    mw, crawler = _middleware()
    request = Request("https://www.example-co.test/careers/", errback=_errback)
    with pytest.raises(RetryLater):
        mw.process_exception(request, DownloadTimeoutError("took too long"))
    assert request.errback is None  # Scrapy drops an IgnoreRequest without errback silently
    [(_, retry)] = mw.later
    assert retry.url == request.url and retry.errback is _errback
    assert retry.meta["retry_times"] == 1 and retry.dont_filter
    assert retry.meta["download_timeout"] == 2 * crawler.settings.getfloat("DOWNLOAD_TIMEOUT")
    assert crawler.stats.get_value("jobos/retry/later") == 1
    assert crawler.stats.get_value("retry/count") == 1


def test_a_put_off_retry_keeps_the_crawl_open_until_it_is_sent():
    mw, _ = _middleware()
    mw.spider_idle()  # nothing waiting: the crawl may close
    with pytest.raises(RetryLater):
        mw.process_exception(Request("https://www.example-co.test/a"), DownloadTimeoutError())
    with pytest.raises(DontCloseSpider):
        mw.spider_idle()
    mw._release_call.cancel()
    mw.spider_closed(reason="shutdown")  # a crawl stopped early drops what waits, counted
    assert mw.later == [] and mw.crawler.stats.get_value("jobos/retry/later_dropped") == 1


def test_a_discovery_probe_and_robots_txt_are_retried_at_once():
    mw, _ = _middleware()
    probe = Request("https://boards-api.greenhouse.io/v1/boards/x/jobs", meta={"jobos_tier": "probe"})
    # robots.txt is downloaded for its middleware, which awaits the answer: never put off.
    robots = Request("https://www.example-co.test/robots.txt", callback=NO_CALLBACK)
    for request in (probe, robots):
        retry = mw.process_exception(request, DownloadTimeoutError())
        assert isinstance(retry, Request) and mw.later == []


def test_a_connection_error_is_retried_at_once_then_gets_one_last_chance_then_fails():
    mw, crawler = _middleware()
    from twisted.internet.error import ConnectionLost

    request = Request("https://www.example-co.test/jobs/1/")
    retry = mw.process_exception(request, ConnectionLost())
    assert isinstance(retry, Request) and retry.meta["retry_times"] == 1 and mw.later == []
    with pytest.raises(RetryLater):  # retries used up: one more try once the queue drains
        mw.process_exception(retry, ConnectionLost())
    [(_, last)] = mw.later
    assert last.meta["jobos_last_chance"] == 1
    assert mw.process_exception(last, ConnectionLost()) is None  # given up: the errback sees it
    assert crawler.stats.get_value("jobos/retry/last_chance") == 1


def test_without_last_chance_a_used_up_timeout_fails_at_once():
    mw, _ = _middleware(JOBOS_RETRY_LAST_CHANCE=0)
    request = Request("https://www.example-co.test/jobs/1/", meta={"retry_times": 1})
    assert mw.process_exception(request, DownloadTimeoutError()) is None


# ---- through the stand-in web, in batch mode --------------------------------------------------
def _host(n: int) -> str:
    return f"www.soak-co-{n:04d}.test"


def _companies(numbers) -> Path:
    path = Path(tempfile.mkdtemp(prefix="jobos-retry-")) / "companies.csv"
    path.write_text("company,country,careers_url\n" + "".join(
        f"Soak Co {n:04d},,https://{_host(n)}/careers/\n" for n in numbers), encoding="utf-8")
    return path


def _expected_urls(n: int) -> set[str]:
    import sys

    sys.path.insert(0, str(Path(__file__).parent / "web" / "handlers"))
    from faults import soak_jobs

    return {job["url"] for job in soak_jobs(n)}


def _runs(data_dir) -> dict[str, dict]:
    with open_store(data_dir=str(data_dir)) as store:
        return {r["company"]: r for r in store.list_crawl_runs()}


def _open_urls(data_dir, n: int) -> set[str]:
    with open_store(data_dir=str(data_dir)) as store:
        page = store.search_jobs(status="open", limit=500)
    return {job["url"] for job in page["items"] if _host(n) in job["url"]}


@pytest.fixture(scope="module")
def transient(standin):
    """One batch: 9201's listing stalls once, a job page of 9202 stalls once, a job page of 9204
    answers 500 twice (more than RETRY_TIMES=1 allows at once), 9203 has no fault."""
    standin.reset()
    stalled_job = sorted(_expected_urls(9202))[0]
    failing_job = sorted(_expected_urls(9204))[0]
    standin.set_state(stall_seconds=STALL, faults=[
        {"url": f"https://{_host(9201)}/careers/", "kind": "stall", "times": 1},
        {"url": stalled_job, "kind": "stall", "times": 1},
        {"url": failing_job, "kind": "500", "times": 2},
    ])
    data_dir = Path(tempfile.mkdtemp(prefix="jobos-retry-data-"))
    result = run_clean_crawl(standin, companies_file=_companies([9201, 9202, 9203, 9204]), settings=FAST,
                       data_dir=data_dir, timeout=180)
    return result, standin.requests_seen(), data_dir, stalled_job, failing_job


def test_a_stalled_page_is_retried_after_the_queue_drains_and_nothing_is_lost(transient):
    result, seen, data_dir, stalled_job, _ = transient
    urls = {item["url"] for item in result.items}
    for n in (9201, 9202, 9203, 9204):
        assert _expected_urls(n) <= urls, n
        assert _open_urls(data_dir, n) == _expected_urls(n), n
    runs = _runs(data_dir)
    assert {c: r["status"] for c, r in runs.items()} == {f"Soak Co {n}": "finished"
                                                        for n in (9201, 9202, 9203, 9204)}
    stats = result.stats
    assert stats.get("downloader/exception_type_count/scrapy.exceptions.DownloadTimeoutError", 0) >= 2
    assert stats.get("jobos/retry/later", 0) >= 2
    assert stats.get("jobos/retry/later_recovered", 0) >= 2
    assert not stats.get("jobos/partial")


def test_the_retry_of_a_stalled_page_waits_for_every_other_company(transient):
    _, seen, _, stalled_job, _ = transient
    order = [e["url"] for e in seen]
    for stalled in (f"https://{_host(9201)}/careers/", stalled_job):
        tries = [i for i, u in enumerate(order) if u == stalled]
        assert len(tries) >= 2, (stalled, tries)
        # Company 9203 (no fault) was read whole before the stalled page was tried again.
        others = [i for i, u in enumerate(order) if _host(9203) in u]
        assert others and max(others) < tries[1], (stalled, tries, others)


def test_a_page_failing_past_its_retries_gets_a_last_chance_and_its_company_stays_complete(transient):
    result, seen, data_dir, _, failing_job = transient
    statuses = [e["status"] for e in seen if e["url"] == failing_job]
    assert statuses == [500, 500, 200]  # RETRY_TIMES=1 at once, then the last chance
    assert result.stats.get("jobos/retry/last_chance") == 1
    assert _runs(data_dir)["Soak Co 9204"]["status"] == "finished"


def test_a_company_that_never_answers_stays_partial_and_keeps_its_jobs(web):
    data_dir = Path(tempfile.mkdtemp(prefix="jobos-retry-data-"))
    first = run_crawl(web, companies_file=_companies([9211, 9212]), settings=FAST, data_dir=data_dir)
    assert first.returncode == 0, first.stderr[-3000:]
    assert _open_urls(data_dir, 9211) == _expected_urls(9211)

    web.reset()
    listing = f"https://{_host(9211)}/careers/"
    web.set_state(stall_seconds=STALL_LONG, faults=[{"url": listing, "kind": "stall"}])  # every time
    second = run_crawl(web, companies_file=_companies([9211, 9212]), settings=SHORT, data_dir=data_dir,
                       timeout=180)
    assert second.returncode == 0, second.stderr[-3000:]
    # Bounded: the first try, RETRY_TIMES (1) put off, one last chance; then given up.
    assert [e["url"] for e in web.requests_seen()].count(listing) == 3
    assert second.stats.get("jobos/retry/later") == 1
    assert second.stats.get("jobos/retry/last_chance") == 1
    assert not second.stats.get("jobos/retry/later_recovered")
    with open_store(data_dir=str(data_dir)) as store:
        last = {}
        for run in sorted(store.list_crawl_runs(), key=lambda r: r["id"]):
            last[run["company"]] = run  # each company's second run
    assert last["Soak Co 9211"]["status"] == "partial"
    assert last["Soak Co 9212"]["status"] == "finished"
    # Nothing closed on the partial company's account: every job it had stays open.
    assert _open_urls(data_dir, 9211) == _expected_urls(9211)
