"""Eightfold: the parser on the recorded apply/v2 list and PCSX search, detect, paging, fallback."""
from __future__ import annotations

import json
from datetime import datetime, timezone

import pytest
from scrapy.http import Request, TextResponse

from jobos.ats import detect_url, eightfold
from jobos.ats.base import BadResponse, BoardContext
from tests.corpus import corpus_files

CTX = BoardContext("Acme", crawl_time=datetime(2026, 7, 1, tzinfo=timezone.utc))
COMMON = {"company": "Acme", "company_domain": None, "source": "eightfold", "method": "api",
          "scraped_at": "2026-07-01T00:00:00Z", "extraction_pending": False}


def _jobs(part: str, board_url: str) -> list[dict]:
    path = next(p for p in corpus_files("eightfold") if part in p.name)
    rows, count = eightfold.listing(json.loads(path.read_text(encoding="utf-8")))
    board = detect_url(board_url)
    return [dict(eightfold.parse_job(row, board, CTX)) for row in rows], count


def test_every_position_of_every_recording_is_parsed():
    for path in corpus_files("eightfold"):
        data = json.loads(path.read_text(encoding="utf-8"))
        rows, count = eightfold.listing(data)
        expected = data["positions"] if "positions" in data else data["data"]["positions"]
        board = eightfold.detect("https://x.eightfold.ai/careers?domain=x.com")
        jobs = [eightfold.parse_job(r, board, CTX) for r in rows]
        assert len(jobs) == len(expected) and count in (256, 1140)
        assert [j["external_id"] for j in jobs] == [str(p["id"]) for p in expected]


def test_freeport_apply_v2_every_field_of_three_jobs():
    jobs, count = _jobs("fcx", "https://fcx.eightfold.ai/api/apply/v2/jobs?domain=fcx.com")
    board = {**COMMON, "board": "eightfold:fcx.eightfold.ai/fcx.com"}
    assert count == 256
    assert jobs == [
        {**board, "external_id": "42478672", "title": "Manager Engineering - Electrical",
         "url": "https://talent.fmjobs.com/careers/job/42478672", "location": "New Orleans, LA USA 70112",
         "locations": ["New Orleans, LA USA 70112"], "department": "Engineering Services",
         "remote_flag": "onsite", "posted_at": "2026-06-17T01:48:12Z"},
        {**board, "external_id": "42477103", "title": "Chief Biodiversity and Wildlife",
         "url": "https://talent.fmjobs.com/careers/job/42477103", "location": "Phoenix, AZ USA 85040",
         "locations": ["Phoenix, AZ USA 85040"], "department": "Environmental",
         "remote_flag": "onsite", "posted_at": "2026-06-16T22:43:22Z"},
        {**board, "external_id": "42475929", "title": "CLP Operator Trainee - Hydromet",
         "url": "https://talent.fmjobs.com/careers/job/42475929", "location": "Bagdad, AZ USA 86321",
         "locations": ["Bagdad, AZ USA 86321"], "department": "Operations",
         "remote_flag": "onsite", "posted_at": "2026-06-16T20:48:31Z"},
    ]


def test_microsoft_pcsx_every_field_of_three_jobs():
    jobs, count = _jobs("pcsx_microsoft", "https://apply.careers.microsoft.com/api/pcsx/search"
                                          "?domain=microsoft.com&query=&start=0")
    board = {**COMMON, "board": "eightfold:apply.careers.microsoft.com/microsoft.com"}
    url = "https://apply.careers.microsoft.com/careers/job/"
    assert count == 1140 and len(jobs) == 4
    assert jobs[:3] == [
        {**board, "external_id": "1970393556962891", "title": "AI Software Engineering Intern",
         "url": url + "1970393556962891", "location": "United States, Washington, Redmond",
         "locations": ["United States, Washington, Redmond", "United States, California, Mountain View"],
         "department": "Software Engineering", "remote_flag": "onsite",
         "posted_at": "2026-08-19T07:00:00Z"},
        {**board, "external_id": "1970393556978114",
         "title": "Principal Software Engineer - AI Experiences, Copilot",
         "url": url + "1970393556978114", "location": "United States, California, Mountain View",
         "locations": ["United States, California, Mountain View", "United States, Washington, Redmond"],
         "department": "Software Engineering", "remote_flag": "onsite",
         "posted_at": "2026-08-19T23:50:48Z"},
        {**board, "external_id": "1970393556962749", "title": "Program Manager",
         "url": url + "1970393556962749", "location": "United States, Washington, Redmond",
         "locations": ["United States, Washington, Redmond"],
         "department": "Technical Program Management", "remote_flag": "onsite",
         "posted_at": "2026-08-20T02:11:57Z"},
    ]


