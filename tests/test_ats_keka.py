"""Keka: the embed jobs parser on an answer in the documented shape, portal ids, detect().

No recorded Keka answer exists in the corpus; the jobs follow the shape open job collectors read,
so this module is not yet checked against a real response.
"""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from scrapy.http import HtmlResponse, TextResponse

from jobos.ats import detect_url, keka
from jobos.ats.base import BadResponse, BoardContext

CTX = BoardContext(company="Acme")
DATA = json.loads((Path(__file__).parent / "web" / "data" / "keka" / "sarvamfoods.json").read_text())
PORTAL = "b5279857-cf81-4dde-a215-fc48957ee2b5"
COMMON = {"company": "Acme", "company_domain": None, "source": "keka", "method": "api",
          "extraction_pending": False, "board": "keka:sarvamfoods"}
J = "https://sarvamfoods.keka.com/careers/jobdetails/"


def test_every_job_every_field():
    items = keka.parse_jobs_json(DATA["jobs"], keka.board_for("sarvamfoods", PORTAL), CTX)
    got = [{k: v for k, v in i.items() if k != "scraped_at"} for i in items]
    assert got == [
        {**COMMON, "external_id": "134831", "title": "Devops Engineer - SDE 2", "url": J + "134831",
         "location": "Bengaluru, KA, India", "locations": ["Bengaluru, KA, India"], "city": "Bengaluru", "region": "KA",
         "country": "IN", "department": "Engineering", "posted_at": "2026-10-15T07:26:49.647Z",
         "description_html": "<div>Build secure and scalable AWS infrastructure.</div>"},
        {**COMMON, "external_id": "134239", "title": "HR Operations Lead", "url": J + "134239",
         "location": "Mumbai, MH, India", "locations": ["Mumbai, MH, India", "Dubai, United Arab Emirates"],
         "city": "Mumbai", "region": "MH", "country": "IN", "department": "HR Operation",
         "posted_at": "2026-11-01T04:00:00.000Z", "description_html": "<div>Own the employee lifecycle.</div>"},
        {**COMMON, "external_id": "133990", "title": "Food Technologist", "url": J + "133990",
         "posted_at": "2026-09-03T10:00:00.000Z", "description_html": "<div>Develop new recipes.</div>"},
    ]


@pytest.mark.parametrize("url,portal", [
    ("https://sarvamfoods.keka.com/careers", None),
    ("https://SarvamFoods.keka.com/careers/jobdetails/134831", None),
    (f"https://sarvamfoods.keka.com/careers/api/embedjobs/js/{PORTAL}", PORTAL),
    (f"https://sarvamfoods.keka.com/careers/api/embedjobs/{PORTAL}", PORTAL),
    (f"https://sarvamfoods.keka.com/careers/api/embedjobs/default/active/{PORTAL.upper()}", PORTAL),
])
def test_detect_url_forms(url, portal):
    board = keka.detect(url)
    assert (board.key, board.url, board.site) == ("keka:sarvamfoods", "https://sarvamfoods.keka.com/careers", portal)
    assert detect_url(url) == board


@pytest.mark.parametrize("url", ["https://www.keka.com/careers", "https://sarvamfoods.keka.com/hr/login",
                                 "https://keka.com/careers", "https://app.keka.com/careers"])
def test_detect_refuses_other_urls(url):
    assert keka.detect(url) is None


def test_careers_page_then_jobs_and_bad_answers():
    (req,) = list(keka.start(keka.board_for("sarvamfoods"), CTX))
    assert req.url == "https://sarvamfoods.keka.com/careers"
    page = HtmlResponse(req.url, body=f"<script>fetch('/ats/documents/{PORTAL}/careerportal/a.html')</script>".encode(),
                        request=req)
    (api,) = list(req.callback(page, **req.cb_kwargs))
    assert api.url == f"https://sarvamfoods.keka.com/careers/api/embedjobs/default/active/{PORTAL}"
    assert len(list(api.callback(TextResponse(api.url, body=json.dumps(DATA["jobs"]).encode(), request=api),
                                 **api.cb_kwargs))) == 3
    with pytest.raises(BadResponse):
        list(req.callback(HtmlResponse(req.url, body=b"<html>no portal</html>", request=req), **req.cb_kwargs))
    with pytest.raises(BadResponse):
        list(api.callback(TextResponse(api.url, body=b'{"jobs": []}', request=api), **api.cb_kwargs))
    (direct,) = list(keka.start(keka.board_for("sarvamfoods", PORTAL), CTX))
    assert direct.url == api.url  # the portal id known from an embed URL: one request
