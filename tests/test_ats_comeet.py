"""Comeet: the hosted-page parser on positions in the documented shape, detect() on URL forms.

No recorded Comeet page exists in the corpus; positions follow the careers API 2.0 shape open
job collectors parse from the hosted page, so this module is not yet checked against a real one.
"""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from scrapy.http import HtmlResponse

from jobos.ats import comeet, detect_url
from jobos.ats.base import BadResponse, BoardContext

CTX = BoardContext(company="Acme")
DATA = json.loads((Path(__file__).parent / "web" / "data" / "comeet" / "galilsense.json").read_text())
COMMON = {"company": "Acme", "company_domain": None, "source": "comeet", "method": "api",
          "extraction_pending": False, "board": "comeet:galilsense/A3.00F"}


def _page(positions) -> str:
    return ("<html><script>var COMPANY_DATA = {\"name\": \"Galil Sense\"};\n"
            f"var COMPANY_POSITIONS_DATA = {json.dumps(positions)};\n</script></html>")


def test_every_public_position_every_field():
    items = comeet.parse_page_html(_page(DATA["positions"]), comeet.board_for("galilsense", "A3.00F"), CTX)
    got = {i["external_id"]: {k: v for k, v in i.items() if k != "scraped_at"} for i in items}
    assert list(got) == ["B7.1C2", "B7.1C3", "B7.1C4"]  # the internal position is left out
    assert got["B7.1C2"] == {
        **COMMON, "external_id": "B7.1C2", "title": "Algorithm Engineer",
        "url": "https://www.comeet.com/jobs/galilsense/A3.00F/algorithm-engineer/B7.1C2",
        "location": "Haifa, Israel", "locations": ["Haifa, Israel"], "city": "Haifa", "country": "IL",
        "remote_flag": "Hybrid", "employment_type": "Full-time", "department": "R&D",
        "posted_at": "2026-10-30T08:15:00Z",
        "description_html": "<h3>Description</h3>\n<p>Design tracking algorithms for our radar sensors.</p>\n"
                            "<h3>Requirements</h3>\n<ul><li>M.Sc. in EE or CS</li></ul>"}
    assert got["B7.1C3"] == {
        **COMMON, "external_id": "B7.1C3", "title": "Field Application Engineer",
        "url": "https://www.comeet.com/jobs/galilsense/A3.00F/field-application-engineer/B7.1C3",
        "location": "Munich, Germany", "locations": ["Munich, Germany"], "city": "Munich",
        "region": "Bavaria", "country": "DE", "remote_flag": "Remote", "employment_type": "Full-time",
        "department": "Sales", "posted_at": "2026-11-01T10:00:00Z",
        "description_html": "<h3>Description</h3>\n<p>Support our automotive customers in Europe.</p>"}
    assert got["B7.1C4"] == {
        **COMMON, "external_id": "B7.1C4", "title": "Student - QA",
        "url": "https://www.comeet.com/jobs/galilsense/A3.00F/student-qa/B7.1C4",
        "location": "Haifa, Israel", "locations": ["Haifa, Israel"], "city": "Haifa", "country": "IL",
        "remote_flag": "On-site", "employment_type": "Part-time", "department": "R&D",
        "posted_at": "2026-09-12T07:00:00Z"}


def test_api_shaped_details_and_is_remote():
    row = {"uid": "Z1.001", "name": "Analyst", "details": [{"name": "About", "value": "<p>x</p>"}],
           "location": {"is_remote": True}}
    item = comeet.parse_position(row, comeet.board_for("acme", "a1.0b2"), CTX)
    assert item["description_html"] == "<h3>About</h3>\n<p>x</p>" and item["remote_flag"] == "remote"
    assert item["url"] == "https://www.comeet.com/jobs/acme/A1.0B2/Z1.001"


@pytest.mark.parametrize("url", [
    "https://www.comeet.com/jobs/galilsense/A3.00F",
    "https://www.comeet.com/jobs/GalilSense/a3.00f/algorithm-engineer/B7.1C2",
    "https://comeet.co/jobs/galilsense/A3.00F/",
])
def test_detect_url_forms(url):
    board = comeet.detect(url)
    assert (board.key, board.url) == ("comeet:galilsense/A3.00F", "https://www.comeet.com/jobs/galilsense/A3.00F")
    assert detect_url(url) == board


@pytest.mark.parametrize("url", ["https://www.comeet.com/", "https://www.comeet.com/jobs/galilsense",
                                 "https://www.comeet.com/jobs/galilsense/notauid",
                                 "https://www.comeet.co/careers-api/2.0/company/A3.00F/positions"])
def test_detect_refuses_other_urls(url):
    assert comeet.detect(url) is None


def test_start_and_bad_pages():
    (req,) = list(comeet.start(comeet.board_for("galilsense", "A3.00F"), CTX))
    assert req.url == "https://www.comeet.com/jobs/galilsense/A3.00F"
    page = lambda body: HtmlResponse(req.url, body=body.encode(), encoding="utf-8", request=req)  # noqa: E731
    assert len(list(req.callback(page(_page(DATA["positions"])), **req.cb_kwargs))) == 3
    for bad in ("<html>maintenance</html>", _page(DATA["positions"])[:150],
                "<script>var COMPANY_POSITIONS_DATA = {\"uid\": 1};</script>"):
        with pytest.raises(BadResponse):
            list(req.callback(page(bad), **req.cb_kwargs))
