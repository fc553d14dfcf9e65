"""Search shapes taken at scale (above the total cap, the country as the index holds it, the
date filter as the date index's expression, list rows without the tsvector), on both backends."""
from __future__ import annotations

import pytest

from jobos.store import open_store
from jobos.store.common import TOTAL_CAP
from tests.pg import pg_cluster, pg_url, store_backend  # noqa: F401 - fixtures
from tests.test_store import make_job


@pytest.fixture()
def store(store_backend):
    s = open_store(**store_backend)
    yield s
    s.close()


def _job(i: int) -> dict:
    # Every 7th job undated, every 5th of unknown country, every 3rd remote; words on the evens.
    return make_job(i, title=f"Role {i}", posted_at=None if i % 7 == 0 else f"2024-{1 + i % 12:02d}-{1 + i % 28:02d}",
                    country=None if i % 5 == 0 else ("DE" if i % 2 else "FR"),
                    workplace="remote" if i % 3 == 0 else "onsite",
                    description="alpha python" if i % 2 == 0 else "beta")


def _walk(store, pages: int, **query) -> tuple[list[str], set[str]]:
    seen, totals, cursor = [], set(), None
    for _ in range(pages):
        page = store.search_jobs(limit=60, cursor=cursor, **query)
        seen += [j["external_id"] for j in page["items"]]
        totals.add(page["total"])
        cursor = page["next_cursor"]
    return seen, totals


def test_date_pages_above_the_cap_follow_the_date_order_with_undated_last(store):
    jobs = [_job(i) for i in range(TOTAL_CAP + 50)]
    store.upsert_jobs(jobs, None)
    for order in ("desc", "asc"):
        seen, totals = _walk(store, 3, sort="posted_at", order=order)
        assert totals == {f"{TOTAL_CAP}+"}
        dated = sorted((j for j in jobs if j["posted_at"]), key=lambda j: (j["posted_at"], int(j["external_id"])),
                       reverse=order == "desc")
        # Ids break ties in the sort's direction; all three pages are dated jobs here.
        assert seen == [j["external_id"] for j in dated[:180]]
    # posted_since is written as the date index's expression: dated jobs on or after the day only.
    tail = store.search_jobs(posted_since="2024-12-01", sort="posted_at", order="asc", limit=500)
    assert tail["items"] and all(j["posted_at"] >= "2024-12-01" for j in tail["items"])


def test_country_filter_keeps_unknown_country_unless_excluded_and_hides_no_words(store):
    jobs = [_job(i) for i in range(600)]
    store.upsert_jobs(jobs, None)

    def expected(country_ok) -> str:
        return str(sum(1 for j in jobs if j["workplace"] == "remote" and "python" in j["description"]
                       and country_ok(j["country"])))

    got = store.search_jobs(q="python", country="fr", workplace="remote")
    assert got["total"] == expected(lambda c: c in ("FR", None))
    got = store.search_jobs(q="python", country="FR", workplace="remote", unknown_country=False)
    assert got["total"] == expected(lambda c: c == "FR")
    assert all(j["country"] == "FR" for j in got["items"])
    since = store.search_jobs(q="python", posted_since="2024-06-01", limit=500)
    want = {j["external_id"] for j in jobs if "python" in j["description"] and j["posted_at"]
            and j["posted_at"] >= "2024-06-01"}
    assert {j["external_id"] for j in since["items"]} == want  # undated jobs are not "since" a day


def test_list_items_carry_every_column_but_the_internal_ones(store):
    store.upsert_jobs([_job(1)], None)
    item = store.search_jobs()["items"][0]
    assert not {"search", "sort_date", "content_hash"} & set(item)
    assert {"id", "title", "url", "description", "description_html", "first_seen", "last_seen", "status",
            "duplicate_of", "language", "provenance"} <= set(item)
    assert item == {k: v for k, v in store.get_job(item["id"]).items() if k != "history"}


@pytest.mark.parametrize("walk", [True, False], ids=["walk", "top-of-all-matches"])
def test_pages_above_the_cap_are_the_same_by_either_plan(store, monkeypatch, walk):
    # Above the cap, Postgres walks the date order when matches are dense and otherwise takes
    # every match from the full-text index and sorts them (_walk_pays decides; here each plan
    # is forced in turn). Both must give what the date order says, with the cursor and
    # posted_since honoured.
    monkeypatch.setattr(type(store), "_walk_pays", staticmethod(lambda *args: walk))
    # One job in 6 matches, spread over the table as crawls spread a word's jobs.
    jobs = [make_job(i, title=f"Role {i}", posted_at=None if i % 11 == 0 else f"2024-{1 + i % 12:02d}-{1 + i % 28:02d}",
                     description="zebra keeper" if i % 6 == 0 else "plain work")
            for i in range(6 * (TOTAL_CAP + 30))]
    for start in range(0, len(jobs), 5000):
        store.upsert_jobs(jobs[start:start + 5000], None)
    wanted = sorted((j for j in jobs if j["posted_at"] and "zebra" in j["description"]),
                    key=lambda j: (j["posted_at"], int(j["external_id"])), reverse=True)
    seen, totals = _walk(store, 3, q="zebra")
    assert totals == {f"{TOTAL_CAP}+"}
    # ids break ties in the sort's direction (external ids here grow with the insert order)
    assert seen == [j["external_id"] for j in wanted[:180]]
    since = store.search_jobs(q="zebra", posted_since="2024-07-01", limit=500)
    assert {j["external_id"] for j in since["items"]} == {j["external_id"] for j in wanted if j["posted_at"] >= "2024-07-01"}
    assert since["items"] and since["total"] == str(sum(1 for j in wanted if j["posted_at"] >= "2024-07-01"))


