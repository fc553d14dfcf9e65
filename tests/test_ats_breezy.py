"""Breezy HR: the parser on positions in the documented shape, detect() on URL forms, probes.

No recorded Breezy answer exists in the corpus; the positions here follow the shape open code
reading this feed types, so this module is not yet checked against a real response.
"""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from scrapy.http import TextResponse

from jobos.ats import breezy, detect_url
from jobos.ats.base import BadResponse, BoardContext

CTX = BoardContext(company="Acme")
DATA = json.loads((Path(__file__).parent / "web" / "data" / "breezy" / "cobaltbay.json").read_text())
COMMON = {"company": "Acme", "company_domain": None, "source": "breezy", "method": "api",
          "extraction_pending": False, "board": "breezy:cobaltbay"}


def test_every_position_every_field():
    items = breezy.parse_positions_json(DATA["positions"], breezy.detect("https://cobaltbay.breezy.hr/"), CTX)
    got = [{k: v for k, v in i.items() if k != "scraped_at"} for i in items]
    assert got == [
        {**COMMON, "external_id": "a1b2c3d4e5f6", "title": "Senior React Developer",
         "url": "https://cobaltbay.breezy.hr/p/a1b2c3d4e5f6-senior-react-developer",
         "location": "Portland, OR", "locations": ["Portland, OR"], "city": "Portland", "region": "Oregon",
         "country": "US", "employment_type": "Full-Time", "department": "Engineering",
         "posted_at": "2026-10-21T15:04:05.000Z"},
        {**COMMON, "external_id": "0f9e8d7c6b5a", "title": "Customer Support Specialist",
         "url": "https://cobaltbay.breezy.hr/p/0f9e8d7c6b5a-customer-support-specialist",
         "location": "Remote (Canada)", "locations": ["Remote (Canada)"], "country": "CA",
         "remote_flag": True, "employment_type": "Part-Time", "department": "Support",
         "posted_at": "2026-11-02T09:00:00.000Z"},
        {**COMMON, "external_id": "9a8b7c6d5e4f", "title": "Marketing Intern",
         "url": "https://cobaltbay.breezy.hr/p/9a8b7c6d5e4f-marketing-intern",
         "location": "Dublin, IE", "locations": ["Dublin, IE"], "city": "Dublin", "country": "IE",
         "employment_type": "Internship", "posted_at": "2026-09-15T12:00:00.000Z"},
    ]


def test_missing_url_and_odd_fields():
    item = breezy.parse_position({"id": "x1", "friendly_id": "x1-chef", "name": "Chef", "location": "odd",
                                  "type": ["odd"], "company": None}, breezy.board_for("acme"), CTX)
    assert item["url"] == "https://acme.breezy.hr/p/x1-chef" and "location" not in item
    assert breezy.parse_position({"id": "x2"}, breezy.board_for("acme"), CTX) is None


@pytest.mark.parametrize("url,sub", [
    ("https://cobaltbay.breezy.hr/", "cobaltbay"),
    ("https://CobaltBay.breezy.hr/p/a1b2c3d4e5f6-senior-react-developer", "cobaltbay"),
    ("https://cobalt-bay.breezy.hr/json", "cobalt-bay"),
])
def test_detect_url_forms(url, sub):
    board = breezy.detect(url)
    assert (board.key, board.url) == (f"breezy:{sub}", f"https://{sub}.breezy.hr/")
    assert detect_url(url) == board


@pytest.mark.parametrize("url", ["https://breezy.hr/", "https://www.breezy.hr/pricing",
                                 "https://app.breezy.hr/signin", "https://a.b.breezy.hr/"])
def test_detect_refuses_service_hosts(url):
    assert breezy.detect(url) is None


def _response(req, body, status=200):
    return TextResponse(req.url, status=status, body=body, request=req,
                        headers={"Content-Type": "application/json"})


def test_start_probe_and_bad_bodies():
    body = json.dumps(DATA["positions"]).encode()
    (req,) = list(breezy.start(breezy.board_for("cobaltbay"), CTX))
    assert req.url == "https://cobaltbay.breezy.hr/json"
    preq = breezy.probe("Cobalt Bay", CTX)
    assert preq.url == "https://cobaltbay.breezy.hr/json"
    (res,) = list(preq.callback(_response(preq, body), **preq.cb_kwargs))
    assert (res.job_count, res.names) == (3, ["Cobalt Bay Software"])
    (res,) = list(preq.callback(_response(preq, b"", 302), **preq.cb_kwargs))
    assert res.job_count == 0
    with pytest.raises(BadResponse):
        list(req.callback(_response(req, body[:40]), **req.cb_kwargs))
    with pytest.raises(BadResponse):
        list(req.callback(_response(req, b'{"error": "not found"}'), **req.cb_kwargs))
