"""The storage suite: the same tests on SQLite and on a real PostgreSQL cluster."""
from __future__ import annotations

from datetime import timedelta

import pytest

from jobos.store import InvalidCursor, open_store
from jobos.store.common import TOTAL_CAP
from tests.pg import pg_cluster, pg_url, store_backend  # noqa: F401 - fixtures

BOARD = "greenhouse:acme"


def make_job(i: int, board: str = BOARD, **over) -> dict:
    job = {
        "board": board,
        "company": "Acme GmbH",
        "company_domain": "acme.com",
        "source": board.split(":")[0],
        "method": "api",
        "external_id": str(i),
        "title": f"Engineer {i}",
        "url": f"https://boards.example/acme/jobs/{i}",
        "location": "Berlin, Germany",
        "city": "Berlin",
        "country": "DE",
        "workplace": "onsite",
        "employment_type": "FULL_TIME",
        "salary_min": 50000 + i,
        "salary_max": 70000 + i,
        "salary_currency": "EUR",
        "salary_period": "YEAR",
        "posted_at": f"2024-03-{(i % 28) + 1:02d}",
        "description": f"We build things with Python. Job number {i}.",
        "scraped_at": "2024-04-01T10:00:00Z",
        "extraction_pending": False,
        "provenance": {"title": {"method": "api", "quote": None}},
    }
    job.update(over)
    return job


@pytest.fixture()
def store(store_backend):
    s = open_store(**store_backend)
    yield s
    s.close()


def history_count(store) -> int:
    with store._read() as cur:
        cur.execute("SELECT count(*) AS n FROM job_history")
        return int(cur.fetchone()["n"])


def job_by_ext(store, ext: str, board: str = BOARD) -> dict:
    with store._read() as cur:
        cur.execute("SELECT id FROM jobs WHERE board = %s AND external_id = %s", [board, ext])
        return store.get_job(cur.fetchone()["id"])


def test_recrawl_with_nothing_changed_only_touches_last_seen(store):
    jobs = [make_job(i) for i in range(20)]
    first = store.upsert_jobs(jobs, None)
    assert (first.new, first.updated, first.unchanged) == (20, 0, 0)
    before = job_by_ext(store, "3")
    again = [make_job(i, scraped_at="2024-04-02T10:00:00Z") for i in range(20)]
    second = store.upsert_jobs(again, None)
    assert (second.new, second.updated, second.unchanged, second.reopened) == (0, 0, 20, 0)
    after = job_by_ext(store, "3")
    assert history_count(store) == 0
    assert after["last_seen"] > before["last_seen"]
    assert after["first_seen"] == before["first_seen"]
    assert after["scraped_at"] == before["scraped_at"]  # only last_seen moves
    assert store.job_count() == 20


def test_unchanged_job_takes_new_extraction_flag_and_crawl(store):
    store.upsert_jobs([make_job(1, extraction_pending=True), make_job(2)], None)
    result = store.upsert_jobs([make_job(1, extraction_pending=False),
                                make_job(2, extraction_pending=True)], 5)
    assert (result.new, result.updated, result.unchanged) == (0, 0, 2)
    one, two = job_by_ext(store, "1"), job_by_ext(store, "2")
    assert one["extraction_pending"] is False and two["extraction_pending"] is True
    assert one["last_crawl_id"] == two["last_crawl_id"] == 5
    assert history_count(store) == 0


def test_changed_job_writes_one_history_row(store):
    store.upsert_jobs([make_job(i) for i in range(5)], 1)
    changed = [make_job(i) for i in range(5)]
    changed[2]["title"] = "Senior Engineer 2"
    changed[2]["salary_max"] = 90000
    result = store.upsert_jobs(changed, 2)
    assert (result.updated, result.unchanged) == (1, 4)
    job = job_by_ext(store, "2")
    assert job["title"] == "Senior Engineer 2"
    assert job["salary_max"] == 90000
    assert len(job["history"]) == 1
    entry = job["history"][0]
    assert sorted(entry["changed_fields"]) == ["salary_max", "title"]
    assert entry["old_values"] == {"title": "Engineer 2", "salary_max": 70002.0}
    assert entry["crawl_id"] == 2
    assert history_count(store) == 1


