"""Many crawls adding the same new company at once end with one row and no error, on both backends.

Each thread opens its own store (as each crawl process does) and all of them call
upsert_company in the same moment for a company no one has stored yet.
"""
from __future__ import annotations

import threading

import pytest

from jobos.store import open_store
from tests.pg import pg_cluster, pg_url, store_backend  # noqa: F401 - fixtures

THREADS = 8
ROUNDS = 6


def _at_once(store_backend, calls) -> tuple[list, list]:
    """Run each call on its own store and thread, released together; return (results, errors)."""
    stores = [open_store(**store_backend) for _ in calls]
    for s in stores:
        s.ping()  # connect before the start line, so the calls meet at the database
    gate = threading.Barrier(len(calls))
    results, errors = [None] * len(calls), []

    def run(i: int) -> None:
        gate.wait()
        try:
            results[i] = calls[i](stores[i])
        except Exception as exc:  # noqa: BLE001 - collected and asserted below
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(calls))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    for s in stores:
        s.close()
    return results, errors


def _companies(store_backend) -> list[dict]:
    store = open_store(**store_backend)
    try:
        with store._read() as cur:
            cur.execute("SELECT id, name, domain, board, careers_url FROM companies ORDER BY id")
            return cur.fetchall()
    finally:
        store.close()


@pytest.mark.parametrize("with_board", [True, False], ids=["board", "domain-only"])
def test_same_new_company_upserted_at_once_is_one_row(store_backend, with_board):
    for r in range(ROUNDS):
        domain, board = f"acme{r}.example", (f"greenhouse:acme{r}" if with_board else None)
        url = f"https://{domain}/careers"
        calls = [lambda s, i=i: s.upsert_company(["Acme", "ACME GmbH"][i % 2] + f" {r}", domain, board,
                                                 url, "slug probe") for i in range(THREADS)]
        ids, errors = _at_once(store_backend, calls)
        assert errors == []
        assert len(set(ids)) == 1 and ids[0] is not None
    rows = _companies(store_backend)
    assert len(rows) == ROUNDS
    assert {row["domain"] for row in rows} == {f"acme{r}.example" for r in range(ROUNDS)}
    if with_board:
        assert all(row["board"] and row["careers_url"] for row in rows)


def test_namesake_racing_for_a_domain_gets_its_own_row(store_backend):
    """Two companies of different names and boards on one domain, at once: two rows, one owns the domain."""
    for r in range(ROUNDS):
        domain = f"shared{r}.example"
        calls = [lambda s, i=i: s.upsert_company(f"{['Victim', 'Evil'][i % 2]} {r}", domain,
                                                 f"lever:{['victim', 'evil'][i % 2]}{r}", None, None)
                 for i in range(THREADS)]
        ids, errors = _at_once(store_backend, calls)
        assert errors == []
        assert len(set(ids[0::2])) == 1 and len(set(ids[1::2])) == 1 and ids[0] != ids[1]
    rows = _companies(store_backend)
    assert len(rows) == 2 * ROUNDS
    for r in range(ROUNDS):
        owners = [row for row in rows if row["domain"] == f"shared{r}.example"]
        assert len(owners) == 1
