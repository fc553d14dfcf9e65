"""Migrations: from an empty database, from the previous version, refusal, parallel starts."""
from __future__ import annotations

import threading

import pytest

from jobos.store import SchemaOutdated, latest_version, open_store
from jobos.store.records import content_hash, prepare
from tests.pg import pg_cluster, pg_url, store_backend  # noqa: F401 - fixtures
from jobos.store.common import utcnow
from tests.test_store import make_job


def test_migrations_from_empty(store_backend):
    store = open_store(**store_backend, check_schema=False)
    try:
        assert store.schema_version() == 0
        applied = store.upgrade()
        assert applied == store.known_migrations() == ["0001_base", "0002_crawl_attempts",
                                                       "0003_fast_upserts",
                                                       "0004_drop_board_status_index",
                                                       "0005_search_filters_gin",
                                                       "0006_company_boards_active_runs",
                                                       "0007_account_tokens", "0008_records",
                                                       "0009_http_cache", "0010_alerts",
                                                       "0011_undated_jobs_last", "0012_job_embeddings",
                                                       "0013_refresh_schedule", "0014_search_open_jobs",
                                                       "0015_listing_entries", "0016_upsert_search",
                                                       "0017_inline_search_vector", "0018_unused_job_indexes",
                                                       "0019_scheduler_runs", "0020_site_listing_pages",
                                                       "0021_search_country_overlap", "0022_search_sample"]
        assert store.schema_version() == latest_version(store.dialect) == 22
        assert store.upgrade() == []  # idempotent
    finally:
        store.close()


def _insert_old_job(store, i: int) -> None:
    """Write job i the way a JobOS before 0003 wrote it (plain INSERT, triggers do the rest)."""
    job = prepare(make_job(i))
    with store._write() as cur:
        cur.execute(
            "INSERT INTO jobs (board, external_id, title, url, company, company_norm, country,"
            " posted_at, content_hash, status, first_seen, last_seen, sort_date, salary_min,"
            " salary_max, description, company_domain, source, method, location, city,"
            " workplace, employment_type, salary_currency, salary_period)"
            " VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, 'open', %s, %s, %s, %s, %s, %s, %s, %s,"
            " %s, %s, %s, %s, %s, %s, %s)",
            [job.board, job.external_id, job.values["title"], job.values["url"], "Acme GmbH", "acme",
             "DE", store._date_in(job.values["posted_at"]), content_hash(job.values),
             store._ts_in(job.scraped_at), store._ts_in(job.scraped_at),
             store._date_in(job.values["posted_at"]),
             job.values["salary_min"], job.values["salary_max"], job.values["description"],
             "acme.com", "greenhouse", "api", "Berlin, Germany", "Berlin", "onsite", "FULL_TIME",
             "EUR", "YEAR"],
        )


def test_upgrade_from_previous_version_keeps_data(store_backend):
    old = open_store(**store_backend, check_schema=False)
    assert old.upgrade(target=1) == ["0001_base"]
    job = prepare(make_job(1))
    _insert_old_job(old, 1)  # written the way a 0001-era JobOS wrote it
    with old._write() as cur:
        cur.execute("INSERT INTO crawl_runs (source, args, status, created_at, updated_at)"
                    " VALUES ('cli', '{}', 'finished', %s, %s)",
                    [old._ts_in(job.scraped_at), old._ts_in(job.scraped_at)])
    assert old.schema_version() == 1
    old.close()

    with pytest.raises(SchemaOutdated, match="jobos db upgrade"):
        open_store(**store_backend, auto_migrate=False)

    store = open_store(**store_backend)  # auto-migrates to the newest version
    try:
        assert store.schema_version() == latest_version(store.dialect)
        run = store.list_crawl_runs()[0]
        assert run["status"] == "finished" and run["attempts"] == 0
        result = store.upsert_jobs([make_job(1)], None)  # the old row is the same job
        assert (result.new, result.unchanged) == (0, 1)
        got = store.search_jobs()["items"][0]
        assert got["last_crawl_id"] is None and got["title"] == "Engineer 1"
        store.update_crawl_run(run["id"], attempts=2)
        assert store.get_crawl_run(run["id"])["attempts"] == 2
    finally:
        store.close()
    # Auto-migrate off and the schema current: opening works.
    open_store(**store_backend, auto_migrate=False).close()


