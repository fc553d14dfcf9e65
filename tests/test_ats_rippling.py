"""Rippling: the parser on the real recorded board list, detect() on URL forms."""
from __future__ import annotations

import json

import pytest
from scrapy.http import TextResponse

from jobos.ats import detect_url, rippling
from jobos.ats.base import BadResponse, BoardContext
from tests.corpus import corpus_dir

CTX = BoardContext(company="Acme")
REC = "rippling/konstantinosanagn__ergon__rippling_11fs_jobs.json"
COMMON = {"company": "Acme", "company_domain": None, "source": "rippling", "method": "api",
          "extraction_pending": False, "board": "rippling:11fs-group-ltd"}


def test_every_job_every_field():
    data = json.loads((corpus_dir() / REC).read_text(encoding="utf-8"))
    items = rippling.parse_jobs_json(data, rippling.detect("https://ats.rippling.com/11fs-group-ltd/jobs"), CTX)
    assert len(items) == len(data) == 2
    got = [{k: v for k, v in i.items() if k != "scraped_at"} for i in items]
    assert got == [
        {**COMMON, "external_id": "3c36e9c8-1bee-45a2-94fe-09f10ccbe10f", "title": "Senior Sales Executive",
         "url": "https://ats.rippling.com/11fs-group-ltd/jobs/3c36e9c8-1bee-45a2-94fe-09f10ccbe10f",
         "location": "London, United Kingdom", "locations": ["London, United Kingdom"], "department": "Pulse"},
        {**COMMON, "external_id": "480c597a-867b-4f9f-b7e4-693b27cc6e9a",
         "title": "Director, Strategic Solutions",
         "url": "https://ats.rippling.com/11fs-group-ltd/jobs/480c597a-867b-4f9f-b7e4-693b27cc6e9a",
         "location": "Remote (United States)", "locations": ["Remote (United States)"],
         "department": "Business Development"},
    ]


@pytest.mark.parametrize("url,slug", [
    ("https://ats.rippling.com/11fs-group-ltd/jobs", "11fs-group-ltd"),
    ("https://ats.rippling.com/Acme/jobs/3c36e9c8-1bee-45a2-94fe-09f10ccbe10f", "acme"),
    ("https://ats.rippling.com/en-GB/acme/jobs", "acme"),
    ("https://api.rippling.com/platform/api/ats/v1/board/acme/jobs", "acme"),
])
def test_detect_url_forms(url, slug):
    board = rippling.detect(url)
    assert (board.token, board.url) == (slug, f"https://ats.rippling.com/{slug}/jobs")
    assert detect_url(url) == board


@pytest.mark.parametrize("url", [
    "https://www.rippling.com/careers", "https://ats.rippling.com/", "https://api.rippling.com/platform/api/me",
    "https://app.rippling.com/acme/jobs",
])
def test_detect_refuses_other_urls(url):
    assert rippling.detect(url) is None


def _response(req, body, status=200):
    return TextResponse(req.url, status=status, body=body, request=req,
                        headers={"Content-Type": "application/json"})


def test_start_and_bad_bodies():
    (req,) = list(rippling.start(rippling.detect("https://ats.rippling.com/acme/jobs"), CTX))
    assert req.url == "https://api.rippling.com/platform/api/ats/v1/board/acme/jobs"
    assert not hasattr(rippling, "probe")  # the list shows no company name or domain
    with pytest.raises(BadResponse):
        list(req.callback(_response(req, b'[{"uuid": "1"'), **req.cb_kwargs))
    with pytest.raises(BadResponse):
        list(req.callback(_response(req, b'{"detail": "Not found."}'), **req.cb_kwargs))
    rows = [{"uuid": "u1", "name": "Chef", "workLocation": "odd", "department": None}, {"uuid": "u2"}, 5]
    (item,) = list(req.callback(_response(req, json.dumps(rows).encode()), **req.cb_kwargs))
    assert (item["external_id"], item["url"]) == ("u1", "https://ats.rippling.com/acme/jobs/u1")
    assert "location" not in item and "department" not in item
