"""Pinpoint: the parser on the real recorded postings feeds, detect() on URL forms, probes."""
from __future__ import annotations

import json

import pytest
from scrapy.http import TextResponse

from jobos.ats import detect_url, pinpoint
from jobos.ats.base import BadResponse, BoardContext
from tests.corpus import corpus_dir

CTX = BoardContext(company="Acme")
AAWDC = "pinpoint/konstantinosanagn__ergon__pinpoint_aawdc_jobs.json"
OWN = "pinpoint/Manojkaipu__job-poller__pinpoint.json"
COMMON = {"company": "Acme", "company_domain": None, "source": "pinpoint", "method": "api",
          "extraction_pending": False}


def _parse(name: str, url: str):
    data = json.loads((corpus_dir() / name).read_text(encoding="utf-8"))
    return data, pinpoint.parse_postings_json(data, pinpoint.detect(url), CTX)


def _fields(item) -> dict:
    d = dict(item)
    d.pop("scraped_at")
    d.pop("description_html")
    return d


def test_aawdc_feed_every_field():
    data, items = _parse(AAWDC, "https://aawdc.pinpointhq.com/")
    assert len(items) == len(data["data"]) == 3
    a, b, c = items
    assert _fields(a) == {**COMMON, "board": "pinpoint:aawdc", "external_id": "515428",
                          "title": "Warehouse/Fleet Manager",
                          "url": "https://aawdc.pinpointhq.com/en/postings/fca592d6-2561-4b2a-88b0-15d2b375971a",
                          "location": "North County", "locations": ["North County"],
                          "remote_flag": "onsite", "employment_type": "Full Time",
                          "department": "Transportation", "salary_min": 80000.0,
                          "salary_max": 100000.0, "salary_currency": "USD", "salary_period": "YEAR"}
    assert _fields(b) == {**COMMON, "board": "pinpoint:aawdc", "external_id": "512061",
                          "title": "Reach truck crown and Walkie Rider EPJ Operators in Jessup, MD",
                          "url": "https://aawdc.pinpointhq.com/en/postings/17ea4175-6e7f-4f5d-8eac-0b092226f254",
                          "location": "North County", "locations": ["North County"],
                          "remote_flag": "onsite", "employment_type": "Contract to hire",
                          "department": "Construction and Skilled Trades", "salary_min": 17.0,
                          "salary_max": 18.0, "salary_currency": "USD", "salary_period": "HOUR"}
    # No compensation published: no salary fields at all.
    assert _fields(c) == {**COMMON, "board": "pinpoint:aawdc", "external_id": "217178",
                          "title": "Pipeline for Future IT Federal/Government Positions",
                          "url": "https://aawdc.pinpointhq.com/en/postings/92841fbb-1c42-4adc-b98d-2c0e75802880",
                          "location": "Partner Employment Opportunity",
                          "locations": ["Partner Employment Opportunity"],
                          "city": "Varies by Listing", "region": "Maryland",
                          "remote_flag": "onsite", "employment_type": "Contract",
                          "department": "Other"}
    # The sections in page order, each after its own header; an empty benefits section is left out.
    assert a["description_html"].startswith(
        "<h1><!--block-->The <strong>Warehouse/Fleet Manager</strong> is responsible for")
    assert "<h3>Key Responsibilities</h3>\n<div><!--block-->&nbsp; &nbsp;Oversee and coordinate" in a["description_html"]
    assert "<h3>Skills, Knowledge and Expertise</h3>\n<div><!--block-->o&nbsp; High School Diploma" in a["description_html"]
    assert "<h3>Benefits</h3>" not in a["description_html"]
    assert "<h3>Why Join Our Talent Pipeline? / How to apply</h3>\n<div><!--block-->By applying with AAWDC" in c["description_html"]
    assert c["description_html"].index("<h3>Key Responsibilities</h3>") < c["description_html"].index(
        "<h3>Qualifications:</h3>") < c["description_html"].index("<h3>Why Join")