def test_close_missing_then_reopen_with_history(store):
    store.upsert_jobs([make_job(i) for i in range(6)], None)
    closed = store.close_missing(BOARD, {"0", "1", "2", "3"}, None, None)
    assert closed == 2
    gone = job_by_ext(store, "5")
    assert gone["status"] == "closed" and gone["closed_at"]
    assert job_by_ext(store, "0")["status"] == "open"
    assert store.close_missing(BOARD, {"0", "1", "2", "3"}, None, None) == 0  # already closed
    result = store.upsert_jobs([make_job(5)], None)
    assert (result.reopened, result.updated, result.new) == (1, 0, 0)
    back = job_by_ext(store, "5")
    assert back["status"] == "open" and back["closed_at"] is None
    assert back["history"][-1]["changed_fields"] == ["status"]
    assert back["history"][-1]["old_values"]["status"] == "closed"


def test_country_scoped_close_never_touches_other_countries(store):
    jobs = [make_job(1, country="DE"), make_job(2, country="DE"), make_job(3, country="US"),
            make_job(4, country=None), make_job(5, country="US", board="lever:other")]
    store.upsert_jobs(jobs, None)
    # A DE crawl that saw only job 1: job 2 (DE) closes; US and unknown-country jobs stay open.
    assert store.close_missing(BOARD, {"1"}, "de", None) == 1
    status = {e: job_by_ext(store, e)["status"] for e in ("1", "2", "3", "4")}
    assert status == {"1": "open", "2": "closed", "3": "open", "4": "open"}
    # A crawl without a country filter closes everything of the board it did not see.
    assert store.close_missing(BOARD, {"1"}, None, None) == 2
    assert job_by_ext(store, "5", board="lever:other")["status"] == "open"


def test_relative_posted_at_stays_anchored(store):
    store.upsert_jobs([make_job(1, posted_at="2024-03-01", posted_text="Posted 3 days ago")], None)
    later = store.upsert_jobs([make_job(1, posted_at="2024-03-04", posted_text="Posted 6 days ago")], None)
    assert later.unchanged == 1
    assert job_by_ext(store, "1")["posted_at"] == "2024-03-01"
    # Much earlier than stored: real information, the job changes.
    earlier = store.upsert_jobs([make_job(1, posted_at="2024-02-01", posted_text="30+ days ago")], None)
    assert earlier.updated == 1
    assert job_by_ext(store, "1")["posted_at"] == "2024-02-01"
    # A structured date (no posted_text) is taken as is.
    exact = store.upsert_jobs([make_job(1, posted_at="2024-02-03")], None)
    assert exact.updated == 1


def test_invalid_items_are_counted_not_raised(store):
    result = store.upsert_jobs([make_job(1), {"title": "no url"}, make_job(2, title="")], None)
    assert (result.new, result.invalid) == (1, 2)


def test_search_full_text_filters_and_pages(store):
    jobs = [make_job(i, title=f"Python Developer {i}" if i % 2 else f"Sales Manager {i}",
                     description="Work with Django and Postgres" if i % 2 else "Sell software",
                     country="DE" if i % 3 else "US",
                     workplace="remote" if i % 4 == 0 else "onsite")
            for i in range(40)]
    store.upsert_jobs(jobs, None)
    found = store.search_jobs(q="python", limit=100)
    assert found["total"] == "20"
    assert all("Python" in j["title"] for j in found["items"])
    assert store.search_jobs(q="django postgres")["total"] == "20"  # description words, ANDed
    assert store.search_jobs(q="django sell")["total"] == "0"
    de_remote = store.search_jobs(country="de", workplace="remote", limit=100)["items"]
    assert de_remote and all(j["country"] == "DE" and j["workplace"] == "remote" for j in de_remote)
    assert len(de_remote) == sum(1 for i in range(40) if i % 3 and i % 4 == 0)
    assert store.search_jobs(company="ACME")["total"] == "40"  # normalized name, suffix dropped
    assert store.search_jobs(company="Other Corp")["total"] == "0"
    assert store.search_jobs(q="; DROP TABLE jobs; --")["total"] == "0"
    assert store.job_count() == 40

    # Cursor pages cover every match once, in order.
    seen, cursor, pages = [], None, 0
    while True:
        page = store.search_jobs(q="python", limit=7, cursor=cursor, sort="title", order="asc")
        seen += [j["title"] for j in page["items"]]
        pages += 1
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert pages == 3
    assert seen == sorted(j["title"] for j in jobs if "Python" in j["title"])

    by_date = store.search_jobs(limit=100)["items"]
    dates = [j["posted_at"] for j in by_date]
    assert dates == sorted(dates, reverse=True)
    since = store.search_jobs(posted_since="2024-03-20", limit=100)["items"]
    assert since and all(j["posted_at"] >= "2024-03-20" for j in since)

    with pytest.raises(InvalidCursor):
        store.search_jobs(q="python", cursor="bm90LWEtY3Vyc29y")
    first = store.search_jobs(q="python", limit=7, sort="title", order="asc")
    with pytest.raises(InvalidCursor):
        store.search_jobs(q="python", cursor=first["next_cursor"], sort="title", order="desc")