def test_upgrade_from_0002_keeps_jobs_searchable_and_unchanged(store_backend):
    old = open_store(**store_backend, check_schema=False)
    assert old.upgrade(target=2) == ["0001_base", "0002_crawl_attempts"]
    for i in range(3):
        _insert_old_job(old, i)  # full-text rows written by 0001's triggers
    old.close()

    store = open_store(**store_backend)
    try:
        assert store.schema_version() == latest_version(store.dialect)
        assert store.search_jobs(q="engineer")["total"] == "3"
        # Rows hashed before the upgrade are the same jobs: no history, only last_seen moves.
        result = store.upsert_jobs([make_job(i) for i in range(3)], None)
        assert (result.new, result.updated, result.unchanged) == (0, 0, 3)
        # New and changed jobs are searchable through the store's own full-text writes, each
        # exactly once, and a changed title no longer matches its old words.
        result = store.upsert_jobs([make_job(0, title="Gardener 0"), make_job(7)], None)
        assert (result.new, result.updated) == (1, 1)
        assert store.search_jobs(q="engineer")["total"] == "3"  # jobs 1, 2 and 7
        assert [j["external_id"] for j in store.search_jobs(q="gardener")["items"]] == ["0"]
        assert [j["external_id"] for j in store.search_jobs(q="number 7")["items"]] == ["7"]
        with store._read() as cur:
            if store.dialect == "sqlite":
                cur.execute("SELECT count(*) AS n FROM jobs_fts WHERE jobs_fts MATCH 'python'")
                assert cur.fetchone()["n"] == 4  # one full-text row per job, none doubled
                cur.execute("SELECT count(*) AS n FROM sqlite_master WHERE name = 'jobs_board_status_idx'")
                assert cur.fetchone()["n"] == 0
            else:
                cur.execute("SELECT reloptions FROM pg_class WHERE relname = 'jobs'")
                assert "fillfactor=60" in cur.fetchone()["reloptions"]
                cur.execute("SELECT to_regclass('jobs_board_status_idx') AS idx")
                assert cur.fetchone()["idx"] is None
    finally:
        store.close()


def test_auto_migrate_env_off_refuses_old_schema(store_backend, monkeypatch):
    monkeypatch.setenv("JOBOS_AUTO_MIGRATE", "0")
    with pytest.raises(SchemaOutdated, match="jobos db upgrade"):
        open_store(**store_backend)
    monkeypatch.setenv("JOBOS_AUTO_MIGRATE", "1")
    open_store(**store_backend).close()


