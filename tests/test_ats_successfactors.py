"""SuccessFactors: the feed parser on the recorded Qorvo feed, title/place split, detect, search."""
from __future__ import annotations

from datetime import datetime, timezone

import pytest
from scrapy.http import HtmlResponse, Request, TextResponse

from jobos.ats import detect_url, successfactors as sf
from jobos.ats.base import BadResponse, BoardContext
from tests.corpus import corpus_files

CTX = BoardContext("Acme", crawl_time=datetime(2026, 7, 1, tzinfo=timezone.utc))
BOARD = sf.detect("https://careers.qorvo.com/feeds//?locale=en_US")
COMMON = {"company": "Acme", "company_domain": None, "source": "successfactors", "method": "api",
          "board": "successfactors:careers.qorvo.com", "scraped_at": "2026-07-01T00:00:00Z",
          "extraction_pending": False}


def _feed() -> bytes:
    return next(iter(corpus_files("successfactors", ".xml"))).read_bytes()


def test_every_item_of_the_recorded_feed_every_field():
    # The recording keeps two items (descriptions replaced by '...' by its recorder).
    jobs = [dict(sf.parse_feed_item(i, BOARD, CTX)) for i in sf.feed_items(_feed())]
    assert jobs == [
        {**COMMON, "external_id": "1397790900", "title": "Principal Research Scientist",
         "url": "https://careers.qorvo.com/job/Richardson-Principal-Research-Scientist-TX-75080/1397790900/",
         "location": "Richardson, TX, US, 75080", "country": "US", "posted_at": "2026-10-02T07:00:00+00:00"},
        {**COMMON, "external_id": "1397710500", "title": "Principal Research Scientist -  RF MMIC Design",
         "url": "https://careers.qorvo.com/job/Richardson-Principal-Research-Scientist-RF-MMIC-Design-TX-75080/1397710500/",
         "location": "Richardson, TX, US, 75080", "country": "US", "posted_at": "2026-10-02T07:00:00+00:00"},
    ]


@pytest.mark.parametrize("title, expected", [
    ("Buyer (Munich, BY, DE, 80331)", ("Buyer", "Munich, BY, DE, 80331")),
    ("Engineer (f/m/d) (Berlin, DE)", ("Engineer (f/m/d)", "Berlin, DE")),
    ("No place here", ("No place here", None)),
])
def test_split_title(title, expected):
    assert sf.split_title(title) == expected


def test_place_country_needs_a_country_part():
    assert sf.place_country("Richardson, TX, US, 75080") == "US"
    assert sf.place_country("Munich, BY, DE") == "DE"
    assert sf.place_country("Austin, TX") is None  # a state, not a country


@pytest.mark.parametrize("url", [
    "https://careers.qorvo.com/job/Richardson-Principal-Research-Scientist-TX-75080/1397790900/?feedId=null",
    "https://careers.qorvo.com/feeds//?locale=en_US",
    "https://qorvo.jobs2web.com/search/?q=",
])
def test_detect_url_forms(url):
    board = detect_url(url)
    assert board is not None and board.ats == "successfactors" and board.token == urlhost(url)


def urlhost(url: str) -> str:
    return url.split("/")[2]


def test_detect_leaves_ordinary_job_urls_alone():
    assert detect_url("https://www.example.com/job/welder/12345/") is None
    assert detect_url("https://www.example.com/feeds/") is None


def test_malformed_feed_is_a_bad_response():
    with pytest.raises(BadResponse):
        sf.feed_items(_feed()[:700])
    with pytest.raises(BadResponse):
        sf.feed_items(b"<html><body>Maintenance</body></html>")


def test_empty_feed_falls_back_to_search_pages_which_page_while_full():
    empty = TextResponse(sf.feed_url(BOARD), status=404, body=b"Not Found", request=Request(sf.feed_url(BOARD)))
    out = list(sf.parse_feed(empty, BOARD, CTX))
    assert len(out) == 1 and out[0].url == sf.search_url(BOARD, 0)
    rows = "".join(f'<tr class="data-row"><td><a class="jobTitle-link" href="/job/x-{i}/{100000000 + i}/">Job {i}</a>'
                   f'<span class="jobLocation">Oslo, NO</span><span class="jobDate">Oct 1, 2026</span></td></tr>'
                   for i in range(25))
    page = HtmlResponse(sf.search_url(BOARD, 0), body=f"<table>{rows}</table>".encode(), encoding="utf-8")
    out = list(sf.parse_search(page, BOARD, CTX, startrow=0, seen=set()))
    assert len(out) == 26 and out[-1].url == sf.search_url(BOARD, 25)
    assert out[0]["external_id"] == "100000000" and out[0]["location"] == "Oslo, NO"
    assert out[0]["posted_text"] == "Oct 1, 2026"
    # the same page again adds nothing new: paging stops
    assert list(sf.parse_search(page, BOARD, CTX, startrow=25, seen=out[-1].cb_kwargs["seen"])) == []
