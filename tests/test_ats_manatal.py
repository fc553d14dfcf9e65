"""Manatal: the career-page API parser on pages in the documented shape, paging, detect().

No recorded answer exists in the corpus; pages follow the shape open job collectors read (one
checked against a live page), so this module is not yet checked against a real response.
"""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from scrapy.http import TextResponse

from jobos.ats import detect_url, manatal
from jobos.ats.base import BadResponse, BoardContext

CTX = BoardContext(company="Acme")
ROWS = json.loads((Path(__file__).parent / "web" / "data" / "manatal" / "tidewaysmarine.json").read_text())["results"]
COMMON = {"company": "Acme", "company_domain": None, "source": "manatal", "method": "api",
          "extraction_pending": False, "board": "manatal:tidewaysmarine"}
J = "https://www.careers-page.com/tidewaysmarine/job/"


def test_every_job_every_field():
    items, count, rows = manatal.parse_jobs_json({"count": 5, "results": ROWS}, manatal.board_for("tidewaysmarine"), CTX)
    assert (count, rows) == (5, 5)
    got = [{k: v for k, v in i.items() if k != "scraped_at"} for i in items]
    assert got == [  # the row without a hash is skipped
        {**COMMON, "external_id": "RY796WR6", "title": "Marine Superintendent", "url": J + "RY796WR6",
         "location": "Singapore", "locations": ["Singapore"], "city": "Singapore", "country": "SG",
         "employment_type": "full_time", "description_html": "<p>Oversee our vessel fleet.</p>"},
        {**COMMON, "external_id": "KQ22LM9A", "title": "Crewing Officer", "url": J + "KQ22LM9A",
         "location": "Batam, Riau Islands, Indonesia", "locations": ["Batam, Riau Islands, Indonesia"],
         "city": "Batam", "region": "Riau Islands", "country": "ID", "employment_type": "contract",
         "description_html": "<p>Manage crew rotations.</p>"},
        {**COMMON, "external_id": "ZP0X7TT3", "title": "Remote HSE Analyst", "url": J + "ZP0X7TT3",
         "location": "United Arab Emirates", "locations": ["United Arab Emirates"], "country": "AE",
         "remote_flag": True, "employment_type": "part_time", "description_html": "<p>Review incident reports.</p>"},
        {**COMMON, "external_id": "MM41QE8B", "title": "Deck Cadet", "url": J + "MM41QE8B",
         "location": "Johor Bahru, Malaysia", "locations": ["Johor Bahru, Malaysia"], "city": "Johor Bahru",
         "region": "Johor", "country": "MY", "employment_type": "internship",
         "description_html": "<p>Start your career at sea.</p>"},
    ]


@pytest.mark.parametrize("url", ["https://www.careers-page.com/tidewaysmarine",
                                 "https://careers-page.com/TidewaysMarine/job/RY796WR6",
                                 "https://core.api.manatal.com/open/v3/career-page/tidewaysmarine/jobs/?page=2"])
def test_detect_url_forms(url):
    board = manatal.detect(url)
    assert (board.key, board.url) == ("manatal:tidewaysmarine", "https://www.careers-page.com/tidewaysmarine")
    assert detect_url(url) == board


@pytest.mark.parametrize("url", ["https://www.careers-page.com/", "https://api.manatal.com/open/v3/jobs/",
                                 "https://www.manatal.com/careers"])
def test_detect_refuses_other_urls(url):
    assert manatal.detect(url) is None


def test_paging_and_bad_bodies():
    (req,) = list(manatal.start(manatal.board_for("tidewaysmarine"), CTX))
    assert req.url == "https://core.api.manatal.com/open/v3/career-page/tidewaysmarine/jobs/?page=1"
    resp = lambda r, body: TextResponse(r.url, body=body, request=r)  # noqa: E731
    first = json.dumps({"count": 25, "next": "x", "results": ROWS[:2]}).encode()
    out = list(req.callback(resp(req, first), **req.cb_kwargs))
    assert [o["external_id"] for o in out[:2]] == ["RY796WR6", "KQ22LM9A"]
    assert [o.url.rsplit("=", 1)[1] for o in out[2:]] == [str(n) for n in range(2, 14)]
    assert len(list(out[2].callback(resp(out[2], first), **out[2].cb_kwargs))) == 2  # later pages do not page
    with pytest.raises(BadResponse):
        list(req.callback(resp(req, first[:30]), **req.cb_kwargs))
    with pytest.raises(BadResponse):
        list(req.callback(resp(req, b'{"detail": "Not found."}'), **req.cb_kwargs))
