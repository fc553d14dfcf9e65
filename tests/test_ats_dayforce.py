"""Dayforce: postings in the shape open readers describe, detect, the cookie/CSRF sequence."""
from __future__ import annotations

import json
from datetime import datetime, timezone

import pytest
from scrapy.http import HtmlResponse, Request, TextResponse

from jobos.ats import dayforce, detect_url
from jobos.ats.base import BadResponse, BoardContext

CTX = BoardContext("Acme", crawl_time=datetime(2026, 7, 1, tzinfo=timezone.utc))
BOARD = detect_url("https://jobs.dayforcehcm.com/en-US/landstar/CANDIDATEPORTAL")


def test_posting_every_field():
    posting = {"jobPostingId": 24907, "jobTitle": "Principal Platform Engineer",
               "jobDescription": "<p>Build reliable platforms.</p>", "hasVirtualLocation": True,
               "postingLocations": [{"cityName": "Reston", "stateCode": "VA", "isoCountryCode": "US",
                                     "formattedAddress": "Reston, VA"}],
               "postingStartTimestampUTC": "2026-09-03T13:00:00Z"}
    assert dict(dayforce.parse_posting(posting, BOARD, CTX)) == {
        "company": "Acme", "company_domain": None, "source": "dayforce", "method": "api",
        "board": "dayforce:landstar/CANDIDATEPORTAL", "scraped_at": "2026-07-01T00:00:00Z",
        "extraction_pending": False, "external_id": "24907", "title": "Principal Platform Engineer",
        "url": "https://jobs.dayforcehcm.com/en-US/landstar/CANDIDATEPORTAL/jobs/24907",
        "location": "Reston, VA", "locations": ["Reston, VA"], "city": "Reston", "region": "VA", "country": "US",
        "remote_flag": "remote", "posted_at": "2026-09-03T13:00:00Z",
        "description_html": "<p>Build reliable platforms.</p>"}


@pytest.mark.parametrize("url, token", [
    ("https://jobs.dayforcehcm.com/en-US/car/CANDIDATEPORTAL/jobs/12216", "car/CANDIDATEPORTAL"),
    ("https://jobs.dayforcehcm.com/fr-CA/woodmenlife/EXTERNAL", "woodmenlife/EXTERNAL"),
    ("https://jobs.dayforcehcm.com/api/geo/landstar/jobposting/search", "landstar/CANDIDATEPORTAL"),
])
def test_detect_url_forms(url, token):
    assert detect_url(url).token == token


def test_detect_refuses_assets():
    assert detect_url("https://jobs.dayforcehcm.com/api/assets") is None
    assert detect_url("https://www.dayforce.com/careers") is None


def test_cookies_and_token_are_carried_to_the_search():
    portal = HtmlResponse(BOARD.url, body=b"<html></html>", headers={
        "Set-Cookie": ["next-auth.csrf-token=abc%7Chash; Path=/; HttpOnly", "__Host-x=1; Secure"]})
    csrf_request = next(iter(dayforce.parse_portal(portal, BOARD, CTX)))
    assert csrf_request.headers.get("Cookie") == b"next-auth.csrf-token=abc%7Chash; __Host-x=1"
    csrf = TextResponse(csrf_request.url, body=json.dumps({"csrfToken": "abc"}).encode(),
                        request=Request(csrf_request.url))
    search = next(iter(dayforce.parse_csrf(csrf, BOARD, CTX, cookie=csrf_request.cb_kwargs["cookie"])))
    assert search.url == "https://jobs.dayforcehcm.com/api/geo/landstar/jobposting/search"
    assert search.headers.get("X-CSRF-TOKEN") == b"abc"
    assert json.loads(search.body) == {"clientNamespace": "landstar", "jobBoardCode": "CANDIDATEPORTAL",
                                       "cultureCode": "en-US", "distanceUnit": 0, "paginationStart": 0}
    with pytest.raises(BadResponse):
        list(dayforce.parse_csrf(TextResponse(csrf_request.url, body=b"{}", request=Request(csrf_request.url)),
                                 BOARD, CTX, cookie=""))
