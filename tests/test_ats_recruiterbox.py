"""Trakstar Hire (Recruiterbox): the openings parser on answers in the documented shape, paging.

No recorded answer exists in the corpus; openings follow Recruiterbox's documented example and
open code reading the frontend API, so this module is not yet checked against a real response.
"""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from scrapy.http import TextResponse

from jobos.ats import detect_url, recruiterbox
from jobos.ats.base import BadResponse, BoardContext

CTX = BoardContext(company="Acme")
DATA = json.loads((Path(__file__).parent / "web" / "data" / "recruiterbox" / "lakeshorelabs.json").read_text())
COMMON = {"company": "Acme", "company_domain": None, "source": "recruiterbox", "method": "api",
          "extraction_pending": False, "board": "recruiterbox:lakeshorelabs"}


def test_every_public_opening_every_field():
    data = {"meta": {"limit": 250, "offset": 0, "total": 5}, "objects": DATA["objects"]}
    items, total, limit = recruiterbox.parse_openings_json(data, recruiterbox.board_for("lakeshorelabs"), CTX)
    assert (total, limit) == (5, 250)
    got = {i["external_id"]: {k: v for k, v in i.items() if k != "scraped_at"} for i in items}
    assert list(got) == ["fk0hmz1", "fk0hmz2", "fk0hmz3", "fk0hmz5"]  # the private opening is left out
    assert got["fk0hmz1"] == {**COMMON, "external_id": "fk0hmz1", "title": "Lab Technician",
                              "url": "https://lakeshorelabs.hire.trakstar.com/jobs/fk0hmz1/",
                              "location": "Chicago, IL, USA", "locations": ["Chicago, IL, USA"], "city": "Chicago",
                              "region": "IL", "country": "US", "employment_type": "Full Time",
                              "department": "Operations", "description_html": "<p>Run assays in our Chicago lab.</p>"}
    assert got["fk0hmz2"] == {**COMMON, "external_id": "fk0hmz2", "title": "Bioinformatics Scientist",
                              "url": "https://lakeshorelabs.hire.trakstar.com/jobs/fk0hmz2/",
                              "location": "Toronto, ON, Canada", "locations": ["Toronto, ON, Canada"],
                              "city": "Toronto", "region": "ON", "country": "CA", "remote_flag": True,
                              "employment_type": "Contract", "department": "Research",
                              "description_html": "<p>Build our sequencing pipelines.</p><ul><li>Python</li></ul>"}
    assert got["fk0hmz3"] == {**COMMON, "external_id": "fk0hmz3", "title": "Office Coordinator",
                              "url": "https://lakeshorelabs.hire.trakstar.com/jobs/fk0hmz3/",
                              "location": "Chicago, IL, USA", "locations": ["Chicago, IL, USA"], "city": "Chicago",
                              "region": "IL", "country": "US", "employment_type": "Part Time",
                              "description_html": "<p>Keep the office running.</p>"}


def test_documented_total_count_key():
    data = {"meta": {"total_count": 1, "limit": 20, "offset": 0},
            "objects": [{"id": "a42f3", "title": "UX - Engineer", "description": "UX - Engineer",
                         "location": {"city": "San Jose", "state": "CA", "country": "USA"}, "tags": ["Dev", "UX"],
                         "is_private": False, "is_archived": False,
                         "hosted_url": "https://demoaccount.recruiterbox.com/jobs/ad3e",
                         "created_on": 1413437038, "modified_on": 1413445073}]}
    (item,), total, limit = recruiterbox.parse_openings_json(data, recruiterbox.board_for("demoaccount"), CTX)
    assert (total, limit, item["url"], item["city"]) == (1, 20, "https://demoaccount.recruiterbox.com/jobs/ad3e", "San Jose")


@pytest.mark.parametrize("url", ["https://lakeshorelabs.hire.trakstar.com/jobs/fk0hmz1/",
                                 "https://LakeshoreLabs.recruiterbox.com/",
                                 "https://jsapi.recruiterbox.com/v1/openings?client_name=lakeshorelabs&limit=5"])
def test_detect_url_forms(url):
    board = recruiterbox.detect(url)
    assert (board.key, board.url) == ("recruiterbox:lakeshorelabs", "https://lakeshorelabs.hire.trakstar.com/")
    assert detect_url(url) == board


@pytest.mark.parametrize("url", ["https://www.recruiterbox.com/", "https://jsapi.recruiterbox.com/v1/openings",
                                 "https://hire.trakstar.com/", "https://app.hire.trakstar.com/login"])
def test_detect_refuses_other_urls(url):
    assert recruiterbox.detect(url) is None


def _response(req, body, status=200):
    return TextResponse(req.url, status=status, body=body, request=req, headers={"Content-Type": "application/json"})


def test_paging_unknown_client_and_bad_bodies():
    (req,) = list(recruiterbox.start(recruiterbox.board_for("lakeshorelabs"), CTX))
    assert req.url == "https://jsapi.recruiterbox.com/v1/openings?client_name=lakeshorelabs&limit=250&offset=0"
    first = json.dumps({"meta": {"limit": 2, "offset": 0, "total": 5}, "objects": DATA["objects"][:2]}).encode()
    out = list(req.callback(_response(req, first), **req.cb_kwargs))
    assert [o["external_id"] for o in out[:2]] == ["fk0hmz1", "fk0hmz2"]
    assert [o.url.rsplit("offset=", 1)[1] for o in out[2:]] == ["2", "4"]
    later = out[2]
    assert len(list(later.callback(_response(later, first), **later.cb_kwargs))) == 2  # no paging from later pages
    assert list(req.callback(_response(req, b'{"client_name": "Invalid client name"}', 400), **req.cb_kwargs)) == []
    with pytest.raises(BadResponse):
        list(req.callback(_response(req, first[:50]), **req.cb_kwargs))
    (req,) = list(recruiterbox.start(recruiterbox.board_for("lakeshorelabs"), BoardContext(company="A", max_jobs=3)))
    assert len(list(req.callback(_response(req, first), **req.cb_kwargs))) == 3  # 2 jobs + 1 page
