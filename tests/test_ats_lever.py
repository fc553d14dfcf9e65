"""Lever: the parser on every real corpus file, detect() on real URL forms, paging."""
from __future__ import annotations

import csv
import json
import re

import pytest
from scrapy.http import TextResponse

from jobos.ats import detect_url, lever
from jobos.ats.base import BadResponse, BoardContext, ProbeResult
from jobos.normalize.countries import country_code
from tests.corpus import corpus_dir, corpus_files

CTX = BoardContext(company="Acme")


def _files():
    try:
        return corpus_files("lever", ".json")
    except (pytest.skip.Exception, pytest.fail.Exception):
        return []


def test_corpus_has_lever_files():
    assert len(corpus_files("lever", ".json")) >= 5


@pytest.mark.parametrize("path", _files(), ids=lambda p: p.name)
def test_every_posting_of_every_corpus_file_is_parsed(path):
    data = json.loads(path.read_text(encoding="utf-8"))
    assert isinstance(data, list)  # README: Lever is a top-level array
    board = lever.detect(data[0]["hostedUrl"])
    items = lever.parse_postings_json(data, board, CTX)
    assert len(items) == len(data)
    for item, posting in zip(items, data):
        cats = posting["categories"]
        assert item["external_id"] == posting["id"]
        assert item["title"] == posting["text"].strip()
        assert item["url"] == posting["hostedUrl"]
        assert item["apply_url"] == posting["applyUrl"]
        assert item["location"] == cats["location"]
        assert item["locations"] == cats.get("allLocations")
        assert item.get("employment_type") == cats.get("commitment")
        assert item["posted_at"] == posting["createdAt"]
        assert item.get("country") == country_code(posting.get("country"))
        assert item["board"] == f"lever:{board.token}"
        if posting.get("salaryRange"):
            assert item["salary_min"] == posting["salaryRange"]["min"]
            assert item["salary_currency"] == posting["salaryRange"]["currency"]
            assert item["salary_period"] == "YEAR"
        if posting.get("lists"):
            assert posting["lists"][0]["content"] in item["description_html"]


def test_lever_directory_board_urls():
    path = corpus_dir() / "other" / "stapply-ai__ats-scrapers__boarddir_lever_lever_companies.csv"
    with open(path, newline="", encoding="utf-8") as fh:
        urls = [row["url"] for row in csv.DictReader(fh)]
    assert len(urls) > 1000
    for url in urls:
        site = url.rstrip("/").rsplit("/", 1)[1]
        board = lever.detect(url)
        if not re.fullmatch(r"[A-Za-z0-9_.-]+", site):
            assert board is None, url  # mangled entry ("1840&company")
            continue
        assert board is not None and board.token == site.lower(), url
        assert detect_url(url) == board


@pytest.mark.parametrize("url,site,host", [
    ("https://jobs.lever.co/plaid/529e32e5-d849-498f-b313-29b6cc99e593/apply", "plaid", None),
    ("https://api.lever.co/v0/postings/mamamoney?mode=json&limit=500", "mamamoney", None),
    ("https://jobs.eu.lever.co/acme", "acme", "api.eu.lever.co"),
    ("https://api.eu.lever.co/v0/postings/acme?mode=json", "acme", "api.eu.lever.co"),
])
def test_detect_url_forms(url, site, host):
    board = lever.detect(url)
    assert board.token == site and board.host == host


@pytest.mark.parametrize("url", ["https://www.lever.co/", "https://jobs.lever.co/", "https://api.lever.co/v1/x"])
def test_detect_refuses_non_boards(url):
    assert lever.detect(url) is None


def _response(req, body, status=200):
    return TextResponse(req.url, status=status, body=body, request=req,
                        headers={"Content-Type": "application/json"})


def _postings(n: int, start: int = 0) -> bytes:
    return json.dumps([{"id": f"id-{i}", "text": f"Job {i}", "categories": {"location": "Berlin"},
                        "hostedUrl": f"https://jobs.lever.co/acme/id-{i}"} for i in range(start, start + n)]).encode()


def test_paging_asks_for_the_next_page_only_after_a_full_page():
    board = lever.detect("https://jobs.lever.co/acme")
    (req,) = list(lever.start(board, CTX))
    assert "skip=0" in req.url and f"limit={lever.PAGE_SIZE}" in req.url and "mode=json" in req.url
    out = list(req.callback(_response(req, _postings(lever.PAGE_SIZE)), **req.cb_kwargs))
    nxt = [o for o in out if not hasattr(o, "fields")]
    assert len(out) - len(nxt) == lever.PAGE_SIZE and len(nxt) == 1
    assert f"skip={lever.PAGE_SIZE}" in nxt[0].url
    last = list(nxt[0].callback(_response(nxt[0], _postings(3, lever.PAGE_SIZE)), **nxt[0].cb_kwargs))
    assert [i["external_id"] for i in last] == [f"id-{i}" for i in range(lever.PAGE_SIZE, lever.PAGE_SIZE + 3)]


def test_max_jobs_stops_paging():
    board = lever.detect("https://jobs.lever.co/acme")
    ctx = BoardContext(company="Acme", max_jobs=50)
    (req,) = list(lever.start(board, ctx))
    out = list(req.callback(_response(req, _postings(lever.PAGE_SIZE)), **req.cb_kwargs))
    assert all(hasattr(o, "fields") for o in out)


def test_probe_unknown_and_malformed():
    req = lever.probe("nosuch", CTX)
    (res,) = list(req.callback(_response(req, b'{"ok":false,"error":"Document not found"}', 404), **req.cb_kwargs))
    assert isinstance(res, ProbeResult) and res.job_count == 0
    req = lever.probe("acme", CTX)
    (res,) = list(req.callback(_response(req, _postings(lever.PAGE_SIZE)), **req.cb_kwargs))
    assert res.job_count == lever.PAGE_SIZE and len(res.follow) == 1
    with pytest.raises(BadResponse):
        list(req.callback(_response(req, b'[{"id": "x", "text"'), **req.cb_kwargs))
