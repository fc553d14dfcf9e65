"""iCIMS: the Talent Cloud parser on the recorded /api/jobs answers, the classic search page,
detect, paging."""
from __future__ import annotations

import json
from datetime import datetime, timezone

import pytest
from scrapy.http import HtmlResponse, Request, TextResponse

from jobos.ats import base, detect_url, icims
from jobos.ats.base import BadResponse, BoardContext
from jobos.ats.embedded import detect_html
from tests.corpus import corpus_dir, corpus_files

CTX = BoardContext("Acme", crawl_time=datetime(2026, 7, 1, tzinfo=timezone.utc))
COMMON = {"company": "Acme", "company_domain": None, "source": "icims", "method": "api",
          "scraped_at": "2026-07-01T00:00:00Z", "extraction_pending": False}


def _jobs(part: str, board_url: str) -> list[dict]:
    path = next(p for p in corpus_files("icims") if part in p.name)
    rows, _ = icims.api_jobs(json.loads(path.read_text(encoding="utf-8")))
    return [dict(icims.parse_api_job(r, detect_url(board_url), CTX)) for r in rows]


def test_every_job_of_every_recording_is_parsed():
    for path in corpus_files("icims"):
        data = json.loads(path.read_text(encoding="utf-8"))
        rows, total = icims.api_jobs(data)
        jobs = [icims.parse_api_job(r, detect_url("https://careers.acme.com/api/jobs?source=jibe"), CTX) for r in rows]
        assert len(jobs) == len(data["jobs"]) and total in (303, 2)
        assert [j["external_id"] for j in jobs] == [j["data"]["slug"] for j in data["jobs"]]


def test_garmin_every_field_of_three_jobs():
    jobs = _jobs("haydenham", "https://careers.garmin.com/api/jobs?source=jibe")
    board = {**COMMON, "board": "icims:careers.garmin.com"}
    trimmed = " \u2026[trimmed for fixture]</p>"
    assert jobs == [
        {**board, "external_id": "18921", "title": "Aircraft Systems Engineer 2 (Project Lead)",
         "url": "https://careers.garmin.com/jobs/18921",
         "apply_url": "https://careers-garmin.icims.com/jobs/18921/login",
         "location": "New Century, Kansas", "locations": ["New Century, Kansas"], "city": "New Century",
         "region": "Kansas", "country": "US", "remote_flag": "On-site", "employment_type": "FULL_TIME",
         "department": "Engineering", "posted_at": "2026-06-24T15:02:00+0000",
         "description_html": "<p>Overview We are seeking a full-time Aircraft Systems Engineer 2 - Project "
         "Lead in our New Century, KS location. In this role, you will be responsible for leading "
         "avionics systems STC projects, coordin" + trimmed + "\n<p>Essential Functions Lead avionics and "
         "flight control system installation STC projects of simple to medium size and complexity with "
         "the ability to lead multiple simple STC projects simultaneously Gener" + trimmed + "\n<p>Basic "
         "Qualifications Bachelor\u2019s Degree in Electrical, Mechanical, Aerospace, or Computer "
         "Engineering AND a minimum of 1 year relevant experience OR an equivalent combination of "
         "education and experienc" + trimmed},
        {**board, "external_id": "18411", "title": "Material Handler Equipment (Weekend Shift)",
         "url": "https://careers.garmin.com/jobs/18411",
         "apply_url": "https://careers-garmin.icims.com/jobs/18411/login",
         "location": "Olathe, Kansas", "locations": ["Olathe, Kansas"], "city": "Olathe",
         "region": "Kansas", "country": "US", "remote_flag": "On-site", "employment_type": "FULL_TIME",
         "department": "Warehouse", "posted_at": "2026-06-22T15:28:00+0000",
         "description_html": jobs[1]["description_html"]},
        {**board, "external_id": "18683", "title": "Software Engineer - Fitness",
         "url": "https://careers.garmin.com/jobs/18683",
         "apply_url": "https://careers-garmin.icims.com/jobs/18683/login",
         "location": "Olathe, Kansas", "locations": ["Olathe, Kansas"], "city": "Olathe",
         "region": "Kansas", "country": "US", "remote_flag": "On-site", "employment_type": "FULL_TIME",
         "department": "Engineering", "posted_at": "2026-05-15T20:00:00+0000",
         "description_html": jobs[2]["description_html"]},
    ]
    assert jobs[1]["description_html"].startswith(
        "<p>Overview We are seeking a full-time Material Handler - Equipment (Weekend Shift: "
        "Saturday-Tuesday 6am to 4:30pm) at Garmin's U.S. headquarters")
    assert jobs[2]["description_html"].endswith(
        "Aerospace Engineering, Math, Physics or related field AND a minimum of 5" + trimmed)


def test_second_jibe_recording_every_field_multi_location():
    jobs = _jobs("jibe", "https://jobs.keysight.com/api/jobs?source=jibe")
    board = {**COMMON, "board": "icims:jobs.keysight.com"}
    assert jobs == [
        {**board, "external_id": "53640", "title": "R&D Software Engineering Manager",
         "url": "https://jobs.keysight.com/jobs/53640",
         "location": "Santa Rosa, California; Loveland, Colorado",
         "locations": ["Santa Rosa, California", "Loveland, Colorado"], "department": "R&D",
         "posted_at": "2026-10-02T20:55:00+0000"},
        {**board, "external_id": "54388", "title": "R&D Software Engineering, Intern",
         "url": "https://jobs.keysight.com/jobs/54388", "location": "Atlanta, Georgia",
         "locations": ["Atlanta, Georgia"], "city": "Atlanta", "region": "Georgia",
         "department": "R&D", "posted_at": "2026-10-02T20:39:00+0000"},
    ]