@pytest.mark.parametrize("url, token", [
    ("https://fcx.eightfold.ai/careers?domain=fcx.com", "fcx.eightfold.ai/fcx.com"),
    ("https://citi.eightfold.ai/careers/job/563", "citi.eightfold.ai"),
    ("https://explore.jobs.netflix.net/api/apply/v2/jobs?domain=netflix.com&start=0&num=10",
     "explore.jobs.netflix.net/netflix.com"),
])
def test_detect_url_forms(url, token):
    board = detect_url(url)
    assert board is not None and board.ats == "eightfold" and board.token == token


def test_detect_refuses_other_pages():
    assert detect_url("https://eightfold.ai/careers") is None
    assert detect_url("https://www.example.com/careers/job/123") is None
    assert detect_url("https://www.example.com/api/apply/v3/things") is None


def _response(url: str, data, status: int = 200) -> TextResponse:
    body = data if isinstance(data, str) else json.dumps(data)
    return TextResponse(url, body=body.encode(), encoding="utf-8", status=status, request=Request(url))


BOARD = eightfold.detect("https://fcx.eightfold.ai/careers?domain=fcx.com")


def test_listing_pages_by_rows_received_and_asks_one_detail_per_position():
    page = {"count": 23, "positions": [{"id": 100 + i, "name": f"Job {i}"} for i in range(10)]}
    out = list(eightfold.parse_listing(_response(eightfold.list_url(BOARD, 0), page), BOARD, CTX))
    details = [r for r in out if r.callback is eightfold.parse_detail]
    pages = [r for r in out if r.callback is eightfold.parse_listing]
    assert [r.url for r in details][:1] == ["https://fcx.eightfold.ai/api/apply/v2/jobs/100?domain=fcx.com"]
    assert len(details) == 10 and len(pages) == 1 and pages[0].cb_kwargs["start"] == 10


def test_closed_apply_v2_switches_to_pcsx_search():
    out = list(eightfold.parse_listing(_response(eightfold.list_url(BOARD, 0),
                                                 {"message": "Not authorized for PCSX"}, 403), BOARD, CTX))
    assert len(out) == 1 and out[0].cb_kwargs["pcsx"] is True
    assert out[0].url.startswith("https://fcx.eightfold.ai/api/pcsx/search?domain=fcx.com&")


def test_detail_fills_the_description():
    row = {"id": 7, "name": "Welder", "location": "Safford, AZ", "job_description": ""}
    detail = {"id": 7, "name": "Welder", "job_description": "<p>Weld things.</p>"}
    resp = _response(eightfold.detail_url(BOARD, "7"), detail)
    job = next(iter(eightfold.parse_detail(resp, BOARD, CTX, row)))
    assert job["description_html"] == "<p>Weld things.</p>" and job["location"] == "Safford, AZ"


def test_malformed_answers_are_bad_responses():
    with pytest.raises(BadResponse):
        list(eightfold.parse_listing(_response(eightfold.list_url(BOARD, 0), '{"count": 3, "posi'), BOARD, CTX))
    with pytest.raises(BadResponse):
        list(eightfold.parse_listing(_response(eightfold.list_url(BOARD, 0), {"error": "x"}), BOARD, CTX))
