"""Conditional re-crawls of a career site's listing pages: a page that answers 304, or the same
content but for its nonces and tokens, is taken as read: its jobs are touched, not requested."""
from __future__ import annotations

import gzip
import tempfile
from pathlib import Path

import re

from jobos.conditional import page_hash, stable_page_text
from jobos.store import open_store
from tests.corpus import corpus_files
from tests.crawl import run_clean_crawl, run_crawl

FAST = {
    "DOWNLOAD_TIMEOUT": "10",
    "RETRY_TIMES": "1",
    "JOBOS_RETRY_BACKOFF_BASE": "0.1",
    "AUTOTHROTTLE_ENABLED": "False",
    "JOBOS_PROGRESS_INTERVAL": "0",
}
HOST = "www.sitecond-standin.test"  # tests/web/handlers/site_conditional.py
CAREERS = f"https://{HOST}/careers/"


def _crawl(web, data_dir: Path):
    return run_clean_crawl(web, company="Sitecond Standin", careers_url=CAREERS, settings=FAST, data_dir=data_dir)


def _jobs(data_dir: Path) -> dict[str, dict]:
    with open_store(data_dir=str(data_dir)) as store, store._read() as cur:
        cur.execute("SELECT url, status, last_seen, content_hash FROM jobs")
        return {row["url"].rstrip("/").rsplit("/", 1)[-1]: dict(row) for row in cur.fetchall()}


def _history(data_dir: Path) -> int:
    with open_store(data_dir=str(data_dir)) as store, store._read() as cur:
        cur.execute("SELECT count(*) AS n FROM job_history")
        return int(cur.fetchone()["n"])


def _served(web, mark: int, part: str) -> list:
    return [e.get("status") for e in web.requests_seen()[mark:] if e["url"] == f"https://{HOST}{part}"]


def _job_pages(web, mark: int) -> list[str]:
    return sorted(e["url"].rstrip("/").rsplit("/", 1)[-1] for e in web.requests_seen()[mark:]
                  if f"{HOST}/careers/job/" in e["url"])


def _assert_touched_only(second, before: dict, data_dir: Path, history: int) -> None:
    assert second.items == []  # nothing read: no record went to the pipelines
    assert second.stats.get("jobos/site/detail_pages", 0) == 0
    assert second.stats.get("jobos/llm/calls", 0) == 0
    assert second.stats.get("jobos/partial") is not True
    assert _history(data_dir) == history
    after = _jobs(data_dir)
    assert set(after) == set(before)
    for slug, job in after.items():
        assert job["status"] == "open"
        assert str(job["last_seen"]) > str(before[slug]["last_seen"])
        assert job["content_hash"] == before[slug]["content_hash"]
    assert second.stats.get("jobos/conditional/pages_touched") == len(after)
    assert second.stats.get("jobos/store/unchanged") == len(after)


def test_a_304_listing_page_touches_its_jobs_and_requests_no_job_page(web):
    web.set_state(sitecond={"pages": [["a1", "a2", "a3"]], "etag": True})
    data_dir = Path(tempfile.mkdtemp(prefix="jobos-sitecond-"))
    first = _crawl(web, data_dir)
    assert len(first.items) == 3
    before, history = _jobs(data_dir), _history(data_dir)
    mark = len(web.requests_seen())
    second = _crawl(web, data_dir)
    assert _served(web, mark, "/careers/") == [304]
    seen = web.control("GET", "/state").get("sitecond_seen")
    assert [s["path"] for s in seen] == ["/careers/"] and seen[0]["etag"].startswith('"')
    assert _job_pages(web, mark) == []
    assert second.stats.get("jobos/conditional/pages_not_modified") == 1
    _assert_touched_only(second, before, data_dir, history)


def test_a_listing_unchanged_but_for_its_nonces_is_not_read_again(web):
    web.set_state(sitecond={"pages": [["b1", "b2"]], "nonce": True})
    data_dir = Path(tempfile.mkdtemp(prefix="jobos-sitecond-"))
    first = _crawl(web, data_dir)
    assert len(first.items) == 2
    before, history = _jobs(data_dir), _history(data_dir)
    mark = len(web.requests_seen())
    second = _crawl(web, data_dir)
    assert _served(web, mark, "/careers/") == [200]  # no validators: the body, hashed
    assert not web.control("GET", "/state").get("sitecond_seen")
    assert _job_pages(web, mark) == []
    assert second.stats.get("jobos/conditional/pages_same_hash") == 1
    _assert_touched_only(second, before, data_dir, history)