def test_classic_search_page_cards():
    path = corpus_dir() / "ats_html" / "omoji-personal__careerkit__icims_wipfli_search.html"
    cards = icims.search_cards(path.read_text(encoding="utf-8"),
                               "https://careers-wipfli.icims.com/jobs/search?ss=1&in_iframe=1")
    assert cards == [
        {"id": "8214", "title": "Payroll Tax Specialist", "location": "US",
         "url": "https://careers-wipfli.icims.com/jobs/8214/payroll-tax-specialist/job"},
        {"id": "8212", "title": "Payroll Support Specialist", "location": "US",
         "url": "https://careers-wipfli.icims.com/jobs/8212/payroll-support-specialist/job"},
    ]
    board = detect_url(cards[0]["url"])
    job = dict(icims.job_from_card(cards[0], board, CTX))
    assert job == {**COMMON, "board": "icims:careers-wipfli", "external_id": "8214",
                   "title": "Payroll Tax Specialist", "location": "US",
                   "url": "https://careers-wipfli.icims.com/jobs/8214/payroll-tax-specialist/job",
                   "apply_url": "https://careers-wipfli.icims.com/jobs/8214/payroll-tax-specialist/login"}


@pytest.mark.parametrize("url, token, kind", [
    ("https://careers-wipfli.icims.com/jobs/8214/payroll-tax-specialist/job?in_iframe=1", "careers-wipfli", "classic"),
    ("https://uscareers-acme.icims.com/jobs/search?ss=1", "uscareers-acme", "classic"),
    ("https://careers.garmin.com/api/jobs?page=2&source=jibe", "careers.garmin.com", "talentcloud"),
])
def test_detect_url_forms(url, token, kind):
    board = detect_url(url)
    assert board is not None and (board.ats, board.token, board.site) == ("icims", token, kind)


def test_detect_refuses_other_pages():
    assert detect_url("https://www.icims.com/products/") is None
    assert detect_url("https://careers.garmin.com/jobs/18921") is None
    assert detect_url("https://careers.garmin.com/api/jobsearch") is None
    # /api/jobs alone is any site's API: only a page loading Jibe's front end names a Talent Cloud board
    assert detect_url("https://careers.garmin.com/api/jobs?page=1&limit=100") is None


def test_a_page_loading_jibes_front_end_names_its_own_host_as_the_board():
    page = '<html><head><script src="https://app.jibecdn.com/prod/search/app.js"></script></head></html>'
    boards = detect_html(page, "https://careers.garmin.com/jobs?page=1")
    assert [(b.key, b.site) for b in boards] == [("icims:careers.garmin.com", "talentcloud")]
    assert detect_html('<img src="https://cms.jibecdn.com/prod/x/logo.png">', "https://www.example.com/") == []


def _json(url: str, data) -> TextResponse:
    return TextResponse(url, body=json.dumps(data).encode(), encoding="utf-8", request=Request(url))


def test_api_pages_by_rows_received():
    board = detect_url("https://careers.acme.com/api/jobs?source=jibe")
    page = {"totalCount": 25, "jobs": [{"data": {"req_id": str(i), "title": f"Job {i}"}} for i in range(10)]}
    out = list(icims.parse_api(_json(icims.list_url(board, 1), page), board, CTX, page=1, seen=0))
    assert len(out) == 11 and out[-1].url == "https://careers.acme.com/api/jobs?page=2&limit=100"
    assert out[-1].cb_kwargs["seen"] == 10
    with pytest.raises(BadResponse):
        list(icims.parse_api(_json(icims.list_url(board, 1), {"error": "limit"}), board, CTX))


def test_classic_job_page_json_ld_completes_the_card():
    board = detect_url("https://careers-acme.icims.com/jobs/search")
    card = {"id": "77", "title": "Welder", "location": "US-TX-Austin",
            "url": "https://careers-acme.icims.com/jobs/77/welder/job"}
    page = ('<html><head><script type="application/ld+json">{"@context": "https://schema.org", '
            '"@type": "JobPosting", "title": "Welder", "datePosted": "2026-10-01", "employmentType": '
            '["FULL_TIME"], "description": "<p>Weld.</p>", "jobLocation": {"@type": "Place", "address": '
            '{"addressLocality": "Austin", "addressRegion": "TX", "addressCountry": "US"}}}</script>'
            '</head><body></body></html>')
    resp = HtmlResponse(card["url"] + "?in_iframe=1", body=page.encode(), encoding="utf-8")
    job = next(iter(base.parse_job_page(resp, board, CTX, card, icims.job_from_card, base.jsonld_posting)))
    assert (job["city"], job["region"], job["country"]) == ("Austin", "TX", "US")
    assert job["employment_type"] == "FULL_TIME" and job["description_html"] == "<p>Weld.</p>"
    assert job["posted_at"] == "2026-10-01" and job["location"] == "US-TX-Austin"