def test_search_status_filter(store):
    store.upsert_jobs([make_job(i) for i in range(4)], None)
    store.close_missing(BOARD, {"0"}, None, None)
    assert store.search_jobs()["total"] == "1"
    assert store.search_jobs(status="closed")["total"] == "3"
    assert store.search_jobs(status="all")["total"] == "4"


def test_search_total_is_capped(store):
    assert TOTAL_CAP == 1000  # the documented meaning of total: exact up to 1,000, then "1000+"
    store.upsert_jobs([make_job(i, title=f"Role {i}") for i in range(TOTAL_CAP + 50)], None)
    result = store.search_jobs(limit=10)
    assert result["total"] == "1000+"
    assert len(result["items"]) == 10 and result["next_cursor"]
    assert store.search_jobs(q=f"role {TOTAL_CAP + 49}")["total"] == "1"
    store.close_missing(BOARD, {str(i) for i in range(TOTAL_CAP)})  # exactly the cap left open
    assert store.search_jobs(limit=10)["total"] == str(TOTAL_CAP)


def test_get_job_has_contract_fields_provenance_history(store):
    store.upsert_jobs([make_job(1)], 7)
    job = job_by_ext(store, "1")
    from jobos.items import CONTRACT_FIELDS

    assert set(CONTRACT_FIELDS) <= set(job)
    assert job["provenance"] == {"title": {"method": "api", "quote": None}}
    assert job["history"] == [] and job["status"] == "open"
    assert job["posted_at"] == "2024-03-02" and job["salary_min"] == 50001
    assert store.get_job(999_999) is None


def test_companies_identified_by_domain_or_board(store):
    first = store.upsert_company("Acme GmbH", "acme.com", BOARD, "https://acme.com/careers", "slug probe")
    again = store.upsert_company("ACME", "Acme.com", BOARD, None, None)
    by_domain = store.upsert_company("Acme Inc", "acme.com", None, None, None)
    assert first == again == by_domain
    other = store.upsert_company("Acme", "acme-consulting.co.uk", "lever:acmeconsulting", None, None)
    assert other != first  # a namesake with another domain is another company
    store.upsert_jobs([make_job(i) for i in range(3)] + [make_job(9, country="US")], None)
    company = store.get_company(first)
    assert company["open_jobs"] == 4 and company["board"] == BOARD
    assert company["careers_url"] == "https://acme.com/careers" and company["reason"] == "slug probe"
    assert company["last_crawl_at"]
    listed = store.list_companies(q="acme")["items"]
    assert {c["id"] for c in listed} == {first, other}
    assert [c["id"] for c in store.list_companies(country="US")["items"]] == [first]
    page = store.list_companies(limit=1)
    assert len(page["items"]) == 1 and page["next_cursor"]
    rest = store.list_companies(limit=1, cursor=page["next_cursor"])["items"]
    assert rest and rest[0]["id"] != page["items"][0]["id"]

    pinned = store.update_company(first, board="workday:acme/wd5/External")
    assert pinned["pinned"] is True and pinned["board"] == "workday:acme/wd5/External"
    store.upsert_company("Acme", "acme.com", None, "https://wrong.example/jobs", "search")
    assert store.get_company(first)["careers_url"] == "https://acme.com/careers"  # pinned stays
    with pytest.raises(ValueError):
        store.update_company(first, open_jobs=3)
    with pytest.raises(ValueError):
        store.upsert_company("Acme", None, None, None, None)
    assert store.get_company(123456) is None

    assert store.companies_due_for_refresh(timedelta(hours=1)) == []
    due = store.companies_due_for_refresh(timedelta(seconds=0))
    assert {c["id"] for c in due} == {first, other}


