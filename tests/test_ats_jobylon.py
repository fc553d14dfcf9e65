"""Jobylon: the embed parser on the real recorded widget page, dates, detect() on URL forms."""
from __future__ import annotations

import pytest
from scrapy.http import HtmlResponse

from jobos.ats import detect_url, jobylon
from jobos.ats.base import BadResponse, BoardContext
from tests.corpus import corpus_dir

CTX = BoardContext(company="Acme")
REC = "ats_html/colophon-group__jobseek__jobylon_mcdonalds_se.html"
COMMON = {"company": "Acme", "company_domain": None, "source": "jobylon", "method": "api",
          "extraction_pending": False, "board": "jobylon:1955"}


def _items():
    html = (corpus_dir() / REC).read_text(encoding="utf-8")
    return jobylon.parse_embed_html(html, jobylon.detect(
        "https://cdn.jobylon.com/jobs/companies/1955/embed/v2/?page_size=1000"), CTX)


def test_every_job_is_parsed():
    items = _items()
    assert len(items) == 125 and len({i["external_id"] for i in items}) == 125
    assert all(i["url"].startswith("https://emp.jobylon.com/jobs/") for i in items)
    assert all(i.get("posted_at") for i in items)  # every widget date is understood


def test_three_jobs_every_field():
    jobs = {i["external_id"]: {k: v for k, v in i.items() if k != "scraped_at"} for i in _items()}
    assert jobs["355795"] == {
        **COMMON, "external_id": "355795",
        "title": "Kopia av McDonald's Varberg Nord söker nya glada medarbetare",
        "url": "https://emp.jobylon.com/jobs/355795-mcdonalds-sverige-kopia-av-mcdonalds-varberg-nord-soker-nya-glada-medarbetare/",
        "location": "Varberg", "locations": ["Varberg"], "remote_flag": "onsite",
        "employment_type": "PART_TIME", "department": "233 - Varberg Nord", "posted_at": "2026-04-21"}
    # Five restaurants in one city: the city once; the first restaurant as department.
    assert jobs["355308"] == {
        **COMMON, "external_id": "355308", "title": "McDonald's Sthlm City söker dig som vill utvecklas",
        "url": "https://emp.jobylon.com/jobs/355308-mcdonalds-sverige-mcdonalds-sthlm-city-soker-dig-som-vill-utvecklas/",
        "location": "Stockholm", "locations": ["Stockholm"], "remote_flag": "onsite",
        "employment_type": "FULL_TIME", "department": "120 - Sthlm, Kungsgatan 50", "posted_at": "2026-04-20"}
    # No workspace published: no workplace.
    assert jobs["344422"] == {
        **COMMON, "external_id": "344422", "title": "McDonald's Kungälv söker nya glada medarbetare",
        "url": "https://emp.jobylon.com/jobs/344422-mcdonalds-sverige-mcdonalds-kungalv-soker-nya-glada-medarbetare/",
        "location": "Kungälv", "locations": ["Kungälv"], "employment_type": "FULL_TIME",
        "department": "275 - Kungälv", "posted_at": "2026-04-20"}
    assert jobs["332453"]["location"] == "Valbo / Gävle" and jobs["332453"]["locations"] == ["Valbo", "Gävle"]
    # No locations list: the widget's own location text.
    assert jobs["339847"]["location"] == "Valstavägen 2c 195 59 Märsta" and "locations" not in jobs["339847"]
    assert jobs["87738"]["posted_at"] == "2021-06-21"


@pytest.mark.parametrize("text,iso", [
    ("21 april 2026", "2026-04-21"), ("4 maj 2026", "2026-05-04"), ("1 Oktober 2025", "2025-10-01"),
    ("2 September 2026", "2026-09-02"), ("31 februari 2026", None), ("snart", None), (None, None),
])
def test_widget_dates(text, iso):
    assert jobylon.parse_date(text) == iso


@pytest.mark.parametrize("url", [
    "https://cdn.jobylon.com/jobs/companies/1955/embed/v2/?page_size=1000",
    "https://cdn.jobylon.com/jobs/companies/1955/embed/v1/",
    "https://cdn.jobylon.com/jobs/companies/1955/embed",
])
def test_detect_url_forms(url):
    board = jobylon.detect(url)
    assert (board.key, board.url) == ("jobylon:1955", "https://cdn.jobylon.com/jobs/companies/1955/embed/v2/")
    assert detect_url(url) == board


@pytest.mark.parametrize("url", [
    "https://emp.jobylon.com/jobs/355795-x/", "https://cdn.jobylon.com/jobs/companies/abc/embed/v2/",
    "https://www.jobylon.com/", "https://static-eu.jobylon.com/js/embed-v2.min.js",
])
def test_detect_refuses_other_urls(url):
    assert jobylon.detect(url) is None


def test_start_and_bad_pages():
    (req,) = list(jobylon.start(jobylon.board_for("1955"), CTX))
    assert req.url == "https://cdn.jobylon.com/jobs/companies/1955/embed/v2/?page_size=1000"
    page = lambda body: HtmlResponse(req.url, body=body, encoding="utf-8", request=req)  # noqa: E731
    with pytest.raises(BadResponse):
        list(req.callback(page(b"<html><body>Maintenance</body></html>"), **req.cb_kwargs))
    with pytest.raises(BadResponse):
        list(req.callback(page(b"<script>JBL.embed_v2['jobs'] = [{id: '1', title: 'Ko"), **req.cb_kwargs))
    with pytest.raises(BadResponse):
        list(req.callback(page(b"<script>JBL.embed_v2['jobs'] = {id: '1'};</script>"), **req.cb_kwargs))
    body = "<script>JBL.embed_v2['jobs'] = [{id: '7', url: '/jobs/7-a/', title: 'Kock'}, {id: '8'}, 'x'];</script>"
    (item,) = list(req.callback(page(body.encode()), **req.cb_kwargs))
    assert (item["external_id"], item["url"]) == ("7", "https://emp.jobylon.com/jobs/7-a/")
