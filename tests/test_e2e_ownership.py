"""Through the stand-in web: a crawl of one job page on a company's site, started by someone
else under another company name, closes none of that company's jobs and renames nothing."""
from __future__ import annotations

from jobos.store import open_store
from tests.crawl import run_crawl

BRIGHTWAVE = "https://www.brightwave-energie.de/karriere/"
ONE_JOB = "https://www.brightwave-energie.de/karriere/stellen/projektingenieur-photovoltaik.html"


def test_a_crawl_of_one_job_page_under_another_name_closes_and_renames_nothing(web, tmp_path):
    data = tmp_path / "data"
    first = run_crawl(web, company="Brightwave Energie", careers_url=BRIGHTWAVE, data_dir=data)
    assert first.returncode == 0, first.stderr
    listed = len(first.items)
    assert listed >= 5 and not first.stats.get("jobos/partial")
    store = open_store(data_dir=data)
    try:
        company = store.list_companies(q="brightwave")["items"][0]
        assert company["open_jobs"] == listed

        attack = run_crawl(web, company="Evil Recruiting", careers_url=ONE_JOB, data_dir=data)
        assert attack.returncode == 0, attack.stderr
        assert len(attack.items) == 1 and not attack.stats.get("jobos/partial")

        assert store.search_jobs(company="Brightwave Energie", limit=100)["total"] == str(listed)
        after = store.get_company(company["id"])
        assert after["name"] == "Brightwave Energie" and after["open_jobs"] == listed
        assert after["careers_url"] == company["careers_url"]

        # The company's own crawl of that one page (a job page, not the listing) closes nothing.
        own = run_crawl(web, company="Brightwave Energie", careers_url=ONE_JOB, data_dir=data)
        assert own.returncode == 0, own.stderr
        assert store.get_company(company["id"])["open_jobs"] == listed
    finally:
        store.close()


def test_a_command_line_crawl_of_a_company_being_crawled_refuses_to_start(web, tmp_path):
    data = tmp_path / "data"
    store = open_store(data_dir=data)
    try:
        run, created = store.start_crawl_run({"company": "Brightwave Energie"}, "user:1", "api")
        assert created
        result = run_crawl(web, company="brightwave energie GmbH", careers_url=BRIGHTWAVE, data_dir=data)
        assert result.items == [] and result.returncode != 0
        assert "already pending" in result.stderr and f"crawl run {run['id']}" in result.stderr
        assert [r["id"] for r in store.list_crawl_runs()] == [run["id"]]
        assert store.job_count() == 0
    finally:
        store.close()