def test_crawl_runs(store):
    args = {"company": "Acme GmbH", "country": "DE", "careers_url": None}
    crawl_id = store.create_crawl_run(args, "alice", "api")
    run = store.get_crawl_run(crawl_id)
    assert run["status"] == "pending" and run["args"] == args and run["requested_by"] == "alice"
    assert store.find_active_crawl("ACME", "de")["id"] == crawl_id
    assert store.find_active_crawl("Acme", None) is None
    assert store.find_active_crawl("Acme", "US") is None
    store.update_crawl_run(crawl_id, status="running", step="discovery", pages=3, found=2,
                           started_at="2024-04-01T10:00:00Z", scrapyd_job_id="abc", node="n1",
                           attempts=1)
    run = store.get_crawl_run(crawl_id)
    assert (run["status"], run["step"], run["pages"], run["found"], run["node"], run["attempts"]) == (
        "running", "discovery", 3, 2, "n1", 1)
    assert run["started_at"].startswith("2024-04-01T10:00:00")
    store.update_crawl_run(crawl_id, status="finished", error_summary="http_429: 2")
    assert store.find_active_crawl("Acme GmbH", "DE") is None
    other = store.create_crawl_run({"company": "Beta"}, None, "cli")
    assert [r["id"] for r in store.list_crawl_runs()] == [other, crawl_id]
    assert [r["id"] for r in store.list_crawl_runs(status="finished")] == [crawl_id]
    with pytest.raises(ValueError):
        store.update_crawl_run(crawl_id, company="x")
    with pytest.raises(ValueError):
        store.update_crawl_run(crawl_id, status="exploded")
    assert store.get_crawl_run(99999) is None


def test_pending_and_llm_cache(store):
    assert store.llm_cache_get("h1") is None
    store.llm_cache_put("h1", "qwen2.5:3b", {"title": "Engineer", "quotes": {"title": "Engineer"}})
    store.llm_cache_put("h1", "qwen2.5:3b", {"title": "Engineer II"})
    cached = store.llm_cache_get("h1")
    assert cached["result"] == {"title": "Engineer II"} and cached["model"] == "qwen2.5:3b"

    item = make_job(1, board="website:acme.com", method="html", page_markdown="# Engineer\nBerlin",
                    extraction_pending=True)
    store.add_pending(item)
    store.add_pending(item)  # same key: one row
    store.add_pending(make_job(2, board="website:acme.com", page_markdown="# Two"))
    pending = store.list_pending()
    # A site's board is the company's on that site (make_job's company is Acme GmbH).
    assert [(p["board"], p["external_id"]) for p in pending] == [("website:acme.com/acme", "1"),
                                                               ("website:acme.com/acme", "2")]
    assert pending[0]["page_markdown"] == "# Engineer\nBerlin" and pending[0]["title"] == "Engineer 1"
    store.resolve_pending("website:acme.com/acme", "1")
    assert [p["external_id"] for p in store.list_pending()] == ["2"]


def test_users_profiles_roles_and_audit(store):
    uid = store.create_user("Admin@Example.com", "argon2$hash", "admin")
    user = store.get_user_by_email("admin@example.COM")
    assert user["id"] == uid and user["role"] == "admin" and user["password_hash"] == "argon2$hash"
    with pytest.raises(ValueError):
        store.create_user("admin@example.com", "x", "viewer")
    with pytest.raises(ValueError):
        store.create_user("b@example.com", "x", "superuser")
    profile = store.get_or_create_profile("sub-1", "p@example.com", "https://issuer.example", "viewer")
    same = store.get_or_create_profile("sub-1", None, "https://issuer.example")
    assert profile["id"] == same["id"] != uid and same["email"] == "p@example.com"
    assert same["role"] == "viewer"
    assert store.set_role(profile["id"], "user") is True
    assert store.get_user(profile["id"])["role"] == "user"
    assert store.set_role(uid, "viewer") and store.get_user(uid)["role"] == "viewer"
    assert store.set_role(424242, "user") is False
    assert store.get_user(424242) is None
    store.audit("admin@example.com", "set_role", f"profile:{profile['id']}", {"role": "user"})
    store.audit("alice", "cancel_crawl", "crawl:3", {})
    entries = store.list_audit()
    assert [e["action"] for e in entries] == ["cancel_crawl", "set_role"]
    assert entries[1]["detail"] == {"role": "user"} and entries[1]["at"]
    assert store.ping() is True


