"""Conditional re-crawls: an unchanged board costs one request, touches last_seen, writes nothing else."""
from __future__ import annotations

import tempfile
from pathlib import Path

from jobos.store import open_store
from tests.crawl import run_clean_crawl, run_crawl

FAST = {
    "DOWNLOAD_TIMEOUT": "3",
    "RETRY_TIMES": "1",
    "JOBOS_RETRY_BACKOFF_BASE": "0.1",
    "AUTOTHROTTLE_ENABLED": "False",
    "JOBOS_PROGRESS_INTERVAL": "0",
}
BOARD_URL = "https://job-boards.greenhouse.io/northwind"
LISTING = "boards-api.greenhouse.io/v1/boards/northwind/jobs"


def _crawl(web, data_dir: Path):
    return run_clean_crawl(web, company="Northwind Traders", careers_url=BOARD_URL, settings=FAST,
                           data_dir=data_dir)


def _jobs(data_dir: Path) -> dict[str, dict]:
    with open_store(data_dir=str(data_dir)) as store, store._read() as cur:
        cur.execute("SELECT external_id, status, last_seen, content_hash, scraped_at FROM jobs"
                    " WHERE board = %s", ["greenhouse:northwind"])
        return {row["external_id"]: dict(row) for row in cur.fetchall()}


def _history_rows(data_dir: Path) -> int:
    with open_store(data_dir=str(data_dir)) as store, store._read() as cur:
        cur.execute("SELECT count(*) AS n FROM job_history")
        return int(cur.fetchone()["n"])


def _entry(data_dir: Path) -> dict | None:
    with open_store(data_dir=str(data_dir)) as store:
        return store.http_cache_get(f"https://{LISTING}?content=true")


def _board_requests(web, since: int) -> list[dict]:
    return [e for e in web.requests_seen()[since:] if LISTING in e["url"]]


def _assert_unchanged_refresh(first, second, before: dict, data_dir: Path, history: int) -> None:
    assert second.items == []  # nothing parsed: no item went to the pipelines
    assert second.stats.get("jobos/llm/calls", 0) == 0
    assert second.stats.get("jobos/site/detail_pages", 0) == 0
    assert _history_rows(data_dir) == history
    after = _jobs(data_dir)
    assert set(after) == set(before) and len(after) == len(first.items) > 0
    for ext, job in after.items():
        assert job["status"] == "open"  # an unchanged board closes nothing
        assert str(job["last_seen"]) > str(before[ext]["last_seen"])  # but its jobs were seen
        assert (job["content_hash"], job["scraped_at"]) == (before[ext]["content_hash"], before[ext]["scraped_at"])
    assert second.stats.get("jobos/conditional/touched") == len(after)
    assert second.stats.get("jobos/partial") is not True
    assert second.stats.get("jobos/errors/api/BoardUnchanged") is None


def test_unchanged_body_hash_rereads_with_one_request_and_no_writes(web):
    data_dir = Path(tempfile.mkdtemp(prefix="jobos-cond-"))
    first = _crawl(web, data_dir)
    with open_store(data_dir=str(data_dir)) as store:
        entry = store.http_cache_get(f"https://{LISTING}?content=true")
    assert entry and entry["board"] == "greenhouse:northwind" and entry["etag"] is None
    before, history = _jobs(data_dir), _history_rows(data_dir)
    mark = len(web.requests_seen())
    second = _crawl(web, data_dir)
    served = _board_requests(web, mark)
    assert [e.get("status") for e in served] == [200]  # one request for the list-complete board
    assert second.stats.get("jobos/conditional/same_hash") == 1
    _assert_unchanged_refresh(first, second, before, data_dir, history)


def test_etag_is_sent_back_and_a_304_touches_last_seen_only(web):
    web.set_state(etags=True)
    data_dir = Path(tempfile.mkdtemp(prefix="jobos-cond-"))
    first = _crawl(web, data_dir)
    with open_store(data_dir=str(data_dir)) as store:
        entry = store.http_cache_get(f"https://{LISTING}?content=true")
    assert entry["etag"] and entry["etag"].startswith('"')
    before, history = _jobs(data_dir), _history_rows(data_dir)
    mark = len(web.requests_seen())
    second = _crawl(web, data_dir)
    assert [e.get("status") for e in _board_requests(web, mark)] == [304]
    assert second.stats.get("jobos/conditional/not_modified") == 1
    _assert_unchanged_refresh(first, second, before, data_dir, history)


def test_a_partial_crawl_saves_no_validators_so_the_next_reads_the_board_whole(web):
    web.set_state(faults=[{"url": LISTING, "kind": "truncate", "times": 1}])
    data_dir = Path(tempfile.mkdtemp(prefix="jobos-cond-"))
    partial = _crawl(web, data_dir)
    assert partial.stats.get("jobos/partial") is True
    assert _entry(data_dir) is None
    whole = _crawl(web, data_dir)
    assert whole.stats.get("jobos/conditional/same_hash") is None
    assert len(whole.items) > 0
    assert _entry(data_dir)["board"] == "greenhouse:northwind"


def test_a_store_changed_since_the_last_crawl_makes_the_board_read_whole(web):
    data_dir = Path(tempfile.mkdtemp(prefix="jobos-cond-"))
    first = _crawl(web, data_dir)
    # The stored copy of one job now differs from the board (edited, or written by another run).
    changed = dict(first.items[0], board="greenhouse:northwind", title="Old title")
    with open_store(data_dir=str(data_dir)) as store:
        assert store.upsert_jobs([changed], None).updated == 1
    second = _crawl(web, data_dir)
    assert second.stats.get("jobos/conditional/store_changed") == 1
    assert second.stats.get("jobos/conditional/same_hash") is None
    assert len(second.items) == len(first.items)
    assert second.stats.get("jobos/store/updated") == 1  # the board's title is back
    third = _crawl(web, data_dir)  # and now the store is as the board: one request again
    assert third.stats.get("jobos/conditional/same_hash") == 1 and third.items == []


def test_a_refresh_for_another_country_reads_the_board_whole(web):
    data_dir = Path(tempfile.mkdtemp(prefix="jobos-cond-"))
    _crawl(web, data_dir)
    other = run_crawl(web, company="Northwind Traders", careers_url=BOARD_URL, country="DE",
                      settings=FAST, data_dir=data_dir)
    assert other.returncode == 0, other.stderr[-3000:]
    assert other.stats.get("jobos/conditional/same_hash") is None
    assert other.stats.get("jobos/conditional/changed") == 1
