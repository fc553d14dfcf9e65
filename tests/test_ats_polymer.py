"""Polymer: list and detail parsers on answers in the documented shape, paging, probe, detect().

No recorded answer exists in the corpus; answers follow Polymer's public API as open code reads
it, so this module is not yet checked against a real response.
"""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from scrapy.http import TextResponse

from jobos.ats import detect_url, polymer
from jobos.ats.base import BadResponse, BoardContext

CTX = BoardContext(company="Acme")
BOARD = json.loads((Path(__file__).parent / "web" / "data" / "polymer" / "brightpath.json").read_text())
ITEMS = [{k: v for k, v in j.items() if k != "detail"} for j in BOARD["jobs"]]
COMMON = {"company": "Acme", "company_domain": None, "source": "polymer", "method": "api",
          "extraction_pending": False, "board": "polymer:brightpath"}


def _resp(req, body, status=200):
    return TextResponse(req.url, status=status, body=body, request=req, headers={"Content-Type": "application/json"})


def test_list_detail_every_field():
    board = polymer.board_for("brightpath")
    (req,) = list(polymer.start(board, CTX))
    assert req.url == "https://api.polymer.co/v1/hire/organizations/brightpath/jobs?page=1&per_page=50"
    page = {"items": ITEMS[:2], "meta": {"total": 3, "count": 2, "page": 1, "is_last": False, "next_page": 2,
                                          "organization_name": "BrightPath Tutoring"}}
    out = list(req.callback(_resp(req, json.dumps(page).encode()), **req.cb_kwargs))
    assert [o.url for o in out] == [
        "https://api.polymer.co/v1/hire/organizations/brightpath/jobs/38850",
        "https://api.polymer.co/v1/hire/organizations/brightpath/jobs/38851",
        "https://api.polymer.co/v1/hire/organizations/brightpath/jobs?page=2&per_page=50"]  # paged by the answered size
    tutor, designer = out[0], out[1]
    (t,) = list(tutor.callback(_resp(tutor, json.dumps({**ITEMS[0], **BOARD["jobs"][0]["detail"]}).encode()), **tutor.cb_kwargs))
    assert {k: v for k, v in t.items() if k != "scraped_at"} == {
        **COMMON, "external_id": "38850", "title": "Math Tutor (Part-Time)",
        "url": "https://jobs.polymer.co/brightpath/38850", "location": "Austin, TX", "locations": ["Austin, TX"],
        "employment_type": "Part-time", "department": "Academics",
        "description_html": "<p>Help high school students master algebra.</p>"}
    (d,) = list(designer.callback(_resp(designer, json.dumps({**ITEMS[1], **BOARD["jobs"][1]["detail"]}).encode()), **designer.cb_kwargs))
    assert {k: v for k, v in d.items() if k != "scraped_at"} == {
        **COMMON, "external_id": "38851", "title": "Curriculum Designer",
        "url": "https://jobs.polymer.co/brightpath/38851", "location": "Remote (US)", "locations": ["Remote (US)"],
        "remote_flag": True, "employment_type": "Full-time", "department": "Product",
        "description_html": "<p>Design our SAT prep courses.</p>"}
    (gone,) = list(designer.callback(_resp(designer, b"{}", 404), **designer.cb_kwargs))
    assert {k: v for k, v in gone.items() if k != "scraped_at"} == {
        **COMMON, "external_id": "38851", "title": "Curriculum Designer",
        "url": "https://jobs.polymer.co/brightpath/38851", "location": "Remote (US)", "locations": ["Remote (US)"],
        "remote_flag": True, "employment_type": "Full-time", "department": "Product"}  # list data, category as team
    with pytest.raises(BadResponse):
        list(designer.callback(_resp(designer, b'{"id": 3'), **designer.cb_kwargs))
    assert list(req.callback(_resp(req, b'{"error": "Not Found"}', 404), **req.cb_kwargs)) == []
    with pytest.raises(BadResponse):
        list(req.callback(_resp(req, b'{"data": []}'), **req.cb_kwargs))


def test_probe_names_the_organization():
    preq = polymer.probe("BrightPath", CTX)
    page = {"items": ITEMS, "meta": {"total": 3, "organization_name": "BrightPath Tutoring"}}
    (res,) = list(preq.callback(_resp(preq, json.dumps(page).encode()), **preq.cb_kwargs))
    assert (res.job_count, res.names, len(res.follow)) == (3, ["BrightPath Tutoring"], 3)
    (res,) = list(preq.callback(_resp(preq, json.dumps({"items": [], "meta": {"total": 0}}).encode()), **preq.cb_kwargs))
    assert res.job_count == 0


@pytest.mark.parametrize("url", ["https://jobs.polymer.co/brightpath", "https://jobs.polymer.co/BrightPath/38850",
                                 "https://api.polymer.co/v1/hire/organizations/brightpath/jobs"])
def test_detect_url_forms(url):
    board = polymer.detect(url)
    assert (board.key, board.url) == ("polymer:brightpath", "https://jobs.polymer.co/brightpath")
    assert detect_url(url) == board


@pytest.mark.parametrize("url", ["https://jobs.polymer.co/", "https://www.polymer.co/pricing",
                                 "https://api.polymer.co/v1/other/organizations/x"])
def test_detect_refuses_other_urls(url):
    assert polymer.detect(url) is None