def test_content_hash_is_stable_across_versions():
    # Digests computed by the store before the fast path (0001/0002 era). Stored hashes decide
    # "unchanged": if these move, every stored job looks changed on its next crawl.
    from jobos.store.records import canonical, content_hash, prepare
    from jobos.items import CONTRACT_FIELDS

    plain = prepare(make_job(1))
    odd = prepare(make_job(2, country=" de", salary_min=float("nan"), salary_max="90000",
                           posted_at="2024-03-05T10:00:00Z", city="", department=["a"]))
    assert plain.content_hash == "c97aff1c78da5d7b316ccc6e6065b45d051bb5dfd375065b74994d8ea3ed871f"
    assert odd.content_hash == "1459c61d7acd0d500f55715708fe9425b86dd840a5fa1839604253f3a47f2928"
    # The inline fast path agrees with canonical() field by field, and with content_hash().
    raw = make_job(2, country=" de", salary_min=float("nan"), salary_max="90000",
                   posted_at="2024-03-05T10:00:00Z", city="", department=["a"])
    for f in CONTRACT_FIELDS:
        if f in odd.values and f != "external_id":
            assert odd.values[f] == canonical(f, raw.get(f)), f
    assert content_hash(odd.values) == odd.content_hash
    assert odd.values["country"] == "DE" and odd.values["salary_min"] is None
    assert odd.values["salary_max"] == 90000.0 and odd.values["posted_at"] == "2024-03-05"


def test_search_pages_agree_below_and_above_the_total_cap(store):
    # Below the cap a page comes from the capped match set, above it from the sorted walk:
    # both must give the same order, the same total on every page, and a last page whose
    # cursor ends the walk.
    n = 2 * TOTAL_CAP + 50
    store.upsert_jobs([make_job(i, title=f"Role {i}", description="alpha" if i % 4 == 1 else "beta")
                       for i in range(n)], None)
    alpha = sum(1 for i in range(n) if i % 4 == 1)
    assert alpha < TOTAL_CAP < n - alpha
    for q, total in (("alpha", str(alpha)), ("beta", f"{TOTAL_CAP}+"), (None, f"{TOTAL_CAP}+")):
        seen, cursor = [], None
        for _ in range(3):
            page = store.search_jobs(q=q, limit=40, cursor=cursor, sort="title", order="desc")
            assert page["total"] == total
            seen += [j["title"] for j in page["items"]]
            cursor = page["next_cursor"]
        expected = sorted((f"Role {i}" for i in range(n) if q is None or (i % 4 == 1) == (q == "alpha")),
                          reverse=True)
        assert seen == expected[:120]
    few = store.search_jobs(q="alpha role 9", limit=1)
    assert few["total"] == "1" and few["next_cursor"] is None
    assert [j["title"] for j in few["items"]] == ["Role 9"]
    # A cursor past the last match (its jobs closed meanwhile): no items, the total still there.
    past_end = store._encode_cursor("title", "desc", "", 0)
    empty = store.search_jobs(q="alpha", limit=5, cursor=past_end, sort="title", order="desc")
    assert (empty["items"], empty["total"], empty["next_cursor"]) == ([], str(alpha), None)
    page = store.search_jobs(q="alpha", limit=alpha, cursor=None)
    assert page["total"] == str(alpha) and len(page["items"]) == 500 and page["next_cursor"]


def test_sort_by_date_puts_undated_jobs_last_in_both_directions_across_pages(store):
    dated = [make_job(i, posted_at=f"2024-03-{i + 1:02d}") for i in range(5)]
    undated = [make_job(100 + i, posted_at=None) for i in range(4)]
    store.upsert_jobs(dated + undated, None)
    for order in ("desc", "asc"):
        seen, cursor = [], None
        while True:  # pages of 2 walk through the dated jobs and then the undated ones
            page = store.search_jobs(sort="posted_at", order=order, limit=2, cursor=cursor)
            seen += [j["posted_at"] for j in page["items"]]
            cursor = page["next_cursor"]
            if cursor is None:
                break
        days = sorted((f"2024-03-{i + 1:02d}" for i in range(5)), reverse=order == "desc")
        assert seen == days + [None] * 4, order
