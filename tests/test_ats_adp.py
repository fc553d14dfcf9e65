"""ADP Workforce Now: requisitions in the shape open readers describe, detect, paging."""
from __future__ import annotations

import json
from datetime import datetime, timezone

import pytest
from scrapy.http import Request, TextResponse

from jobos.ats import adp, detect_url
from jobos.ats.base import BadResponse, BoardContext

CTX = BoardContext("Acme", crawl_time=datetime(2026, 7, 1, tzinfo=timezone.utc))
PAGE = ("https://workforcenow.adp.com/mascsr/default/mdf/recruitment/recruitment.html"
        "?cid=2e4e5521-e8a5-4572-9ffd-3c8e382ee6f2&ccId=19000101_000001")
BOARD = detect_url(PAGE + "&lang=en_US")


def test_requisition_every_field():
    row = {"itemID": "9201054459837_1", "requisitionTitle": " Teller ",
           "requisitionLocations": [{"nameCode": {"shortName": "Canandaigua, NY, US"},
                                     "address": {"cityName": "Canandaigua", "countrySubdivisionLevel1": {"codeValue": "NY"},
                                                 "countryCode": "US"}}],
           "postDate": "2026-09-03T04:00:00.000+0000", "workLevelCode": {"shortName": "Full Time"},
           "customFieldGroup": {"stringFields": [{"nameCode": {"codeValue": "ExternalJobID"}, "stringValue": "583650"}]}}
    detail = {**row, "requisitionDescription": "<p>Serve customers.</p>"}
    assert dict(adp.parse_requisition(row, BOARD, CTX, detail)) == {
        "company": "Acme", "company_domain": None, "source": "adp", "method": "api",
        "board": "adp:2e4e5521-e8a5-4572-9ffd-3c8e382ee6f2/19000101_000001", "scraped_at": "2026-07-01T00:00:00Z",
        "extraction_pending": False, "external_id": "9201054459837_1", "title": "Teller",
        "url": PAGE + "&jobId=583650&lang=en_US", "location": "Canandaigua, NY, US",
        "locations": ["Canandaigua, NY, US"], "city": "Canandaigua", "region": "NY", "country": "US",
        "employment_type": "Full Time", "posted_at": "2026-09-03T04:00:00.000+0000",
        "description_html": "<p>Serve customers.</p>"}


def test_detect_needs_a_client_id():
    assert BOARD is not None and BOARD.token == "2e4e5521-e8a5-4572-9ffd-3c8e382ee6f2/19000101_000001"
    assert detect_url(PAGE + "&jobId=583650").key == BOARD.key
    assert detect_url("https://workforcenow.adp.com/mascsr/default/mdf/recruitment/recruitment.html") is None
    assert detect_url("https://www.adp.com/careers") is None


def _resp(data) -> TextResponse:
    url = adp.list_url(BOARD, 0)
    body = data if isinstance(data, str) else json.dumps(data)
    return TextResponse(url, body=body.encode(), encoding="utf-8", request=Request(url))


def test_paging_by_rows_received_and_bad_answers():
    page = {"jobRequisitions": [{"itemID": str(i), "requisitionTitle": f"T{i}"} for i in range(20)],
            "meta": {"totalNumber": 45}}
    out = list(adp.parse_list(_resp(page), BOARD, CTX, skip=0))
    assert len(out) == 21 and out[-1].url.endswith("&$top=100&$skip=20")
    assert out[0].url.startswith("https://workforcenow.adp.com/mascsr/default/careercenter/public/events/"
                                 "staffing/v1/job-requisitions/0?cid=2e4e5521")
    with pytest.raises(BadResponse):
        list(adp.parse_list(_resp('{"jobRequisitions": [{"item'), BOARD, CTX))
    with pytest.raises(BadResponse):
        list(adp.parse_list(_resp({"confirmMessage": {}}), BOARD, CTX))
