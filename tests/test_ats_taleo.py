"""Taleo: rows in the layouts open readers describe, detect, paging bounded by the count."""
from __future__ import annotations

import json
from datetime import datetime, timezone

import pytest
from scrapy.http import HtmlResponse, Request, TextResponse

from jobos.ats import base, detect_url, taleo
from jobos.ats.base import BadResponse, BoardContext

CTX = BoardContext("Acme", crawl_time=datetime(2026, 7, 1, tzinfo=timezone.utc))
BOARD = detect_url("https://bell.taleo.net/careersection/ex/jobsearch.ftl?lang=en&portal=101430233")
COMMON = {"company": "Acme", "company_domain": None, "source": "taleo", "method": "api", "board": "taleo:bell/ex",
          "scraped_at": "2026-07-01T00:00:00Z", "extraction_pending": False}
DETAIL = "https://bell.taleo.net/careersection/ex/jobdetail.ftl?job="


def test_rows_of_three_layouts_every_field():
    rows = [
        {"jobId": "1", "contestNo": "338801", "column": ["Aircraft Mechanic", '["US-Texas-Fort Worth"]', "10/02/2026"],
         "linkedColumn": 0, "locationsColumns": [1]},
        {"jobId": "2", "contestNo": "338802", "column": ['["US-Kansas-Wichita","CA-Quebec-Mirabel"]', "Buyer", "Oct 5, 2026"],
         "linkedColumn": 1, "locationsColumns": [0]},
        {"jobId": "3", "contestNo": "338803", "column": ["Quality Inspector"], "linkedColumn": 0, "locationsColumns": []},
    ]
    assert [dict(taleo.parse_requisition(r, BOARD, CTX)) for r in rows] == [
        {**COMMON, "external_id": "338801", "title": "Aircraft Mechanic", "url": DETAIL + "338801",
         "location": "US-Texas-Fort Worth", "locations": ["US-Texas-Fort Worth"], "posted_text": "10/02/2026"},
        {**COMMON, "external_id": "338802", "title": "Buyer", "url": DETAIL + "338802",
         "location": "US-Kansas-Wichita; CA-Quebec-Mirabel", "locations": ["US-Kansas-Wichita", "CA-Quebec-Mirabel"],
         "posted_text": "Oct 5, 2026"},
        {**COMMON, "external_id": "338803", "title": "Quality Inspector", "url": DETAIL + "338803"},
    ]


@pytest.mark.parametrize("url, token, portal", [
    ("https://bell.taleo.net/careersection/ex/jobsearch.ftl?lang=en&portal=101430233", "bell/ex", "101430233"),
    ("https://hdr.taleo.net/careersection/2/jobdetail.ftl?job=123", "hdr/2", None),
])
def test_detect_url_forms(url, token, portal):
    board = detect_url(url)
    assert board is not None and board.token == token and taleo._portal(board) == portal


def test_detect_refuses_other_taleo_pages():
    assert detect_url("https://chk.tbe.taleo.net/chk01/ats/careers/searchResults.jsp?org=X") is None
    assert detect_url("https://bell.taleo.net/careersection/rest/jobboard/searchjobs") is None
    assert detect_url("https://www.taleo.net/") is None


def _resp(data) -> TextResponse:
    url = "https://bell.taleo.net/careersection/rest/jobboard/searchjobs?lang=en&portal=101430233"
    body = data if isinstance(data, str) else json.dumps(data)
    return TextResponse(url, body=body.encode(), encoding="utf-8", request=Request(url, method="POST"))


def test_paging_is_bounded_by_the_count_and_repeats_count_once():
    page = {"requisitionList": [{"contestNo": str(i), "column": [f"T{i}"], "linkedColumn": 0} for i in range(25)],
            "pagingData": {"currentPageNo": 1, "pageSize": 25, "totalCount": 30}}
    seen: set[str] = set()
    out = list(taleo.parse_search(_resp(page), BOARD, CTX, portal="101430233", page=1, seen=seen))
    assert len(out) == 26 and json.loads(out[-1].body)["pageNo"] == 2 and out[-1].headers.get("tz") == b"GMT+00:00"
    # page 2 repeats rows already seen (a page past the end repeats the last): nothing new, no page 3
    out = list(taleo.parse_search(_resp(page), BOARD, CTX, portal="101430233", page=2, seen=seen, last=2))
    assert out == []


def test_unavailable_section_and_bad_answers():
    assert list(taleo.parse_search(_resp({"careerSectionUnAvailable": True}), BOARD, CTX, portal="1")) == []
    with pytest.raises(BadResponse):
        list(taleo.parse_search(_resp('{"requisitionList": [{"jobId'), BOARD, CTX, portal="1"))
    page = HtmlResponse("https://bell.taleo.net/careersection/ex/jobsearch.ftl", body=b"<html>no portal</html>")
    with pytest.raises(BadResponse):
        list(taleo.parse_section_page(page, BOARD, CTX))


def test_business_edition_rows_detect_and_job_page():
    url = "https://phg.tbe.taleo.net/phg04/ats/careers/v2/searchResults?org=SULLCROM&cws=38"
    board = detect_url(url)
    assert board is not None and board.token == "SULLCROM/38" and board.site == taleo.BUSINESS
    assert detect_url(url.replace("searchResults", "viewRequisition") + "&rid=12").key == board.key
    page = ('<div class="oracletaleocwsv2-accordion-head-info"><h4><a class="viewJobLink" '
            'href="/phg04/ats/careers/v2/viewRequisition?org=SULLCROM&amp;cws=38&amp;rid=1401">Conference '
            'Services Support</a></h4><div tabindex="0"></div><div tabindex="0">New York, NY</div></div>')
    rows = taleo.business_rows(page, url)
    assert rows == [{"id": "1401", "title": "Conference Services Support",
                     "url": "https://phg.tbe.taleo.net/phg04/ats/careers/v2/viewRequisition?org=SULLCROM&cws=38&rid=1401",
                     "department": None, "location": "New York, NY"}]
    job_page = HtmlResponse(rows[0]["url"], body=(
        b'<script type="application/ld+json">{"@type": "JobPosting", "datePosted": "2026-09-01", '
        b'"employmentType": "FULL_TIME", "description": "<p>Events.</p>", "jobLocation": {"address": '
        b'{"addressLocality": "New York", "addressRegion": "NY", "addressCountry": "US"}}}</script>'))
    job = dict(next(iter(base.parse_job_page(job_page, board, CTX, rows[0], taleo.business_job,
                                             base.jsonld_posting))))
    assert {k: job[k] for k in ("external_id", "title", "city", "region", "country", "employment_type",
                                 "posted_at", "description_html", "location")} == {
        "external_id": "1401", "title": "Conference Services Support", "city": "New York", "region": "NY",
        "country": "US", "employment_type": "FULL_TIME", "posted_at": "2026-09-01",
        "description_html": "<p>Events.</p>", "location": "New York, NY"}
