"""UKG Pro: the parser on an answer in the shape open readers record, detect, paging."""
from __future__ import annotations

import json
from datetime import datetime, timezone

import pytest
from scrapy.http import Request, TextResponse

from jobos.ats import detect_url, ukg
from jobos.ats.base import BadResponse, BoardContext

CTX = BoardContext("Acme", crawl_time=datetime(2026, 7, 1, tzinfo=timezone.utc))
URL = "https://recruiting2.ultipro.com/NIK1001NIKON/JobBoard/f11a0b52-5153-4c12-ad2c-b7f3b0a74112"
BOARD = detect_url(URL + "/?q=&o=postedDateDesc")
# Written in the shape of a recorded board answer kept by an open project (Nikon Precision).
ANSWER = {"totalCount": 3, "opportunities": [
    {"Id": "a0a2a8f5", "Title": "NRCA Optical Scientist Graduate-Level Intern (Summer 2027)",
     "RequisitionNumber": "NRCAO001457", "PostedDate": "2026-09-29T22:59:48.553Z",
     "Locations": [{"LocalizedDescription": "Tucson, Arizona",
                    "Address": {"City": "Oro Valley", "State": {"Code": "AZ", "Name": "Arizona"}}}]},
    {"Id": "532a7dc9", "Title": "Field Service Engineer", "RequisitionNumber": "FIELD001451",
     "PostedDate": "2026-07-10T18:41:41.306Z", "FullTime": True, "JobCategoryName": "Service",
     "Locations": [{"LocalizedDescription": "Arizona", "Address": {"City": "Chandler", "State": {"Code": "AZ"}}},
                   {"LocalizedDescription": "Phoenix, AZ", "Address": {"City": None, "State": {"Code": "AZ"}}}]},
    {"Id": "77aa", "Title": "Field Service Engineer", "RequisitionNumber": "FIELD001460",
     "PostedDate": "2026-08-01T00:00:00Z", "FullTime": False, "BriefDescription": "<p>Hillsboro fab.</p>",
     "Locations": [{"LocalizedDescription": "Hillsboro, OR",
                    "Address": {"City": "Hillsboro", "State": {"Code": "OR"}, "Country": {"Code": "US"}}}]},
]}
COMMON = {"company": "Acme", "company_domain": None, "source": "ukg", "method": "api",
          "board": "ukg:NIK1001NIKON/f11a0b52-5153-4c12-ad2c-b7f3b0a74112",
          "scraped_at": "2026-07-01T00:00:00Z", "extraction_pending": False}


def test_every_field_of_three_opportunities():
    jobs = [dict(ukg.parse_opportunity(o, BOARD, CTX)) for o in ANSWER["opportunities"]]
    assert jobs == [
        {**COMMON, "external_id": "a0a2a8f5", "title": "NRCA Optical Scientist Graduate-Level Intern (Summer 2027)",
         "url": URL + "/OpportunityDetail?opportunityId=a0a2a8f5",
         "apply_url": URL + "/OpportunityApply?opportunityId=a0a2a8f5",
         "location": "Oro Valley, AZ", "locations": ["Oro Valley, AZ"], "city": "Oro Valley", "region": "AZ",
         "posted_at": "2026-09-29T22:59:48.553Z"},
        {**COMMON, "external_id": "532a7dc9", "title": "Field Service Engineer",
         "url": URL + "/OpportunityDetail?opportunityId=532a7dc9",
         "apply_url": URL + "/OpportunityApply?opportunityId=532a7dc9",
         "location": "Chandler, AZ; Phoenix, AZ", "locations": ["Chandler, AZ", "Phoenix, AZ"],
         "employment_type": "FULL_TIME", "department": "Service", "posted_at": "2026-07-10T18:41:41.306Z"},
        {**COMMON, "external_id": "77aa", "title": "Field Service Engineer",
         "url": URL + "/OpportunityDetail?opportunityId=77aa",
         "apply_url": URL + "/OpportunityApply?opportunityId=77aa",
         "location": "Hillsboro, OR, US", "locations": ["Hillsboro, OR, US"], "city": "Hillsboro",
         "region": "OR", "country": "US", "employment_type": "PART_TIME",
         "posted_at": "2026-08-01T00:00:00Z", "description_html": "<p>Hillsboro fab.</p>"},
    ]


@pytest.mark.parametrize("url", [
    URL + "/", URL + "/OpportunityDetail?opportunityId=532a7dc9",
    "https://vaneck.rec.pro.ukg.net/VAN1502VEAC/JobBoard/f11a0b52-5153-4c12-ad2c-b7f3b0a74112/",
])
def test_detect_url_forms(url):
    board = detect_url(url)
    assert board is not None and board.ats == "ukg" and board.token.endswith("/f11a0b52-5153-4c12-ad2c-b7f3b0a74112")


def test_detect_refuses_other_pages():
    assert detect_url("https://recruiting.ultipro.com/") is None
    assert detect_url("https://recruiting.ultipro.com/NIK1001NIKON/JobBoard/not-a-guid/") is None


def _resp(data) -> TextResponse:
    url = URL + "/JobBoardView/LoadSearchResults"
    body = data if isinstance(data, str) else json.dumps(data)
    return TextResponse(url, body=body.encode(), encoding="utf-8", request=Request(url, method="POST"))


def test_paging_by_skip_and_bad_answers():
    page = {"totalCount": 120, "opportunities": [{"Id": str(i), "Title": f"T{i}"} for i in range(50)]}
    out = list(ukg.parse_search(_resp(page), BOARD, CTX, skip=0))
    assert len(out) == 51 and json.loads(out[-1].body)["opportunitySearch"]["Skip"] == 50
    assert json.loads(out[-1].body)["opportunitySearch"]["Top"] == 50
    with pytest.raises(BadResponse):
        list(ukg.parse_search(_resp('{"totalCount": 3, "opportun'), BOARD, CTX))
    with pytest.raises(BadResponse):
        list(ukg.parse_search(_resp({"message": "error"}), BOARD, CTX))
