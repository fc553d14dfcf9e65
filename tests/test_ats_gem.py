"""Gem: the parser on the real recorded job_posts list, detect() on URL forms, probes."""
from __future__ import annotations

import json

import pytest
from scrapy.http import TextResponse

from jobos.ats import detect_url, gem
from jobos.ats.base import BadResponse, BoardContext
from tests.corpus import corpus_dir

CTX = BoardContext(company="Acme")
REC = "gem/Manojkaipu__job-poller__gem.json"
COMMON = {"company": "Acme", "company_domain": None, "source": "gem", "method": "api",
          "extraction_pending": False, "board": "gem:gem"}


def test_every_post_every_field():
    data = json.loads((corpus_dir() / REC).read_text(encoding="utf-8"))
    items = gem.parse_posts_json(data, gem.detect("https://jobs.gem.com/gem"), CTX)
    assert len(items) == len(data) == 2
    eng, ats = (dict(i) for i in items)
    for d in (eng, ats):
        d.pop("scraped_at")
    eng_html, ats_html = eng.pop("description_html"), ats.pop("description_html")
    assert eng == {**COMMON, "external_id": "4965519002", "title": "Software Engineer",
                   "url": "https://jobs.gem.com/gem/4965519002",
                   "location": "San Francisco, United States",
                   "locations": ["San Francisco, United States"], "remote_flag": "hybrid",
                   "employment_type": "full_time", "department": "Engineering",
                   "posted_at": "2020-11-17T15:37:23.000Z"}
    # An opaque post id, as boards created in Gem have.
    assert ats == {**COMMON, "external_id": "am9icG9zdDqTzmNGwXTdU65YRLOAU6ZL",
                   "title": "Senior Software Engineer - Core ATS",
                   "url": "https://jobs.gem.com/gem/am9icG9zdDqTzmNGwXTdU65YRLOAU6ZL",
                   "location": "San Francisco, United States",
                   "locations": ["San Francisco, United States"], "remote_flag": "hybrid",
                   "employment_type": "full_time", "department": "Engineering",
                   "posted_at": "2025-12-04T18:31:33.628Z"}
    assert eng_html.startswith('<h2>Role Details</h2><ul><li class=""><strong>Location:</strong> This role')
    assert ats_html.startswith("<h2><strong>About Gem </strong></h2><div>Gem is the only AI-first")


def test_offices_add_locations_and_fallbacks():
    post = {"id": 7, "title": " Nurse ", "location": {"name": "Austin, TX"}, "created_at": "2026-01-02",
            "offices": [{"location": {"name": "Austin, TX"}}, {"location": {"name": "Denver, CO"}}, "x"],
            "departments": "not a list"}
    item = gem.parse_post(post, gem.detect("https://jobs.gem.com/Clinic/123"), CTX)
    assert (item["external_id"], item["title"], item["url"]) == ("7", "Nurse", "https://jobs.gem.com/clinic/7")
    assert item["locations"] == ["Austin, TX", "Denver, CO"] and item["location"] == "Austin, TX"
    assert item["posted_at"] == "2026-01-02" and "department" not in item


@pytest.mark.parametrize("url,name", [
    ("https://jobs.gem.com/gem", "gem"),
    ("https://jobs.gem.com/Acme-Robotics/am9icG9zdDqTzmNGwXTdU65YRLOAU6ZL", "acme-robotics"),
    ("https://api.gem.com/job_board/v0/acme/job_posts/", "acme"),
])
def test_detect_url_forms(url, name):
    board = gem.detect(url)
    assert (board.token, board.url) == (name, f"https://jobs.gem.com/{name}")
    assert detect_url(url) == board


@pytest.mark.parametrize("url", [
    "https://www.gem.com/careers", "https://jobs.gem.com/", "https://api.gem.com/v0/users",
    "https://jobs.gem.com/static/app.js", "https://gem.com/jobs/acme",
])
def test_detect_refuses_other_urls(url):
    assert gem.detect(url) is None


def _response(req, body, status=200):
    return TextResponse(req.url, status=status, body=body, request=req,
                        headers={"Content-Type": "application/json"})


def test_start_probe_and_bad_bodies():
    body = (corpus_dir() / REC).read_bytes()
    (req,) = list(gem.start(gem.detect("https://jobs.gem.com/gem"), CTX))
    assert req.url == "https://api.gem.com/job_board/v0/gem/job_posts"
    assert len(list(req.callback(_response(req, body), **req.cb_kwargs))) == 2
    preq = gem.probe("Gem", CTX)
    (res,) = list(preq.callback(_response(preq, body), **preq.cb_kwargs))
    assert res.job_count == 2
    (res,) = list(preq.callback(_response(preq, b'{"error":"not found"}', 404), **preq.cb_kwargs))
    assert res.job_count == 0
    with pytest.raises(BadResponse):
        list(req.callback(_response(req, b'[{"id": "1"'), **req.cb_kwargs))
    with pytest.raises(BadResponse):
        list(req.callback(_response(req, b'{"job_posts": []}'), **req.cb_kwargs))