def test_parallel_starts_migrate_once(store_backend):
    errors, versions = [], []

    def start() -> None:
        try:
            store = open_store(**store_backend)
            versions.append((store.schema_version(), latest_version(store.dialect)))
            store.close()
        except Exception as exc:  # noqa: BLE001 - collected and asserted below
            errors.append(exc)

    threads = [threading.Thread(target=start) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == [] and len(versions) == 4 and all(v == latest for v, latest in versions)
    store = open_store(**store_backend)
    with store._read() as cur:
        cur.execute("SELECT count(*) AS n FROM schema_migrations")
        assert cur.fetchone()["n"] == latest_version(store.dialect)
    store.close()


def store_backend_dialect(backend: dict) -> str:
    return "pg" if (backend.get("database_url") or "").startswith("postgres") else "sqlite"


def test_upgrade_to_0006_moves_website_jobs_to_their_companys_board(store_backend):
    old = open_store(**store_backend, check_schema=False)
    old.upgrade(target=5)
    now = old._ts_in(utcnow())
    with old._write() as cur:
        cur.execute("INSERT INTO companies (name, normalized_name, domain, board, pinned, created_at,"
                    " updated_at) VALUES ('Victim Corp', 'victim', 'host.example', 'website:host.example',"
                    " %s, %s, %s) RETURNING id", [old._bool_in(False), now, now])
        victim = cur.fetchone()["id"]
        for i, (company_id, norm) in enumerate([(victim, "victim"), (victim, "evil"), (None, "other")]):
            cur.execute(
                "INSERT INTO jobs (board, external_id, company_id, company, company_norm, title, url,"
                " content_hash, status, first_seen, last_seen, sort_date)"
                " VALUES ('website:host.example', %s, %s, %s, %s, 'T', 'https://host.example/j',"
                " 'h', 'open', %s, %s, %s)",
                [str(i), company_id, norm, norm, now, now, old._date_in("2024-01-01")])
        cur.execute("INSERT INTO pending_extractions (board, external_id, item, created_at) VALUES"
                    " ('website:host.example', '2', %s, %s)", [old._json_in({"company": "other"}), now])
        cur.execute("INSERT INTO jobs (board, external_id, company_norm, title, url, content_hash,"
                    " status, first_seen, last_seen, sort_date) VALUES ('greenhouse:acme', '9', 'acme',"
                    " 'T', 'https://x/9', 'h', 'open', %s, %s, %s)", [now, now, old._date_in("2024-01-01")])
        for status in ("running", "pending", "finished"):  # two active runs of one company
            cur.execute("INSERT INTO crawl_runs (source, args, company, normalized_company, country, status,"
                        " created_at, updated_at) VALUES ('api', %s, 'Acme', 'acme', 'DE', %s, %s, %s)",
                        [old._json_in({}), status, now, now])
    old.close()

    store = open_store(**store_backend)
    try:
        with store._read() as cur:
            cur.execute("SELECT external_id, board FROM jobs ORDER BY external_id")
            boards = {r["external_id"]: r["board"] for r in cur.fetchall()}
            cur.execute("SELECT board FROM pending_extractions")
            pending = [r["board"] for r in cur.fetchall()]
        # The company's jobs (even one a crawl under another name had renamed) follow the
        # company; a job of no company keeps its own name; ATS boards do not move.
        assert boards == {"0": "website:host.example/victim", "1": "website:host.example/victim",
                          "2": "website:host.example/other", "9": "greenhouse:acme"}
        assert pending == ["website:host.example/other"]
        assert store.get_company(victim)["board"] == "website:host.example/victim"
        statuses = [r["status"] for r in sorted(store.list_crawl_runs(), key=lambda r: r["id"])]
        assert statuses == ["cancelled", "pending", "finished"]
        # The new crawl's board is the moved one: its jobs are the same jobs.
        from jobos.store.records import board_for

        assert board_for({"board": "website:host.example", "company": "Victim Corp"}) == boards["0"]
    finally:
        store.close()


def _index_names(store, table: str) -> set[str]:
    with store._read() as cur:
        if store.dialect == "sqlite":
            cur.execute("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = %s"
                        " AND sql IS NOT NULL", [table])
        else:
            cur.execute("SELECT indexname AS name FROM pg_indexes WHERE tablename = %s"
                        " AND indexname <> %s", [table, f"{table}_pkey"])
        return {r["name"] for r in cur.fetchall()}


def test_upgrade_to_0019_gives_scheduler_runs_their_source(store_backend):
    old = open_store(**store_backend, check_schema=False)
    old.upgrade(target=18)
    indexes = _index_names(old, "crawl_runs")
    now = old._ts_in(utcnow())
    with old._write() as cur:
        for requested_by, source, company, status in (
                ("scheduler", "api", "Acme", "finished"), ("user:1", "api", "Beta", "running"),
                ("cli", "cli", "Gamma", "failed"), ("scheduler", "api", "Delta", "pending")):
            cur.execute("INSERT INTO crawl_runs (requested_by, source, args, company, normalized_company,"
                        " status, attempts, found, created_at, updated_at)"
                        " VALUES (%s, %s, %s, %s, %s, %s, 2, 7, %s, %s)",
                        [requested_by, source, old._json_in({"company": company}), company, company.lower(),
                         status, now, now])
        cur.execute("DELETE FROM crawl_runs WHERE company = 'Delta'")  # the highest id, gone
    before = {r["id"]: r for r in old.list_crawl_runs()}
    old.close()

    store = open_store(**store_backend)
    try:
        after = {r["id"]: r for r in store.list_crawl_runs()}
        assert after.keys() == before.keys()
        assert {r["company"]: r["source"] for r in after.values()} == {
            "Acme": "scheduler", "Beta": "api", "Gamma": "cli"}
        for run_id, run in after.items():  # every other value kept
            assert {k: v for k, v in run.items() if k != "source"} == \
                {k: v for k, v in before[run_id].items() if k != "source"}
        assert _index_names(store, "crawl_runs") == indexes
        # The one-active-run rule still holds, the new source is accepted, and no id is reused.
        run, created = store.start_crawl_run({"company": "BETA"}, "scheduler", "scheduler")
        assert not created and run["company"] == "Beta"
        run, created = store.start_crawl_run({"company": "Epsilon"}, "scheduler", "scheduler")
        assert created and run["source"] == "scheduler" and run["id"] > max(before) + 1
        with pytest.raises(ValueError, match="source must be one of"):
            store.start_crawl_run({"company": "Zeta"}, "x", "cron")
    finally:
        store.close()
