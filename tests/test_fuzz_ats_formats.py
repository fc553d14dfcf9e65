"""Fuzz the parsers of ATS modules without corpus recordings on mutated answers of their formats.

Seeds are small answers in each format (as the stand-in boards serve them); hypothesis replaces
values with values of other types and flips bytes. A parser may raise BadResponse (counted by
the crawl) and nothing else.
"""
from __future__ import annotations

import json
from datetime import datetime, timezone

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st
from scrapy.http import HtmlResponse, Request, TextResponse

from jobos.ats import BoardContext, adp, cornerstone, dayforce, detect_url, phenom, taleo, ukg
from jobos.ats.base import BadResponse
from tests.test_fuzz_parsers import JSON_VALUES, _paths

FUZZ = settings(max_examples=40, deadline=None, derandomize=True,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
CTX = BoardContext("Fuzz Co", crawl_time=datetime(2026, 7, 1, tzinfo=timezone.utc))

SEEDS = {
    "ukg": ("https://recruiting.ultipro.com/FUZ1001FUZZ/JobBoard/f11a0b52-5153-4c12-ad2c-b7f3b0a74112/",
            lambda b, r: ukg.parse_search(r, b, CTX),
            {"totalCount": 2, "opportunities": [
                {"Id": "a0a2a8f5", "Title": "Intern", "FullTime": True, "JobCategoryName": "R&D",
                 "PostedDate": "2026-09-29T22:59:48.553Z", "BriefDescription": "<p>x</p>",
                 "Locations": [{"LocalizedDescription": "Tucson", "Address": {"City": "Oro Valley",
                                "State": {"Code": "AZ"}, "Country": {"Code": "US"}}}]}]}),
    "taleo": ("https://fuzz.taleo.net/careersection/ex/jobsearch.ftl?lang=en&portal=1",
              lambda b, r: taleo.parse_search(r, b, CTX, portal="1"),
              {"requisitionList": [{"jobId": "1", "contestNo": "338801", "linkedColumn": 0, "locationsColumns": [1],
                                    "column": ["Mechanic", '["US-Texas-Fort Worth"]', "10/02/2026"]}],
               "pagingData": {"currentPageNo": 1, "pageSize": 25, "totalCount": 30}}),
    "phenom": ("https://careers.fuzz.example/us/en/search-results", lambda b, r: phenom.parse_widgets(r, b, CTX),
               {"refineSearch": {"totalHits": 3, "data": {"jobs": [
                   {"jobSeqNo": "A1", "title": "Welder", "city": "Leeds", "state": "England", "category": "Ops",
                    "postedDate": "2026-10-01T00:00:00.000+0000", "type": "Full time", "applyUrl": "https://x.example/a"}]}}}),
    "adp": ("https://workforcenow.adp.com/mascsr/default/mdf/recruitment/recruitment.html"
            "?cid=2e4e5521-e8a5-4572-9ffd-3c8e382ee6f2&ccId=19000101_000001",
            lambda b, r: adp.parse_list(r, b, CTX),
            {"jobRequisitions": [{"itemID": "92_1", "requisitionTitle": "Teller", "postDate": "2026-09-03",
                                  "requisitionLocations": [{"nameCode": {"shortName": "Boston, MA"},
                                                            "address": {"cityName": "Boston", "countryCode": "US"}}],
                                  "customFieldGroup": {"stringFields": [{"nameCode": {"codeValue": "ExternalJobID"},
                                                                         "stringValue": "583650"}]}}],
             "meta": {"totalNumber": 45}}),
    "dayforce": ("https://jobs.dayforcehcm.com/en-US/fuzz/CANDIDATEPORTAL",
                 lambda b, r: dayforce.parse_search(r, b, CTX, token="t", cookie="c=1"),
                 {"jobPostings": [{"jobPostingId": 24907, "jobTitle": "Engineer", "jobDescription": "<p>x</p>",
                                   "hasVirtualLocation": False, "postingStartTimestampUTC": "2026-09-03T13:00:00Z",
                                   "postingLocations": [{"cityName": "Reston", "stateCode": "VA", "isoCountryCode": "US"}]}],
                  "maxCount": 30, "offset": 0, "count": 1}),
    "cornerstone": ("https://fuzz.csod.com/ux/ats/careersite/3/home?c=fuzz",
                    lambda b, r: cornerstone.parse_search(r, b, CTX, token="t", cloud="https://uk.api.csod.com/"),
                    {"status": "Success", "data": {"totalCount": 130, "requisitions": [
                        {"requisitionId": 5521, "displayJobTitle": "Engineer", "postingEffectiveDate": "9/30/2026",
                         "locations": [{"city": "Timisoara", "state": "Timis", "country": "RO"}],
                         "externalDescription": "x"}]}}),
}


@st.composite
def mutated_answer(draw, seed: dict) -> bytes:
    doc = json.loads(json.dumps(seed))
    paths = list(_paths(doc))
    for _ in range(draw(st.integers(1, 6))):
        path = draw(st.sampled_from(paths))
        holder = doc
        try:
            for step in path[:-1]:
                holder = holder[step]
            holder[path[-1]] = draw(JSON_VALUES)
        except (KeyError, IndexError, TypeError):
            continue
    body = json.dumps(doc).encode()
    if draw(st.booleans()):
        cut = draw(st.integers(0, len(body)))
        body = body[:cut] + draw(st.binary(max_size=8))
    return body


@pytest.mark.parametrize("name", sorted(SEEDS))
def test_format_parsers_on_mutated_answers(name):
    url, call, seed = SEEDS[name]
    board = detect_url(url)
    assert board is not None and board.ats == name

    @FUZZ
    @given(body=mutated_answer(seed))
    def run(body: bytes) -> None:
        response = TextResponse(url, body=body, encoding="utf-8", request=Request(url))
        try:
            list(call(board, response) or [])
        except BadResponse:
            pass

    run()


@FUZZ
@given(text=st.text(max_size=400), junk=st.sampled_from(["csod.context=", "phApp.ddo = ", "portalNo: '",
                                                         "oracletaleocwsv2-accordion-head-info", "{", "<script>"]))
def test_page_readers_on_hostile_pages(text, junk):
    page = f"<html><script>{junk}{text}</script><div class='{junk}'>{text}</div></html>"
    for reader in (lambda: cornerstone.site_context(page), lambda: phenom.page_ddo(page),
                   lambda: taleo.business_rows(page, "https://p.tbe.taleo.net/p1/ats/careers/v2/searchResults"),
                   lambda: cornerstone.token_audience(text)):
        try:
            reader()
        except BadResponse:
            pass
    response = HtmlResponse("https://jobs.dayforcehcm.com/en-US/fuzz/CANDIDATEPORTAL", body=page.encode())
    list(dayforce.parse_portal(response, detect_url(response.url), CTX))
