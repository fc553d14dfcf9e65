"""Zoho Recruit: the careers page parser on pages in the shape open code reads, detect().

No recorded Zoho Recruit page exists in the corpus; the page follows what open job collectors
read (a hidden jobs input), so this module is not yet checked against a real page.
"""
from __future__ import annotations

import html
import json
from pathlib import Path

import pytest
from scrapy.http import HtmlResponse

from jobos.ats import detect_url, zohorecruit
from jobos.ats.base import BadResponse, BoardContext

CTX = BoardContext(company="Acme")
ROWS = json.loads((Path(__file__).parent / "web" / "data" / "zohorecruit" / "meridianlabs.json").read_text())["postings"]
COMMON = {"company": "Acme", "company_domain": None, "source": "zohorecruit", "method": "api",
          "extraction_pending": False, "board": "zohorecruit:meridianlabs"}
P = "https://meridianlabs.zohorecruit.com/jobs/Careers/"


def _page(rows) -> str:
    return f'<html><body><input type="hidden" id="jobs" value="{html.escape(json.dumps(rows), quote=True)}"></body></html>'


def test_every_posting_every_field():
    items = zohorecruit.parse_page_html(_page(ROWS), zohorecruit.board_for("meridianlabs"), CTX)
    got = [{k: v for k, v in i.items() if k != "scraped_at"} for i in items]
    assert got == [
        {**COMMON, "external_id": "741923000037955058", "title": "QA Automation Engineer", "url": P + "741923000037955058",
         "location": "Pune, Maharashtra, India", "locations": ["Pune, Maharashtra, India"], "city": "Pune",
         "region": "Maharashtra", "country": "IN", "employment_type": "Full time", "department": "Engineering",
         "posted_at": "2026-10-20", "description_html": "<p>Automate our regression suites &amp; more.</p>"},
        {**COMMON, "external_id": "741923000037955071", "title": "Remote Marketing Specialist", "url": P + "741923000037955071",
         "location": "United Kingdom", "locations": ["United Kingdom"], "country": "GB", "remote_flag": True,
         "employment_type": "Contract", "department": "Marketing", "posted_at": "2026-11-02",
         "description_html": "<p>Run our \"launch\" campaigns.</p>"},
        {**COMMON, "external_id": "741923000037955099", "title": "Finance Intern", "url": P + "741923000037955099",
         "location": "Dubai, United Arab Emirates", "locations": ["Dubai, United Arab Emirates"], "city": "Dubai",
         "country": "AE", "employment_type": "Internship", "department": "Finance", "posted_at": "2026-09-28",
         "description_html": "<p>Three months with our finance team.</p>"},
    ]


def test_bad_pages_and_the_cap(caplog):
    board = zohorecruit.board_for("meridianlabs")
    for bad in ("<html><body>Invalid URL</body></html>", '<input id="jobs" value="[{&quot;id&quot;: 1">',
                '<input id="jobs" value="{}">'):
        with pytest.raises(BadResponse):
            zohorecruit.parse_page_html(bad, board, CTX)
    rows = [dict(ROWS[0], id=str(n)) for n in range(50)]
    assert len(zohorecruit.parse_page_html(_page(rows), board, CTX)) == 50
    assert "its cap" in caplog.text


@pytest.mark.parametrize("url,key,host", [
    ("https://meridianlabs.zohorecruit.com/jobs/Careers", "zohorecruit:meridianlabs", "meridianlabs.zohorecruit.com"),
    ("https://MeridianLabs.zohorecruit.com/jobs/Careers/741923000037955058/QA?source=CareerSite",
     "zohorecruit:meridianlabs", "meridianlabs.zohorecruit.com"),
    ("https://meridianlabs.zohorecruit.eu/jobs/Careers", "zohorecruit:meridianlabs.eu", "meridianlabs.zohorecruit.eu"),
])
def test_detect_url_forms(url, key, host):
    board = zohorecruit.detect(url)
    assert (board.key, board.host, board.url) == (key, host, f"https://{host}/jobs/Careers")
    assert detect_url(url) == board


@pytest.mark.parametrize("url", ["https://www.zohorecruit.com/", "https://recruit.zohorecruit.com/x",
                                 "https://zohorecruit.com/jobs/Careers", "https://a.b.zohorecruit.com/"])
def test_detect_refuses_other_urls(url):
    assert zohorecruit.detect(url) is None


def test_request():
    (req,) = list(zohorecruit.start(zohorecruit.board_for("meridianlabs"), CTX))
    assert req.url == "https://meridianlabs.zohorecruit.com/jobs/Careers"
    out = list(req.callback(HtmlResponse(req.url, body=_page(ROWS).encode(), encoding="utf-8", request=req), **req.cb_kwargs))
    assert [i["external_id"] for i in out] == ["741923000037955058", "741923000037955071", "741923000037955099"]
