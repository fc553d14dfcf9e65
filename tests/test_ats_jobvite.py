"""Jobvite: listing and job page parsers on pages in the markup open code reads, detect().

No recorded Jobvite page exists in the corpus; the pages follow the jv-* markup open job
collectors parse, so this module is not yet checked against a real page.
"""
from __future__ import annotations

import re

import pytest
from scrapy.http import HtmlResponse

from jobos.ats import detect_url, jobvite
from jobos.ats.base import BadResponse, BoardContext

CTX = BoardContext(company="Acme")
BOARD = jobvite.board_for("nutanix")
J = "https://jobs.jobvite.com/nutanix/job/"
COMMON = {"company": "Acme", "company_domain": None, "source": "jobvite", "method": "api",
          "extraction_pending": False, "board": "jobvite:nutanix"}
LISTING = ('<html><body><h3>Engineering</h3><table class="jv-job-list"><tr>'
           '<td class="jv-job-list-name"><a href="/nutanix/job/oQ1rS2tU">Staff Engineer</a></td>'
           '<td class="jv-job-list-location">\n San Jose, CA \n</td></tr><tr>'
           '<td class="jv-job-list-name"><a href="https://jobs.jobvite.com/nutanix/job/oV3wX4yZ?nl=1">SRE</a></td>'
           '<td class="jv-job-list-location">Bangalore, India</td></tr></table>'
           '<ul><li class="jv-featured-job"><a class="jv-featured-job-title" href="/nutanix/job/oA5bC6dE">Intern</a>'
           '<span class="jv-featured-job-location">Durham, NC</span></li></ul>'
           '<a href="https://evil.example/nutanix/job/oQ9">x</a></body></html>')


def test_listing_rows():
    assert jobvite.listing_rows(LISTING, BOARD) == [
        {"id": "oQ1rS2tU", "url": J + "oQ1rS2tU", "title": "Staff Engineer", "location": "San Jose, CA", "category": "Engineering"},
        {"id": "oV3wX4yZ", "url": J + "oV3wX4yZ", "title": "SRE", "location": "Bangalore, India", "category": "Engineering"},
        {"id": "oA5bC6dE", "url": J + "oA5bC6dE", "title": "Intern", "location": "Durham, NC", "category": ""}]


def test_job_page_every_field_and_fallbacks():
    (req,) = list(jobvite.start(BOARD, CTX))
    assert req.url == "https://jobs.jobvite.com/nutanix/jobs?nl=1"
    page = lambda r, body, status=200: HtmlResponse(r.url, status=status, body=body.encode(), encoding="utf-8", request=r)  # noqa: E731
    first, _second, third = list(req.callback(page(req, LISTING), **req.cb_kwargs))
    assert first.url == J + "oQ1rS2tU?nl=1"
    (item,) = list(first.callback(page(first, '<div class="jv-job-detail-description"><p>Build clouds.</p></div>'),
                                  **first.cb_kwargs))
    assert {k: v for k, v in item.items() if k != "scraped_at"} == {
        **COMMON, "external_id": "oQ1rS2tU", "title": "Staff Engineer", "url": J + "oQ1rS2tU",
        "location": "San Jose, CA", "locations": ["San Jose, CA"], "department": "Engineering",
        "description_html": "<p>Build clouds.</p>"}
    (gone,) = list(third.callback(page(third, "gone", 404), **third.cb_kwargs))
    assert {k: v for k, v in gone.items() if k != "scraped_at"} == {
        **COMMON, "external_id": "oA5bC6dE", "title": "Intern", "url": J + "oA5bC6dE", "location": "Durham, NC",
        "locations": ["Durham, NC"]}
    with pytest.raises(BadResponse):
        list(req.callback(page(req, "<html><body>Maintenance</body></html>"), **req.cb_kwargs))


def test_embed_marker_names_the_board():
    pattern, template = jobvite.EMBED_MARKERS[0]
    m = re.search(pattern, '<div id="jv" data-careersite="nutanix"></div>')
    assert jobvite.detect(template.format(m.group(1))) == BOARD


@pytest.mark.parametrize("url", ["https://jobs.jobvite.com/nutanix/jobs", "https://jobs.jobvite.com/Nutanix/job/oQ1rS2tU",
                                 "https://jobs.jobvite.com/careers/nutanix/jobs", "https://jobs.jobvite.com/nutanix"])
def test_detect_url_forms(url):
    board = jobvite.detect(url)
    assert (board.key, board.url) == ("jobvite:nutanix", "https://jobs.jobvite.com/nutanix/jobs")
    assert detect_url(url) == board


@pytest.mark.parametrize("url", ["https://jobs.jobvite.com/", "https://www.jobvite.com/careers",
                                 "https://jobs.jobvite.com/api/job/v1/search", "https://app.jobvite.com/x"])
def test_detect_refuses_other_urls(url):
    assert jobvite.detect(url) is None