def test_a_changed_listing_reads_its_new_job_and_closes_the_gone_one(web):
    web.set_state(sitecond={"pages": [["c1", "c2", "c3"]], "etag": True})
    data_dir = Path(tempfile.mkdtemp(prefix="jobos-sitecond-"))
    _crawl(web, data_dir)
    web.set_state(sitecond={"pages": [["c1", "c2", "c4"]], "etag": True})
    mark = len(web.requests_seen())
    second = _crawl(web, data_dir)
    assert _served(web, mark, "/careers/") == [200]
    assert second.stats.get("jobos/conditional/pages_not_modified") is None
    assert _job_pages(web, mark) == ["c4"]  # c1, c2: their listing entries are unchanged
    jobs = _jobs(data_dir)
    assert {s: j["status"] for s, j in jobs.items()} == {"c1": "open", "c2": "open", "c3": "closed", "c4": "open"}
    third = _crawl(web, data_dir)  # and the changed page is stored as now read
    assert third.stats.get("jobos/conditional/pages_not_modified") == 1 and third.items == []


def test_a_304_on_page_two_while_page_one_changed(web):
    web.set_state(sitecond={"pages": [["d1", "d2"], ["d3", "d4"]], "etag": True})
    data_dir = Path(tempfile.mkdtemp(prefix="jobos-sitecond-"))
    first = _crawl(web, data_dir)
    assert len(first.items) == 4
    before, history = _jobs(data_dir), _history(data_dir)
    web.set_state(sitecond={"pages": [["d1", "d5"], ["d3", "d4"]], "etag": True})
    mark = len(web.requests_seen())
    second = _crawl(web, data_dir)
    assert _served(web, mark, "/careers/") == [200]
    assert _served(web, mark, "/careers/page/2/") == [304]
    assert _job_pages(web, mark) == ["d5"]
    assert second.stats.get("jobos/conditional/pages_not_modified") == 1
    assert second.stats.get("jobos/conditional/pages_touched") == 2
    jobs = _jobs(data_dir)
    assert {s: j["status"] for s, j in jobs.items()} == {
        "d1": "open", "d2": "closed", "d3": "open", "d4": "open", "d5": "open"}
    for slug in ("d3", "d4"):  # page 2's jobs: seen again, not read
        assert str(jobs[slug]["last_seen"]) > str(before[slug]["last_seen"])
    assert _history(data_dir) == history


def test_a_304_whose_job_was_closed_since_is_read_whole(web):
    web.set_state(sitecond={"pages": [["e1", "e2"]], "etag": True})
    data_dir = Path(tempfile.mkdtemp(prefix="jobos-sitecond-"))
    _crawl(web, data_dir)
    with open_store(data_dir=str(data_dir)) as store, store._write() as cur:
        cur.execute("UPDATE jobs SET status = 'closed' WHERE url LIKE %s", ["%/e2/"])
    mark = len(web.requests_seen())
    second = _crawl(web, data_dir)
    assert _served(web, mark, "/careers/") == [304, 200]  # asked again without validators
    assert second.stats.get("jobos/conditional/pages_store_changed") == 1
    assert {s: j["status"] for s, j in _jobs(data_dir).items()} == {"e1": "open", "e2": "open"}


def test_a_page_stored_by_one_companys_crawl_is_read_whole_by_another(web):
    web.set_state(sitecond={"pages": [["f1", "f2"]], "etag": True})
    data_dir = Path(tempfile.mkdtemp(prefix="jobos-sitecond-"))
    _crawl(web, data_dir)
    mark = len(web.requests_seen())
    other = run_crawl(web, company="Another Name", careers_url=CAREERS, settings=FAST, data_dir=data_dir)
    assert other.returncode == 0, other.stderr[-3000:]
    assert _served(web, mark, "/careers/") == [200]
    assert not web.control("GET", "/state").get("sitecond_seen")  # no validators sent
    assert other.stats.get("jobos/conditional/pages_touched") is None
    assert sorted(i["title"] for i in other.items) == ["Conditional role f1", "Conditional role f2"]


# --- the page hash: what real pages change on every answer is not part of it -------------------
PAGE = ('<!DOCTYPE html><html><head><meta name="csrf-token" content="{t}">'
        '<script nonce="{n}">var x = {{"nonce":"{w}", "ajaxurl": "/a"}}; window.n = "{n}";</script></head>'
        '<body><!-- served {t} --><ul><li><a href="/jobs/1/">Engineer</a></li></ul>'
        '<input type="hidden" name="_token" value="{t}"></body></html>')


