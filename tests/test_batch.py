"""Batch refresh: many known companies in one `careers` crawl, each judged on its own."""
from __future__ import annotations

import tempfile
from pathlib import Path

import pytest

from jobos.batch import CompaniesFileError, read_companies_file
from jobos.store import open_store
from tests.crawl import run_clean_crawl, run_crawl

FAST = {
    "DOWNLOAD_TIMEOUT": "3",
    "RETRY_TIMES": "1",
    "JOBOS_RETRY_BACKOFF_BASE": "0.1",
    "AUTOTHROTTLE_ENABLED": "False",
    "JOBOS_PROGRESS_INTERVAL": "0",
}

COMPANIES = (
    "company,country,careers_url\n"
    "Northwind Traders,,https://job-boards.greenhouse.io/northwind\n"
    "Fjord Labs,,https://job-boards.eu.greenhouse.io/fjordlabs\n"
    "Summit Peak,,https://jobs.lever.co/summitpeak\n"
)


def write(text: str) -> Path:
    path = Path(tempfile.mkdtemp(prefix="jobos-batch-")) / "companies.csv"
    path.write_text(text, encoding="utf-8")
    return path


# ---- the companies file ------------------------------------------------------------------------
def test_companies_file_is_read_and_validated():
    companies = read_companies_file(write("company,country,careers_url\n"
                                          "Acme GmbH,Germany,acme.com/careers\n\n"
                                          "Beta,,https://jobs.lever.co/beta\n"))
    assert [(c.company, c.country, c.careers_url) for c in companies] == [
        ("Acme GmbH", "DE", "https://acme.com/careers"), ("Beta", None, "https://jobs.lever.co/beta")]


def test_every_bad_row_gets_one_sentence_and_the_file_is_refused():
    path = write("company,country,careers_url\n"
                 "Good,,https://jobs.lever.co/good\n"
                 "No Url,DE,\n"
                 "Bad Country,Atlantis,https://acme.com/jobs\n"
                 ",DE,https://acme.com/jobs\n"
                 "Good,,https://jobs.lever.co/good\n"
                 "Bad Url,,not-a-url\n")
    with pytest.raises(CompaniesFileError) as err:
        read_companies_file(path)
    lines = str(err.value).splitlines()
    assert lines[0] == "companies file 'companies.csv' has 5 bad row(s):"
    assert lines[1].startswith("row 3: careers_url is empty")
    assert lines[2].startswith("row 4: country: unknown country: use an ISO")
    assert lines[3].startswith("row 5: company")
    assert lines[4] == "row 6: repeats row 2"
    assert lines[5].startswith("row 7: careers_url:")
    assert len(lines) == 6


def test_a_file_without_the_columns_is_refused():
    with pytest.raises(CompaniesFileError, match=r"header row .*\(missing: company, careers_url\)"):
        read_companies_file(write("name,country\nAcme,DE\n"))
    with pytest.raises(CompaniesFileError, match="does not exist"):
        read_companies_file(Path(tempfile.mkdtemp()) / "nope.csv")


def test_a_bad_companies_file_ends_the_crawl_non_zero_with_the_rows_named(web):
    result = run_crawl(web, companies_file=write("company,country,careers_url\nAcme,,\n"), settings=FAST)
    assert result.returncode != 0
    assert "row 2: careers_url is empty" in result.stderr
    assert result.stats.get("downloader/request_count", 0) == 0


# ---- one process, many companies ---------------------------------------------------------------
def _ghost(board: str, company: str) -> dict:
    """A job the store has for a board but the board no longer lists (closed by a complete crawl)."""
    return {"board": board, "company": company, "source": board.split(":")[0], "method": "api",
            "external_id": "ghost-1", "title": "Ghost engineer",
            "url": f"https://example.org/{board.replace(':', '/')}/ghost-1",
            "location": "Berlin, Germany", "country": "DE", "scraped_at": "2026-01-01T00:00:00Z",
            "extraction_pending": False}


def test_one_failing_board_makes_only_its_company_partial(web):
    data_dir = Path(tempfile.mkdtemp(prefix="jobos-batch-data-"))
    boards = {"greenhouse:northwind": "Northwind Traders", "greenhouse:fjordlabs": "Fjord Labs",
              "lever:summitpeak": "Summit Peak"}
    with open_store(data_dir=str(data_dir)) as store:
        store.upsert_jobs([_ghost(b, c) for b, c in boards.items()], None)
    # Fjord Labs' board API always fails: only Fjord Labs is partial and keeps its ghost open.
    web.set_state(faults=[{"url": "boards-api.eu.greenhouse.io/v1/boards/fjordlabs", "kind": "always-500"}])
    result = run_clean_crawl(web, companies_file=write(COMPANIES), settings=FAST, data_dir=data_dir)

    found = {}
    for item in result.items:
        found.setdefault(item["company"], set()).add(item["source"])
    assert found == {"Northwind Traders": {"greenhouse"}, "Summit Peak": {"lever"}}
    assert result.stats.get("jobos/batch/companies") == 3
    # Tried, retried once at once, and once more after the other companies (last chance).
    assert web.control("GET", "/state")["fault_hits"] == {"500": 3}

    with open_store(data_dir=str(data_dir)) as store:
        ghosts = _ghost_statuses(store)
        runs = {r["company"]: r for r in store.list_crawl_runs()}
    assert ghosts == {"greenhouse:northwind": "closed", "greenhouse:fjordlabs": "open",
                      "lever:summitpeak": "closed"}
    # One run row per company, each with its own status and counts.
    assert set(runs) == set(boards.values())
    assert runs["Fjord Labs"]["status"] == "partial"
    assert "fjordlabs" in (runs["Fjord Labs"]["error_summary"] or "")
    assert runs["Fjord Labs"]["found"] == 0
    for name in ("Northwind Traders", "Summit Peak"):
        assert runs[name]["status"] == "finished", runs[name]
        assert runs[name]["found"] == sum(1 for i in result.items if i["company"] == name) > 0
        assert runs[name]["closed"] == 1
        assert runs[name]["pages"] >= 1


