"""Migrations: from an empty database, from the previous version, refusal, parallel starts."""
from __future__ import annotations

import threading

import pytest

from jobos.store import SchemaOutdated, latest_version, open_store
from jobos.store.records import content_hash, prepare
from tests.pg import pg_cluster, pg_url, store_backend  # noqa: F401 - fixtures
from tests.test_store import make_job


def test_migrations_from_empty(store_backend):
    store = open_store(**store_backend, check_schema=False)
    try:
        assert store.schema_version() == 0
        applied = store.upgrade()
        assert applied == store.known_migrations() == ["0001_base", "0002_crawl_attempts"]
        assert store.schema_version() == latest_version(store.dialect) == 2
        assert store.upgrade() == []  # idempotent
    finally:
        store.close()


def test_upgrade_from_previous_version_keeps_data(store_backend):
    old = open_store(**store_backend, check_schema=False)
    assert old.upgrade(target=1) == ["0001_base"]
    job = prepare(make_job(1))
    with old._write() as cur:  # written the way a 0001-era JobOS wrote it
        cur.execute(
            "INSERT INTO jobs (board, external_id, title, url, company, company_norm, country,"
            " posted_at, content_hash, status, first_seen, last_seen, sort_date, salary_min,"
            " salary_max, description, company_domain, source, method, location, city,"
            " workplace, employment_type, salary_currency, salary_period)"
            " VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, 'open', %s, %s, %s, %s, %s, %s, %s, %s,"
            " %s, %s, %s, %s, %s, %s, %s)",
            [job.board, job.external_id, job.values["title"], job.values["url"], "Acme GmbH", "acme",
             "DE", old._date_in("2024-03-02"), content_hash(job.values),
             old._ts_in(job.scraped_at), old._ts_in(job.scraped_at), old._date_in("2024-03-02"),
             job.values["salary_min"], job.values["salary_max"], job.values["description"],
             "acme.com", "greenhouse", "api", "Berlin, Germany", "Berlin", "onsite", "FULL_TIME",
             "EUR", "YEAR"],
        )
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
        assert store.schema_version() == 2
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
            versions.append(store.schema_version())
            store.close()
        except Exception as exc:  # noqa: BLE001 - collected and asserted below
            errors.append(exc)

    threads = [threading.Thread(target=start) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == [] and versions == [2, 2, 2, 2]
    store = open_store(**store_backend)
    with store._read() as cur:
        cur.execute("SELECT count(*) AS n FROM schema_migrations")
        assert cur.fetchone()["n"] == 2
    store.close()