def test_page_hash_ignores_nonces_tokens_and_comments_but_not_jobs():
    one = PAGE.format(t="qF_zGph4A2vlO-CmruomBwXk", n="ynzJf0E5ICtv3OrFJcMj2X", w="a25144e020").encode()
    two = PAGE.format(t="6ctFwSkxOPxi1r8AqsvoUct0", n="mXryrd7Y-onFSqtUAAJUvP", w="f979747369").encode()
    assert one != two
    assert page_hash(one, "text/html") == page_hash(two, "text/html")
    moved = two.replace(b"/jobs/1/", b"/jobs/2/")
    assert page_hash(moved, "text/html") != page_hash(two, "text/html")
    assert page_hash(one, "text/html", "DE") != page_hash(one, "text/html")
    assert b"Engineer" in stable_page_text(one, "text/html")
    data = b'{"jobs": [{"title": "Engineer", "token": "abc12345"}]}'
    assert stable_page_text(data, "application/json") == data  # a JSON answer is taken as it is
    assert stable_page_text(gzip.compress(data, mtime=1), "") == stable_page_text(gzip.compress(data, mtime=2), "")


# What real pages in the corpus carry that changes on every answer (found by reading them): CSP
# nonces on scripts (Ashby), Rails' csrf-token meta tag, Laravel's hidden _token input, WordPress's
# "nonce" in inline script settings.
_VOLATILE = [re.compile(p) for p in (r'nonce="([^"]{8,})"', r'name="csrf-token" content="([^"]{8,})"',
                                     r'name="_token" value="([^"]{8,})"', r'"nonce":"([^"]{8,})"')]


def _another_answer(text: str) -> tuple[str, int]:
    """Return the page as a next answer would be (every volatile value replaced), and how many."""
    values = {m.group(1) for pattern in _VOLATILE for m in pattern.finditer(text)}
    for value in values:
        text = text.replace(value, value[::-1] if value[::-1] != value else value + "x")
    return text, len(values)


def test_real_pages_hash_the_same_across_their_volatile_values_and_not_across_a_job_change():
    pages = [p for kind in ("ats_html", "jsonld_html", "other") for p in corpus_files(kind, ".html")]
    varied = 0
    for path in pages:
        text = path.read_text(encoding="utf-8", errors="replace")
        again, count = _another_answer(text)
        if not count:
            continue
        varied += 1
        one, two = text.encode(), again.encode()
        assert page_hash(one, "text/html") == page_hash(two, "text/html"), path.name
        title = re.search(r"<title[^>]*>([^<]{3,})</title>", text)
        if title:  # a changed heading is a changed page
            changed = again.replace(title.group(0), title.group(0).replace(title.group(1), title.group(1) + " II"))
            assert page_hash(changed.encode(), "text/html") != page_hash(two, "text/html"), path.name
    assert varied >= 5  # the corpus has such pages: the test saw them


def test_an_unchanged_sitemap_touches_its_jobs_and_requests_no_job_page(web):
    # A careers page whose postings are only in the site's sitemaps (robots.txt -> index -> gzip
    # child): tests/web/handlers/real_shapes.py. The careers page is read each time (it leads to
    # the site's sitemaps); the index and the job sitemap answer as before: not read again.
    base = "https://www.fjellvind-kraft.no"
    data_dir = Path(tempfile.mkdtemp(prefix="jobos-sitecond-"))

    def crawl():
        result = run_crawl(web, company="Fjellvind Kraft", careers_url=f"{base}/karriere/ledige-stillinger",
                           settings=FAST, data_dir=data_dir)
        assert result.returncode == 0, result.stderr[-3000:]
        return result

    first = crawl()
    assert len(first.items) == 3
    before, history = _jobs(data_dir), _history(data_dir)
    mark = len(web.requests_seen())
    second = crawl()
    seen = [e["url"] for e in web.requests_seen()[mark:]]
    assert f"{base}/sitemap-stillinger.xml.gz" in seen
    assert not [u for u in seen if "/karriere/ledige-stillinger/" in u]  # no job page
    assert second.stats.get("jobos/conditional/pages_same_hash") == 2  # the index and the job sitemap
    assert second.stats.get("jobos/conditional/detail_checked") is None  # not even judged link by link
    _assert_touched_only(second, before, data_dir, history)