def _ghost_statuses(store) -> dict:
    with store._read() as cur:
        cur.execute("SELECT board, status FROM jobs WHERE external_id = %s", ["ghost-1"])
        return {row["board"]: row["status"] for row in cur.fetchall()}


def test_an_unchanged_batch_refresh_costs_one_request_per_list_complete_board(web):
    data_dir = Path(tempfile.mkdtemp(prefix="jobos-batch-data-"))
    companies = write("company,country,careers_url\n"
                      "Northwind Traders,,https://job-boards.greenhouse.io/northwind\n"
                      "Fjord Labs,,https://job-boards.eu.greenhouse.io/fjordlabs\n")
    first = run_crawl(web, companies_file=companies, settings=FAST, data_dir=data_dir)
    assert first.returncode == 0, first.stderr[-3000:]
    assert {i["company"] for i in first.items} == {"Northwind Traders", "Fjord Labs"}
    with open_store(data_dir=str(data_dir)) as store, store._read() as cur:
        cur.execute("SELECT count(*) AS n FROM job_history")
        history = int(cur.fetchone()["n"])
    mark = len(web.requests_seen())
    second = run_crawl(web, companies_file=companies, settings=FAST, data_dir=data_dir)
    assert second.returncode == 0, second.stderr[-3000:]
    board_calls = [e for e in web.requests_seen()[mark:] if "/v1/boards/" in e["url"]]
    assert len(board_calls) == 2  # one per board, each answered as before
    assert second.items == []
    assert second.stats.get("jobos/conditional/same_hash") == 2
    assert second.stats.get("jobos/llm/calls", 0) == 0
    with open_store(data_dir=str(data_dir)) as store:
        with store._read() as cur:
            cur.execute("SELECT count(*) AS n FROM job_history")
            assert int(cur.fetchone()["n"]) == history
            cur.execute("SELECT count(*) AS n FROM jobs WHERE status = 'open'")
            assert int(cur.fetchone()["n"]) == len(first.items)
        runs = store.list_crawl_runs()
    latest = {r["company"]: r for r in sorted(runs, key=lambda r: r["id"])}
    assert len(runs) == 4
    for name in ("Northwind Traders", "Fjord Labs"):
        assert latest[name]["status"] == "finished"
        assert latest[name]["unchanged"] == sum(1 for i in first.items if i["company"] == name)


def test_the_request_budget_is_per_company(web):
    # Two boards on one API host: robots.txt + 2 board calls = 3 requests. A budget of 2 per
    # company gives the batch 4: both companies complete (one shared budget of 2 would not).
    companies = write("company,country,careers_url\n"
                      "Northwind Traders,,https://job-boards.greenhouse.io/northwind\n"
                      "Blue Harbor,,https://job-boards.greenhouse.io/blueharbor\n")
    result = run_crawl(web, companies_file=companies, data_dir=Path(tempfile.mkdtemp()),
                       # no retry may spend a company's budget: a slow answer on a loaded
                       # machine must not time out (3 s) and be asked again
                       settings={**FAST, "DOWNLOAD_TIMEOUT": "60", "JOBOS_REQUEST_BUDGET": "2"})
    assert result.returncode == 0, result.stderr[-3000:]
    assert result.stats.get("jobos/budget_exhausted") is None
    assert {i["company"] for i in result.items} == {"Northwind Traders", "Blue Harbor"}


def _site_ghost(n: int, company: str) -> dict:
    """A job of a soak company's own site that its careers page no longer lists."""
    from jobos.store.records import company_board

    host = f"www.soak-co-{n:04d}.test"
    return {**_ghost(company_board(f"website:{host}", company), company), "source": "website",
            "method": "html", "company_domain": None, "url": f"https://{host}/careers/ghost-1/"}


def test_website_boards_in_a_batch_are_closed_per_company(web):
    data_dir = Path(tempfile.mkdtemp(prefix="jobos-batch-data-"))
    names = {9001: "Soak Co 9001", 9002: "Soak Co 9002"}
    ghosts = [_site_ghost(n, c) for n, c in names.items()]
    with open_store(data_dir=str(data_dir)) as store:
        store.upsert_jobs(ghosts, None)
    # One job page of company 9002 always fails: its crawl is partial and closes nothing.
    web.set_state(faults=[{"url": "www.soak-co-9002.test/jobs/job-9002-00/", "kind": "500"}])
    companies = write("company,country,careers_url\n" + "".join(
        f"{c},,https://www.soak-co-{n:04d}.test/careers/\n" for n, c in names.items()))
    result = run_clean_crawl(web, companies_file=companies, settings=FAST, data_dir=data_dir)
    assert {i["company"] for i in result.items} == set(names.values())

    with open_store(data_dir=str(data_dir)) as store:
        statuses = _ghost_statuses(store)
        runs = {r["company"]: r for r in store.list_crawl_runs()}
    assert statuses == {ghosts[0]["board"]: "closed", ghosts[1]["board"]: "open"}
    assert runs["Soak Co 9001"]["status"] == "finished" and runs["Soak Co 9001"]["closed"] == 1
    assert runs["Soak Co 9002"]["status"] == "partial" and not runs["Soak Co 9002"]["closed"]
