"""Oracle Recruiting Cloud: the parser on the recorded list and detail answers, detect, paging."""
from __future__ import annotations

import json
from datetime import datetime, timezone

import pytest
from scrapy.http import Request, TextResponse

from jobos.ats import detect_url, oracle
from jobos.ats.base import BadResponse, BoardContext
from tests.corpus import corpus_files

CTX = BoardContext("Acme", crawl_time=datetime(2026, 7, 1, tzinfo=timezone.utc))
BOARD = oracle.detect("https://emje.fa.us6.oraclecloud.com/hcmUI/CandidateExperience/en/sites/CX_1001")
COMMON = {"company": "Acme", "company_domain": None, "source": "oracle", "method": "api",
          "board": "oracle:emje.fa.us6.oraclecloud.com/CX_1001", "scraped_at": "2026-07-01T00:00:00Z",
          "extraction_pending": False}
JOB_URL = "https://emje.fa.us6.oraclecloud.com/hcmUI/CandidateExperience/en/sites/CX_1001/job/"


def _file(part: str) -> dict:
    path = next(p for p in corpus_files("oracle_hcm") if part in p.name)
    return json.loads(path.read_text(encoding="utf-8"))


def _jobs(part: str) -> list[dict]:
    rows, _ = oracle.listing(_file(part))
    return [dict(oracle.parse_job(row, BOARD, CTX)) for row in rows]


def test_every_requisition_of_every_recorded_list_is_parsed():
    for path in corpus_files("oracle_hcm"):
        data = json.loads(path.read_text(encoding="utf-8"))
        if "detail" in path.name:
            continue
        rows, total = oracle.listing(data)
        jobs = [oracle.parse_job(row, BOARD, CTX) for row in rows]
        assert len(jobs) == len(data["items"][0]["requisitionList"]) == 3
        assert all(j["external_id"] and j["title"] and j["url"] for j in jobs)
        assert total in (105, 3)


def test_southern_company_list_every_field_of_three_jobs():
    assert _jobs("haydenham__vertical-job-digest__oracle.json") == [
        {**COMMON, "external_id": "16280", "title": "Radiation Protection Supervisor - Plant Hatch",
         "url": JOB_URL + "16280", "location": "Baxley, GA, United States",
         "locations": ["Baxley, GA, United States"], "country": "US", "posted_at": "2026-06-23"},
        {**COMMON, "external_id": "17305", "title": "Corrosion Technician III",
         "url": JOB_URL + "17305", "location": "Riverdale, GA, United States",
         "locations": ["Riverdale, GA, United States"], "country": "US", "posted_at": "2026-06-24"},
        {**COMMON, "external_id": "18868", "title": "Solar Operations Technician – Henrietta Solar Project",
         "url": JOB_URL + "18868", "location": "Lemoore, CA, United States",
         "locations": ["Lemoore, CA, United States"], "country": "US", "posted_at": "2026-06-23"},
    ]


def test_jpmorgan_list_every_field_of_three_jobs():
    assert _jobs("yennierat") == [
        {**COMMON, "external_id": "210642927", "title": "Lead Software Engineering - Automation",
         "url": JOB_URL + "210642927", "location": "Jersey City, NJ, United States",
         "locations": ["Jersey City, NJ, United States"], "country": "US",
         "department": "Software Engineering", "posted_at": "2026-09-03",
         "description_html": "Carry out critical tech solutions across multiple technical areas as "
                             "an integral part of an agile team"},
        {**COMMON, "external_id": "210674479",
         "title": "U.S. Private Bank – Private Banker – Vice President or Executive Director",
         "url": JOB_URL + "210674479", "location": "Grand Rapids, MI, United States",
         "locations": ["Grand Rapids, MI, United States"], "country": "US",
         "department": "Client Advisory", "posted_at": "2026-09-01",
         "description_html": "Join a team delivering premiere service to high net worth clients "
                             "through holistic financial advisement."},
        {**COMMON, "external_id": "210687235",
         "title": "Global Banking Intelligence & Growth Strategy, Senior Associate",
         "url": JOB_URL + "210687235", "location": "New York, NY, United States",
         "locations": ["New York, NY, United States"], "country": "US", "department": "Strategy",
         "posted_at": "2026-09-02",
         "description_html": "Join the Global Banking Intelligence & Growth Strategy team!"},
    ]


