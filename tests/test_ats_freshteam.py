"""Freshteam: the widget feed parser on an answer in the documented shape, detect(), probes.

No recorded answer exists in the corpus; the feed follows the shape open job collectors read,
so this module is not yet checked against a real response.
"""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from scrapy.http import HtmlResponse, TextResponse

from jobos.ats import detect_url, freshteam
from jobos.ats.base import BadResponse, BoardContext

CTX = BoardContext(company="Acme")
FEED = json.loads((Path(__file__).parent / "web" / "data" / "freshteam" / "tandoorlabs.json").read_text())["feed"]
COMMON = {"company": "Acme", "company_domain": None, "source": "freshteam", "method": "api",
          "extraction_pending": False, "board": "freshteam:tandoorlabs"}


def test_every_open_job_every_field():
    items = freshteam.parse_feed_json(FEED, freshteam.board_for("tandoorlabs"), CTX)
    got = {i["external_id"]: {k: v for k, v in i.items() if k != "scraped_at"} for i in items}
    assert list(got) == ["hSxg4m", "pQ7r2k", "m8n9o0"]  # deleted and closed jobs left out
    assert got["hSxg4m"] == {**COMMON, "external_id": "hSxg4m", "title": "Android Developer",
                             "url": "https://tandoorlabs.freshteam.com/jobs/hSxg4m/android-developer",
                             "location": "Bengaluru, Karnataka", "locations": ["Bengaluru, Karnataka"],
                             "city": "Bengaluru", "region": "Karnataka", "country": "IN", "department": "Engineering",
                             "posted_at": "2026-10-05T06:30:00.000Z",
                             "description_html": "<p>Build our ordering app. See https://www.tandoorlabs.in/about</p>"}
    assert got["pQ7r2k"] == {**COMMON, "external_id": "pQ7r2k", "title": "Customer Support Executive",
                             "url": "https://tandoorlabs.freshteam.com/jobs/pQ7r2k/customer-support-executive",
                             "location": "Pune, Maharashtra", "locations": ["Pune, Maharashtra"], "city": "Pune",
                             "region": "Maharashtra", "country": "IN", "remote_flag": True, "department": "Support",
                             "posted_at": "2026-11-01T04:00:00.000Z",
                             "description_html": "<p>Help our restaurant partners.</p>"}
    assert got["m8n9o0"] == {**COMMON, "external_id": "m8n9o0", "title": "Finance Intern",
                             "url": "https://tandoorlabs.freshteam.com/jobs/m8n9o0/finance-intern",
                             "location": "Dubai, UAE", "locations": ["Dubai, UAE"], "city": "Dubai", "region": "Dubai",
                             "country": "AE", "department": "Finance", "posted_at": "2026-09-20T04:00:00.000Z",
                             "description_html": "<p>Six months with our finance team.</p>"}


@pytest.mark.parametrize("url", ["https://tandoorlabs.freshteam.com/jobs",
                                 "https://TandoorLabs.freshteam.com/jobs/hSxg4m/android-developer",
                                 "https://tandoorlabs.freshteam.com/hire/widgets/jobs.json"])
def test_detect_url_forms(url):
    board = freshteam.detect(url)
    assert (board.key, board.url) == ("freshteam:tandoorlabs", "https://tandoorlabs.freshteam.com/jobs")
    assert detect_url(url) == board


@pytest.mark.parametrize("url", ["https://www.freshteam.com/", "https://freshteam.com/jobs", "https://a.b.freshteam.com/"])
def test_detect_refuses_other_urls(url):
    assert freshteam.detect(url) is None


def test_start_probe_unknown_page_and_bad_bodies():
    board = freshteam.board_for("tandoorlabs")
    (req,) = list(freshteam.start(board, CTX))
    assert req.url == "https://tandoorlabs.freshteam.com/hire/widgets/jobs.json"
    body = json.dumps(FEED).encode()
    js = lambda r, b: TextResponse(r.url, body=b, request=r, headers={"Content-Type": "application/json"})  # noqa: E731
    page = HtmlResponse(req.url, body=b"<html><h1>not found</h1></html>", request=req,
                        headers={"Content-Type": "text/html; charset=utf-8"})
    assert len(list(req.callback(js(req, body), **req.cb_kwargs))) == 3
    assert list(req.callback(page, **req.cb_kwargs)) == []  # an unknown subdomain's page: no board
    with pytest.raises(BadResponse):
        list(req.callback(js(req, body[:60]), **req.cb_kwargs))
    preq = freshteam.probe("Tandoor Labs", CTX)
    (res,) = list(preq.callback(js(preq, body), **preq.cb_kwargs))
    assert res.job_count == 3 and "tandoorlabs.in" in res.domains
    (res,) = list(preq.callback(HtmlResponse(preq.url, body=b"<html></html>", request=preq,
                                             headers={"Content-Type": "text/html"}), **preq.cb_kwargs))
    assert res.job_count == 0
