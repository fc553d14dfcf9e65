"""JazzHR: listing and job page parsers on pages in the shape open code shows, detect().

No recorded JazzHR page exists in the corpus; pages follow the markup open job collectors' tests
use, so this module is not yet checked against a real page.
"""
from __future__ import annotations

import json

import pytest
from scrapy.http import HtmlResponse
from twisted.python.failure import Failure

from jobos.ats import detect_url, jazzhr
from jobos.ats.base import BoardContext

CTX = BoardContext(company="Acme")
BOARD = jazzhr.board_for("bluevoyant")
D = "https://bluevoyant.applytojob.com/apply/jobs/details/"
COMMON = {"company": "Acme", "company_domain": None, "source": "jazzhr", "method": "api",
          "extraction_pending": False, "board": "jazzhr:bluevoyant"}
LISTING = ('<html><div id="job_listings_wrapper">'
           '<a class="job_title_link" href="/apply/jobs/details/FFZLDWvD0h?&">Client Success Manager III</a>'
           '<a class="job_title_link" href="https://bluevoyant.applytojob.com/apply/jobs/details/hKQA66W5Ad">Software Intern &amp; Co-op</a>'
           '<a href="/apply/jobs/details/FFZLDWvD0h">Client Success Manager III</a>'
           '<a href="https://other.applytojob.com/apply/jobs/details/XcUOPF2PGf">Elsewhere</a>'
           '<a href="/apply/jobs">All jobs</a></div></html>')
POSTING = {"@context": "https://schema.org", "@type": "JobPosting", "title": "Client Success Manager III",
           "description": "<p>Help customers succeed.</p>", "employmentType": "FULL_TIME",
           "jobLocationType": "TELECOMMUTE", "datePosted": "2026-07-29",
           "jobLocation": {"@type": "Place", "address": {"@type": "PostalAddress", "addressLocality": "Toronto",
                                                         "addressRegion": "ON", "addressCountry": "CA"}},
           "baseSalary": {"@type": "MonetaryAmount", "currency": "CAD",
                          "value": {"@type": "QuantitativeValue", "minValue": 90000, "maxValue": 110000, "unitText": "YEAR"}}}


def _page(req, body: str, status: int = 200):
    return HtmlResponse(req.url, status=status, body=body.encode(), encoding="utf-8", request=req)


def test_listing_links_once_each_on_the_tenant():
    assert jazzhr.listing_rows(LISTING, BOARD) == [
        {"code": "FFZLDWvD0h", "url": D + "FFZLDWvD0h", "title": "Client Success Manager III"},
        {"code": "hKQA66W5Ad", "url": D + "hKQA66W5Ad", "title": "Software Intern & Co-op"}]


def test_job_page_every_field_and_fallbacks():
    (req,) = list(jazzhr.start(BOARD, CTX))
    assert req.url == "https://bluevoyant.applytojob.com/apply/jobs"
    first, second = list(req.callback(_page(req, LISTING), **req.cb_kwargs))
    page = f'<html><script type="application/ld+json">{json.dumps(POSTING)}</script><body>x</body></html>'
    (item,) = list(first.callback(_page(first, page), **first.cb_kwargs))
    assert {k: v for k, v in item.items() if k != "scraped_at"} == {
        **COMMON, "external_id": "FFZLDWvD0h", "title": "Client Success Manager III", "url": D + "FFZLDWvD0h",
        "apply_url": D + "FFZLDWvD0h", "location": "Toronto, ON, CA", "locations": ["Toronto, ON, CA"],
        "city": "Toronto", "region": "ON", "country": "CA", "remote_flag": "remote", "employment_type": "FULL_TIME",
        "posted_at": "2026-07-29", "description_html": "<p>Help customers succeed.</p>",
        "salary_min": 90000.0, "salary_max": 110000.0, "salary_currency": "CAD", "salary_period": "YEAR"}
    (plain,) = list(second.callback(_page(second, "<html><body>no posting</body></html>"), **second.cb_kwargs))
    assert {k: v for k, v in plain.items() if k != "scraped_at"} == {
        **COMMON, "external_id": "hKQA66W5Ad", "title": "Software Intern & Co-op", "url": D + "hKQA66W5Ad",
        "apply_url": D + "hKQA66W5Ad"}
    (gone,) = list(second.callback(_page(second, "gone", 404), **second.cb_kwargs))
    assert gone["title"] == "Software Intern & Co-op"
    assert second.meta["handle_httpstatus_list"] == [404, 410]
    # A page that failed for good (network, 5xx) keeps the listing's data too.
    failure = Failure(ConnectionRefusedError("refused"))
    failure.request = second
    (kept,) = list(second.errback(failure))
    assert {k: v for k, v in kept.items() if k != "scraped_at"} == {
        k: v for k, v in plain.items() if k != "scraped_at"}
    (req,) = list(jazzhr.start(BOARD, BoardContext(company="A", max_jobs=1)))
    assert len(list(req.callback(_page(req, LISTING), **req.cb_kwargs))) == 1


@pytest.mark.parametrize("url", ["https://bluevoyant.applytojob.com/apply/jobs",
                                 "https://BlueVoyant.applytojob.com/apply/jobs/details/FFZLDWvD0h?source=x",
                                 "https://bluevoyant.applytojob.com/apply"])
def test_detect_url_forms(url):
    board = jazzhr.detect(url)
    assert (board.key, board.url) == ("jazzhr:bluevoyant", "https://bluevoyant.applytojob.com/apply/jobs")
    assert detect_url(url) == board


@pytest.mark.parametrize("url", ["https://www.applytojob.com/", "https://applytojob.com/apply", "https://a.b.applytojob.com/"])
def test_detect_refuses_other_urls(url):
    assert jazzhr.detect(url) is None