def test_walk_pays_only_when_matches_are_dense():
    from jobos.store.search import SearchMixin

    pays = SearchMixin._walk_pays
    # 1,001 matches within the first 1,000 of 250,000 blocks (1,000,000 rows): ~250,000 matches.
    assert pays(1001, 999, 250_000, 1_000_000.0, 51)
    # The same count only at the table's end: ~1,001 matches, a walk would read ~50,000 rows.
    assert not pays(1001, 249_999, 250_000, 1_000_000.0, 51)
    # Halfway: ~2,000 matches; reading them (2,000) beats a walk (51 * 1,000,000 / 2,000).
    assert not pays(1001, 124_999, 250_000, 1_000_000.0, 51)
    # Before the first ANALYZE (no row count): four rows a block are assumed.
    assert pays(1001, 99, 1_000, -1.0, 51) and not pays(1001, 99_999, 100_000, 0.0, 51)


@pytest.mark.parametrize("walk", [True, False], ids=["walk", "bounded"])
def test_dense_pages_proven_by_the_sample_indexes_match_the_sort_order(store, monkeypatch, walk):
    # Postgres counts a dense search's matches in the sample indexes of open jobs (migration
    # 0022: a quarter of the ids) and, 1,001 there, says 1000+ without reading the full-text
    # index's list of every match; the page then walks the sort order (dense) or reads the
    # matches at or above a bound of the samples' sort keys (_pg_bounded_page; each plan forced
    # here in turn). The pages must be what the sort order says, and the plan must really have
    # been taken (on SQLite the same pages by its own plan).
    from jobos.store.search import SearchMixin

    taken, bounded = [], []
    real, real_bounded = SearchMixin._pg_samples, SearchMixin._pg_bounded_page

    def spy(self, *args):
        taken.append(real(self, *args))
        return taken[-1]

    def spy_bounded(self, *args):
        bounded.append(real_bounded(self, *args))
        return bounded[-1]

    monkeypatch.setattr(SearchMixin, "_pg_samples", spy)
    monkeypatch.setattr(SearchMixin, "_pg_bounded_page", spy_bounded)
    monkeypatch.setattr(SearchMixin, "_walk_guess", lambda self, cur, matches, page_size: walk)
    # Five jobs in six match: about 1,080 of the quarter of ids the samples hold.
    jobs = [make_job(i, title=f"Role {i:05d}", posted_at=None if i % 11 == 0 else f"2024-{1 + i % 12:02d}-{1 + i % 28:02d}",
                     description="plain work" if i % 6 == 0 else "zebra keeper")
            for i in range(5200)]
    for start in range(0, len(jobs), 5000):
        store.upsert_jobs(jobs[start:start + 5000], None)
    wanted = sorted((j for j in jobs if j["posted_at"] and "zebra" in j["description"]),
                    key=lambda j: (j["posted_at"], int(j["external_id"])), reverse=True)
    seen, totals = _walk(store, 3, q="zebra")
    assert totals == {f"{TOTAL_CAP}+"}
    assert seen == [j["external_id"] for j in wanted[:180]]
    by_title = sorted((j for j in jobs if "zebra" in j["description"]), key=lambda j: j["title"])
    seen, totals = _walk(store, 3, q="zebra", sort="title", order="asc")
    assert totals == {f"{TOTAL_CAP}+"}
    assert seen == [j["external_id"] for j in by_title[:180]]
    if store.dialect == "pg":
        assert len(taken) == 6 and all(t[0] and t[1] == walk for t in taken)
        # every page past the walk came from the bound, none from reading every match
        assert (bounded == []) if walk else (len(bounded) == 6 and all(b is not None for b in bounded))
    # Below the cap the samples prove nothing: the total stays exact (the full index answers).
    taken.clear()
    since = store.search_jobs(q="zebra", posted_since="2024-12-20", limit=500)
    expected = [j for j in wanted if j["posted_at"] >= "2024-12-20"]
    assert 0 < len(expected) <= TOTAL_CAP
    assert since["total"] == str(len(expected))
    assert [j["external_id"] for j in since["items"]] == [j["external_id"] for j in expected[:500]]
    if store.dialect == "pg":
        assert [t[0] for t in taken] == [False]
