"""HireHive: the feed parser on answers in the documented shape, nextPage paging, detect(), probes.

No recorded answer exists in the corpus; the feed follows the shape open job collectors read, so
this module is not yet checked against a real response.
"""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from scrapy.http import TextResponse

from jobos.ats import detect_url, hirehive
from jobos.ats.base import BadResponse, BoardContext

CTX = BoardContext(company="Acme")
JOBS = json.loads((Path(__file__).parent / "web" / "data" / "hirehive" / "claddagh.json").read_text())["jobs"]
COMMON = {"company": "Acme", "company_domain": None, "source": "hirehive", "method": "api",
          "extraction_pending": False, "board": "hirehive:claddagh"}


def test_every_job_every_field():
    items, nxt = hirehive.parse_feed_json({"jobs": JOBS, "nextPage": None}, hirehive.board_for("claddagh"), CTX)
    assert nxt is None
    got = [{k: v for k, v in i.items() if k != "scraped_at"} for i in items]
    assert got == [
        {**COMMON, "external_id": "90011", "title": "Product Analyst",
         "url": "https://claddagh.hirehive.com/product-analyst-galway-Jr5HUI", "location": "Galway, Ireland",
         "locations": ["Galway, Ireland"], "city": "Galway", "country": "IE", "employment_type": "Full Time",
         "department": "Product", "posted_at": 1793523600.0, "description_html": "<p>Own our product metrics.</p>"},
        {**COMMON, "external_id": "90012", "title": "Support Engineer",
         "url": "https://claddagh.hirehive.com/support-engineer-draper-Kp7QX2", "location": "Draper, UT, United States",
         "locations": ["Draper, UT, United States"], "city": "Draper", "region": "UT", "country": "US",
         "employment_type": "Full Time", "department": "Support", "posted_at": 1794128400.0,
         "description_html": "<p>Keep our customers happy.</p>"},
        {**COMMON, "external_id": "90013", "title": "Sales Development Rep",
         "url": "https://claddagh.hirehive.com/sales-development-rep-dublin-Lm3N0p", "location": "Dublin, Remote, Ireland",
         "locations": ["Dublin, Remote, Ireland"], "country": "IE", "employment_type": "Contract",
         "department": "Sales", "posted_at": 1791795600.0, "description_html": "<p>Book meetings across EMEA.</p>"},
    ]


def test_next_page_is_followed_only_on_the_same_feed():
    board = hirehive.board_for("claddagh")
    (req,) = list(hirehive.start(board, CTX))
    assert req.url == "https://claddagh.hirehive.com/api/v1/jobs"
    resp = lambda r, body: TextResponse(r.url, body=json.dumps(body).encode(), request=r)  # noqa: E731
    out = list(req.callback(resp(req, {"jobs": JOBS[:2], "nextPage": "/api/v1/jobs?take=2&skip=2"}), **req.cb_kwargs))
    assert [o["external_id"] for o in out[:2]] == ["90011", "90012"]
    assert out[2].url == "https://claddagh.hirehive.com/api/v1/jobs?take=2&skip=2"
    for away in ("https://evil.example/api/v1/jobs?take=2", "//other.hirehive.com/api/v1/jobs?skip=2", "/admin?x=1"):
        assert len(list(req.callback(resp(req, {"jobs": JOBS[:1], "nextPage": away}), **req.cb_kwargs))) == 1
    assert list(req.callback(resp(req, {"jobs": [], "nextPage": "/api/v1/jobs?skip=9"}), **req.cb_kwargs)) == []
    with pytest.raises(BadResponse):
        list(req.callback(TextResponse(req.url, body=b'{"jobs": [{"id": 1', request=req), **req.cb_kwargs))


def test_probe():
    preq = hirehive.probe("Claddagh", CTX)
    body = json.dumps({"jobs": JOBS[:2], "nextPage": "/api/v1/jobs?take=2&skip=2", "publishedJobsCount": 3}).encode()
    ok = TextResponse(preq.url, body=body, request=preq, headers={"Content-Type": "application/json"})
    (res,) = list(preq.callback(ok, **preq.cb_kwargs))
    assert (res.job_count, len(res.items), len(res.follow)) == (3, 2, 1)
    page = TextResponse(preq.url, status=302, body=b"", request=preq, headers={"Location": "https://claddagh.hirehive.com/"})
    (res,) = list(preq.callback(page, **preq.cb_kwargs))
    assert res.job_count == 0


@pytest.mark.parametrize("url", ["https://claddagh.hirehive.com/", "https://Claddagh.hirehive.com/product-analyst-galway-Jr5HUI",
                                 "https://claddagh.hirehive.com/api/v1/jobs?take=5"])
def test_detect_url_forms(url):
    board = hirehive.detect(url)
    assert (board.key, board.url) == ("hirehive:claddagh", "https://claddagh.hirehive.com/")
    assert detect_url(url) == board


@pytest.mark.parametrize("url", ["https://www.hirehive.com/", "https://hirehive.com/pricing", "https://a.b.hirehive.com/"])
def test_detect_refuses_other_urls(url):
    assert hirehive.detect(url) is None
