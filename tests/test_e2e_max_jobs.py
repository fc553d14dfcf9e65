"""max_jobs stops the crawl at that many jobs; the crawl is partial, so it closes nothing."""
from __future__ import annotations

from jobos.store import open_store
from tests.crawl import run_crawl

SUMMIT = "https://jobs.lever.co/summitpeak"  # 123 jobs over two API pages


def test_max_jobs_stops_early_and_closes_nothing(web, tmp_path):
    data = tmp_path / "data"
    full = run_crawl(web, company="Summit Peak", careers_url=SUMMIT, data_dir=data)
    assert full.returncode == 0 and len(full.items) == 123
    capped = run_crawl(web, company="Summit Peak", careers_url=SUMMIT, data_dir=data, max_jobs=5)
    assert capped.returncode == 0, capped.stderr[-2000:]
    assert len(capped.items) == 5
    assert capped.stats.get("jobos/partial") is True
    assert capped.stats.get("finish_reason") == "max_jobs"
    store = open_store(data_dir=data)
    try:
        assert store.job_count("open") == 123  # the 118 jobs it did not read stay open
    finally:
        store.close()
