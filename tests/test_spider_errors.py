"""A crawl's first requests (a board's first API call, the given careers page) that fail for
good are counted through the spider's errback and make the crawl partial, without a traceback."""
from __future__ import annotations

from tests.crawl import run_crawl

FAST = {"RETRY_TIMES": "1", "JOBOS_RETRY_BACKOFF_BASE": "0.1"}


def test_first_board_call_failing_for_good_is_partial_and_counted(web):
    web.set_state(faults=[{"url": "boards-api.greenhouse.io/v1/boards/blueharbor/jobs", "kind": "500", "times": 99}])
    result = run_crawl(web, company="Blue Harbor", careers_url="https://boards.greenhouse.io/blueharbor",
                       settings=FAST)
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.items == []
    assert result.stats.get("jobos/errors/api/HttpError") == 1
    assert result.stats.get("jobos/partial") is True
    assert "Traceback" not in result.log


def test_given_careers_page_failing_for_good_is_partial(web):
    web.set_state(faults=[{"url": "karriere.nordlicht-logistik.de/", "kind": "500", "times": 99}])
    result = run_crawl(web, company="Nordlicht Logistik", careers_url="https://karriere.nordlicht-logistik.de/",
                       settings=FAST)
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.items == []
    assert result.stats.get("jobos/errors/page/HttpError") == 1
    assert result.stats.get("jobos/partial") is True
    assert "Traceback" not in result.log
