"""Detail skipping: a site's job link whose listing entry did not change is not requested again."""
from __future__ import annotations

import tempfile
from datetime import timedelta
from pathlib import Path

from jobos.store import open_store
from jobos.store.common import utcnow
from jobos.store.records import company_board
from tests.crawl import run_clean_crawl

FAST = {
    "DOWNLOAD_TIMEOUT": "10",
    "RETRY_TIMES": "1",
    "JOBOS_RETRY_BACKOFF_BASE": "0.1",
    "AUTOTHROTTLE_ENABLED": "False",
    "JOBOS_PROGRESS_INTERVAL": "0",
}
N = 9021  # a generated stand-in site (tests/web/handlers/faults.py): www.soak-co-9021.test
HOST = f"www.soak-co-{N}.test"
COMPANY = f"Soak Co {N}"
CAREERS = f"https://{HOST}/careers/"


def _crawl(web, data_dir: Path):
    return run_clean_crawl(web, company=COMPANY, careers_url=CAREERS, settings=FAST, data_dir=data_dir)


def _rows(data_dir: Path) -> dict[str, dict]:
    with open_store(data_dir=str(data_dir)) as store, store._read() as cur:
        cur.execute("SELECT url, board, status, last_seen, content_hash FROM jobs")
        return {row["url"]: dict(row) for row in cur.fetchall()}


def _count(data_dir: Path, table: str) -> int:
    with open_store(data_dir=str(data_dir)) as store, store._read() as cur:
        cur.execute(f"SELECT count(*) AS n FROM {table}")
        return int(cur.fetchone()["n"])


def _job_pages(web, mark: int) -> list[str]:
    return [e["url"] for e in web.requests_seen()[mark:] if f"{HOST}/jobs/" in e["url"]]


def test_unchanged_entries_are_touched_not_requested_and_a_vanished_job_is_closed(web):
    data_dir = Path(tempfile.mkdtemp(prefix="jobos-details-"))
    first = _crawl(web, data_dir)
    assert first.items and _count(data_dir, "listing_entries") == len(first.items)
    before = _rows(data_dir)
    history = _count(data_dir, "job_history")
    # A job the listing no longer shows (its page was read by an earlier crawl).
    board = company_board(f"website:{HOST}", COMPANY)
    ghost_url = f"https://{HOST}/careers/ghost-1/"
    with open_store(data_dir=str(data_dir)) as store:
        store.upsert_jobs([{"board": board, "company": COMPANY, "source": "website", "method": "html",
                            "external_id": "ghost-1", "title": "Ghost engineer", "url": ghost_url,
                            "scraped_at": "2026-01-01T00:00:00Z", "extraction_pending": False}], None)
        # One listing entry "changed" since (as if its title had): that link's page is read again.
        changed, aged = sorted(u for u in before)[:2]
        with store._write() as cur:
            cur.execute("UPDATE listing_entries SET entry_hash = %s WHERE url = %s", ["old", changed])
            # Another was last read longer ago than JOBOS_DETAIL_REREAD_DAYS (7): read again too.
            cur.execute("UPDATE listing_entries SET updated_at = %s WHERE url = %s",
                        [store._ts_in(utcnow() - timedelta(days=8)), aged])
            # The listing page itself has changed (else it is not read at all, its jobs only
            # touched: tests/test_conditional_site.py), so its job links are judged one by one.
            cur.execute("DELETE FROM http_cache")

    mark = len(web.requests_seen())
    second = _crawl(web, data_dir)
    assert sorted(_job_pages(web, mark)) == [changed, aged]
    assert second.stats["jobos/conditional/detail_skipped"] == len(first.items) - 2
    assert sorted(i["url"] for i in second.items) == [changed, aged]
    assert second.stats.get("jobos/llm/calls", 0) == 0
    after = _rows(data_dir)
    assert after[ghost_url]["status"] == "closed"
    for url, row in before.items():
        assert after[url]["status"] == "open"
        assert after[url]["last_seen"] > row["last_seen"]  # seen again: touched or re-read
        assert after[url]["content_hash"] == row["content_hash"]
    assert _count(data_dir, "job_history") == history  # nothing changed: no history written


def test_a_partial_crawl_saves_no_entry_and_closes_nothing(web):
    data_dir = Path(tempfile.mkdtemp(prefix="jobos-details-"))
    # A job page that always fails makes the first crawl partial: no entry is trusted later.
    web.set_state(faults=[{"url": f"{HOST}/jobs/job-{N}-00/", "kind": "500"}])
    first = _crawl(web, data_dir)
    assert first.stats.get("jobos/partial")
    assert _count(data_dir, "listing_entries") == 0
    web.set_state(faults=[])
    mark = len(web.requests_seen())
    second = _crawl(web, data_dir)
    assert "jobos/conditional/detail_skipped" not in second.stats
    assert len(_job_pages(web, mark)) == len(second.items) > 0