def test_pinpoint_own_feed_bare_list_every_field():
    data, items = _parse(OWN, "https://workwithus.pinpointhq.com/en/postings/x")
    assert len(items) == len(data) == 2
    legal, impl = items
    assert _fields(legal) == {**COMMON, "board": "pinpoint:workwithus", "external_id": "559663",
                              "title": "Founding Legal Counsel",
                              "url": "https://workwithus.pinpointhq.com/en/postings/ce6c9e5c-a2d3-42b0-a01e-9edeae315b04",
                              "location": "Remote", "locations": ["Remote"], "city": "London",
                              "region": "London", "remote_flag": "remote",
                              "employment_type": "Full Time", "department": "Operations"}
    assert _fields(impl) == {**COMMON, "board": "pinpoint:workwithus", "external_id": "567495",
                             "title": "Enterprise Implementation Manager",
                             "url": "https://workwithus.pinpointhq.com/en/postings/8fa6a0e0-0beb-4233-8ab0-409fe6bfccb1",
                             "location": "United Kingdom", "locations": ["United Kingdom"],
                             "city": "London", "region": "London", "remote_flag": "remote",
                             "employment_type": "Full Time", "department": "Implementation",
                             "salary_min": 70000.0, "salary_max": 90000.0,
                             "salary_currency": "GBP", "salary_period": "YEAR"}
    assert legal["description_html"].startswith("<div><!--block-->Hi \U0001f44b I'm Ellis, COO at Pinpoint.")
    assert "<h3>What you'll do</h3>\n<div><!--block--><strong>Sales legal (35%)</strong>" in legal["description_html"]
    assert "<h3>What you'll bring</h3>\n<ul><li><!--block-->4+ years as a qualified lawyer" in legal["description_html"]
    assert "<h3>What we offer</h3>" in impl["description_html"]


@pytest.mark.parametrize("url,sub", [
    ("https://aawdc.pinpointhq.com/", "aawdc"),
    ("https://AAWDC.pinpointhq.com/en/postings/fca592d6-2561-4b2a-88b0-15d2b375971a", "aawdc"),
    ("https://workwithus.pinpointhq.com/postings.json", "workwithus"),
])
def test_detect_url_forms(url, sub):
    board = pinpoint.detect(url)
    assert (board.token, board.host, board.key) == (sub, f"{sub}.pinpointhq.com", f"pinpoint:{sub}")
    assert detect_url(url) == board


@pytest.mark.parametrize("url", [
    "https://www.pinpointhq.com/", "https://pinpointhq.com/pricing", "https://help.pinpointhq.com/x",
    "https://a.b.pinpointhq.com/", "https://pinpointhq.com.evil.example/", "not a url",
])
def test_detect_refuses_other_hosts(url):
    assert pinpoint.detect(url) is None


def _response(req, body, status=200):
    return TextResponse(req.url, status=status, body=body, request=req,
                        headers={"Content-Type": "application/json"})


def test_start_probe_and_bad_bodies():
    body = (corpus_dir() / AAWDC).read_bytes()
    (req,) = list(pinpoint.start(pinpoint.detect("https://aawdc.pinpointhq.com/"), CTX))
    assert req.url == "https://aawdc.pinpointhq.com/postings.json"
    assert [i["external_id"] for i in req.callback(_response(req, body), **req.cb_kwargs)] == [
        "515428", "512061", "217178"]
    preq = pinpoint.probe("AAWDC", CTX)
    assert preq.url == "https://aawdc.pinpointhq.com/postings.json"
    (res,) = list(preq.callback(_response(preq, body), **preq.cb_kwargs))
    assert res.job_count == 3 and len(res.items) == 3
    (res,) = list(preq.callback(_response(preq, b'{"errors":["Not found"]}', 404), **preq.cb_kwargs))
    assert res.job_count == 0
    assert pinpoint.probe("www", CTX) is None
    with pytest.raises(BadResponse):
        list(req.callback(_response(req, b'{"data": [{"id": "1"'), **req.cb_kwargs))
    with pytest.raises(BadResponse):
        list(req.callback(_response(req, b'{"error": "oops"}'), **req.cb_kwargs))
    # One odd posting costs itself only.
    ok = {"id": "9", "title": "Chef", "url": "https://aawdc.pinpointhq.com/en/postings/u9"}
    items = pinpoint.parse_postings_json({"data": [{"id": "8", "title": None}, "junk", ok]},
                                         pinpoint.detect("https://aawdc.pinpointhq.com/"), CTX)
    assert [i["external_id"] for i in items] == ["9"]