def test_detail_record_completes_the_listing_row():
    rows, _ = oracle.listing(_file("haydenham__vertical-job-digest__oracle.json"))
    detail = _file("oracle_detail")["items"][0]
    job = dict(oracle.parse_job(rows[0], BOARD, CTX, detail))
    description = job.pop("description_html")
    assert job == {**COMMON, "external_id": "16280",
                   "title": "Radiation Protection Supervisor - Plant Hatch", "url": JOB_URL + "16280",
                   "location": "Baxley, GA, United States", "locations": ["Baxley, GA, United States"],
                   "country": "US", "employment_type": "Full time",
                   "department": "Power Plant Operations & Maintenance",
                   "posted_at": "2026-06-23T15:48:06+00:00"}
    assert description.startswith("<p><strong>Radiation Protection Supervisor (Plant Hatch)")
    assert "<li>Team Player</li>" in description and len(description) == 4231
    assert "Southern Nuclear</b>, a subsidiary" not in description  # corporate blurb left out


@pytest.mark.parametrize("url, token", [
    ("https://emje.fa.us6.oraclecloud.com/hcmUI/CandidateExperience/en/sites/CX_1001/job/16280",
     "emje.fa.us6.oraclecloud.com/CX_1001"),
    ("https://jpmc.fa.oraclecloud.com/hcmUI/CandidateExperience/en/sites/CX_1001/requisitions?location=NY",
     "jpmc.fa.oraclecloud.com/CX_1001"),
    ("https://efds.fa.em5.oraclecloud.com/hcmRestApi/resources/latest/recruitingCEJobRequisitions"
     "?onlyData=true&finder=findReqs;siteNumber=CX_1,limit=25", "efds.fa.em5.oraclecloud.com/CX_1"),
    ("https://careers.example.com/hcmUI/CandidateExperience/fr/sites/ExternalSite", "careers.example.com/ExternalSite"),
])
def test_detect_url_forms(url, token):
    board = detect_url(url)
    assert board is not None and board.ats == "oracle" and board.token == token


def test_detect_refuses_what_names_no_site():
    assert oracle.detect("https://jpmc.fa.oraclecloud.com/") is None
    assert detect_url("https://login.oraclecloud.com/hcmUI/CandidateExperience/en/sites/") is None
    assert detect_url("https://www.oracle.com/careers/") is None


def _response(url: str, data, **cb) -> TextResponse:
    body = data if isinstance(data, str) else json.dumps(data)
    return TextResponse(url, body=body.encode(), encoding="utf-8", request=Request(url, cb_kwargs=cb))


def test_listing_yields_a_detail_call_per_job_and_the_next_page():
    page = {"items": [{"TotalJobsCount": 30, "requisitionList": [
        {"Id": str(i), "Title": f"Job {i}"} for i in range(25)]}]}
    out = list(oracle.parse_listing(_response(oracle.list_url(BOARD, 0), page), BOARD, CTX, offset=0))
    details = [r for r in out if r.callback is oracle.parse_detail]
    pages = [r for r in out if r.callback is oracle.parse_listing]
    assert len(details) == 25
    assert details[0].url == ('https://emje.fa.us6.oraclecloud.com/hcmRestApi/resources/latest/'
                              'recruitingCEJobRequisitionDetails?expand=all&onlyData=true'
                              '&finder=ById;Id=%220%22,siteNumber=CX_1001')
    assert len(pages) == 1 and pages[0].cb_kwargs["offset"] == 25 and ",offset=25," in pages[0].url
    last = {"items": [{"TotalJobsCount": 30, "requisitionList": [
        {"Id": str(i), "Title": f"Job {i}"} for i in range(25, 30)]}]}
    out = list(oracle.parse_listing(_response(pages[0].url, last), BOARD, CTX, offset=25))
    assert len(out) == 5 and all(r.callback is oracle.parse_detail for r in out)


def test_malformed_listing_is_a_bad_response():
    with pytest.raises(BadResponse):
        list(oracle.parse_listing(_response(oracle.list_url(BOARD, 0), '{"items": [{"Tot'), BOARD, CTX))
    with pytest.raises(BadResponse):
        list(oracle.parse_listing(_response(oracle.list_url(BOARD, 0), {"error": "x"}), BOARD, CTX))
