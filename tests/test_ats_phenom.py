"""Phenom: records in the shape open readers describe, detect (paths, phApp marker), fallback."""
from __future__ import annotations

import json
from datetime import datetime, timezone

import pytest
from scrapy.http import HtmlResponse, Request, TextResponse

from jobos.ats import detect_url, phenom
from jobos.ats.base import BadResponse, BoardContext
from jobos.ats.embedded import detect_html

CTX = BoardContext("Acme", crawl_time=datetime(2026, 7, 1, tzinfo=timezone.utc))
BOARD = detect_url("https://careers.cisco.com/global/en/search-results")


def test_record_every_field():
    record = {"jobSeqNo": "CISCUS2001234ENUS", "jobId": "2001234", "title": "Network Engineer",
              "category": "Engineering", "city": "Riyadh", "state": "Riyadh", "country": "Saudi Arabia",
              "cityStateCountry": "Riyadh, Riyadh, Saudi Arabia", "postedDate": "2026-09-30T00:00:00.000+0000",
              "type": "Full time", "descriptionTeaser": "Design networks.", "applyUrl": "https://apply.example/2001234"}
    assert dict(phenom.parse_record(record, BOARD, CTX)) == {
        "company": "Acme", "company_domain": None, "source": "phenom", "method": "api",
        "board": "phenom:careers.cisco.com", "scraped_at": "2026-07-01T00:00:00Z", "extraction_pending": False,
        "external_id": "CISCUS2001234ENUS", "title": "Network Engineer",
        "url": "https://careers.cisco.com/global/en/job/CISCUS2001234ENUS",
        "apply_url": "https://apply.example/2001234", "location": "Riyadh, Riyadh, Saudi Arabia",
        "city": "Riyadh", "region": "Riyadh", "employment_type": "Full time", "department": "Engineering",
        "posted_at": "2026-09-30T00:00:00.000+0000", "description_html": "Design networks."}


@pytest.mark.parametrize("url, site", [
    ("https://careers.cisco.com/global/en/search-results?keywords=x", "en_global"),
    ("https://jobs.acme.com/us/en/job/R123/Data-Engineer", "en_us"),
    ("https://careers.acme.com/ca/fr_ca/search-results", "fr_ca"),
])
def test_detect_url_forms(url, site):
    board = detect_url(url)
    assert board is not None and board.ats == "phenom" and board.site == site


def test_detect_refuses_ordinary_pages_and_finds_the_phapp_marker():
    assert detect_url("https://www.example.com/careers/search") is None
    assert detect_url("https://www.example.com/en/jobs/123") is None
    page = ('<html><script>var phApp = {"widgetApiEndpoint":"https://careers.northwind.com/widgets",'
            '"refNum":"NWTNUS"};</script></html>')
    assert [b.key for b in detect_html(page, "https://www.northwind.com/careers")] == ["phenom:careers.northwind.com"]


def _resp(url: str, data, status: int = 200) -> TextResponse:
    body = data if isinstance(data, str) else json.dumps(data)
    return TextResponse(url, body=body.encode(), encoding="utf-8", status=status, request=Request(url))


def test_widget_paging_and_closed_api_fallback():
    page = {"refineSearch": {"totalHits": 150, "data": {"jobs": [{"jobSeqNo": str(i), "title": f"T{i}"}
                                                                 for i in range(100)]}}}
    out = list(phenom.parse_widgets(_resp("https://careers.cisco.com/widgets", page), BOARD, CTX, start=0))
    assert len(out) == 101 and json.loads(out[-1].body)["from"] == 100
    closed = list(phenom.parse_widgets(_resp("https://careers.cisco.com/widgets", {"tokenAvailable": False}),
                                       BOARD, CTX, start=0))
    assert [r.url for r in closed] == ["https://careers.cisco.com/global/en/search-results"]


def test_search_page_ddo_and_a_broken_one():
    ddo = {"eagerLoadRefineSearch": {"totalHits": 12, "data": {"jobs": [{"jobSeqNo": "A1", "title": "Welder"}]}}}
    html = f"<script>phApp.ddo = {json.dumps(ddo)}; phApp.pageName = 'x';</script>"
    resp = HtmlResponse(BOARD.url, body=html.encode(), encoding="utf-8")
    out = list(phenom.parse_page(resp, BOARD, CTX, start=0))
    assert out[0]["title"] == "Welder" and out[1].url == BOARD.url + "?from=1&s=1"
    with pytest.raises(BadResponse):
        phenom.page_ddo("<html>nothing</html>")


def test_sitemap_lists_only_the_sites_own_job_pages_and_a_job_page_gives_the_whole_record():
    index = (b'<?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
             b'<sitemap><loc>https://careers.cisco.com/sitemap1.xml</loc></sitemap>'
             b'<sitemap><loc>https://evil.example/sitemap.xml</loc></sitemap></sitemapindex>')
    resp = TextResponse("https://careers.cisco.com/sitemap.xml", body=index, request=Request("https://careers.cisco.com/sitemap.xml"))
    assert [r.url for r in phenom.parse_sitemap(resp, BOARD, CTX, depth=0)] == ["https://careers.cisco.com/sitemap1.xml"]
    urlset = (b'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
              b'<url><loc>https://careers.cisco.com/global/en/job/C1/Engineer</loc></url>'
              b'<url><loc>https://careers.cisco.com/global/en/benefits</loc></url>'
              b'<url><loc>https://evil.example/global/en/job/C2/X</loc></url></urlset>')
    resp = TextResponse("https://careers.cisco.com/sitemap1.xml", body=urlset, request=Request("https://careers.cisco.com/sitemap1.xml"))
    assert [r.url for r in phenom.parse_sitemap(resp, BOARD, CTX, depth=1)] == [
        "https://careers.cisco.com/global/en/job/C1/Engineer"]
    ddo = {"jobDetail": {"data": {"job": {"jobSeqNo": "C1", "title": "Engineer", "descriptionTeaser": "short",
                                          "description": "<p>The whole ad.</p>"}}}}
    page = HtmlResponse("https://careers.cisco.com/global/en/job/C1/Engineer",
                        body=f"<script>phApp.ddo = {json.dumps(ddo)}; phApp.y = 2;</script>".encode())
    job = next(iter(phenom.parse_job_page(page, BOARD, CTX)))
    assert job["external_id"] == "C1" and job["description_html"] == "<p>The whole ad.</p>"
    with pytest.raises(BadResponse):
        phenom.sitemap_locs(urlset[:40])
