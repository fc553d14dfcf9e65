"""Avature: the parsers on the recorded SearchJobs and JobDetail pages, detect, paging."""
from __future__ import annotations

from datetime import datetime, timezone

import pytest
from scrapy.http import HtmlResponse

from jobos.ats import avature, detect_url
from jobos.ats.base import BoardContext
from tests.corpus import corpus_files

CTX = BoardContext("Acme", crawl_time=datetime(2026, 7, 1, tzinfo=timezone.utc))
SEARCH = "https://voutiqueintegrations.avature.net/careers/SearchJobs/"
BLOOMBERG = ("https://bloomberg.avature.net/careers/JobDetail/Enterprise-Sales-Sell-Side-Risk-MARS-and-"
             "Valuations-Account-Manager-Singapore/16889")
UCLA = "https://uclahealth.avature.net/careers/JobDetail/Transplant-Referral-Coordinator/13859"


def _page(part: str) -> str:
    return next(p for p in corpus_files("avature") if part in p.name).read_text(encoding="utf-8")


def _common(board: str) -> dict:
    return {"company": "Acme", "company_domain": None, "source": "avature", "method": "api",
            "board": f"avature:{board}", "scraped_at": "2026-07-01T00:00:00Z", "extraction_pending": False}


def test_every_result_of_the_recorded_search_page_and_three_rows_whole():
    rows, following = avature.search_results(_page("voutique"), SEARCH)
    assert len(rows) == 10  # "1-10 of 19 results"
    assert following == "https://voutiqueintegrations.avature.net/careers/SearchJobs/?folderOffset=10"
    folder = "https://voutiqueintegrations.avature.net/careers/FolderDetail/"
    assert rows[:3] == [
        {"id": "3270", "title": "System Security Analyst",
         "url": folder + "Atlanta-GA-United-States-System-Security-Analyst/3270",
         "location": "Atlanta, GA, United States", "ref": "441587", "posted": "02-Nov-2017"},
        {"id": "3262", "title": "UX Developer", "url": folder + "Madrid-Madrid-Spain-UX-Developer/3262",
         "location": "Madrid, Madrid, Spain", "ref": "441582", "posted": "27-Oct-2017"},
        {"id": "3175", "title": "Front End Developer",
         "url": folder + "Washington-Washington-United-States-Front-End-Developer/3175",
         "location": "Washington, Washington, United States", "ref": "441516", "posted": "11-Sep-2017"},
    ]
    board = detect_url(SEARCH)
    job = dict(avature.parse_job(rows[0], board, CTX))
    assert job == {**_common("voutiqueintegrations/careers"), "external_id": "3270",
                   "title": "System Security Analyst", "url": rows[0]["url"],
                   "apply_url": "https://voutiqueintegrations.avature.net/careers/ApplicationMethods?folderId=3270",
                   "location": "Atlanta, GA, United States", "posted_text": "02-Nov-2017"}


def _detail_job(url: str, part: str) -> dict:
    row = {"id": url.rsplit("/", 1)[1], "title": None, "url": url, "location": None, "posted": None}
    return dict(avature.parse_job(row, detect_url(url), CTX, avature.detail_fields(_page(part), url)))


def test_bloomberg_job_page_every_field():
    job = _detail_job(BLOOMBERG, "bloomberg")
    description = job.pop("description_html")
    assert job == {**_common("bloomberg/careers"), "external_id": "16889",
                   "title": "Enterprise Sales - Sell-Side Risk (MARS) and Valuations Account Manager, Singapore",
                   "url": BLOOMBERG, "apply_url": "https://bloomberg.avature.net/careers/ApplicationMethods?jobId=16889",
                   "location": "Singapore", "department": "Sales and Client Service"}
    assert description.startswith('<div><font face="arial">Bloomberg is a global leader in business')
    assert description.endswith("values, and the people behind our success.</font></div>") or \
        "the people behind our success." in description[-200:]


def test_ucla_health_job_page_every_field():
    job = _detail_job(UCLA, "uclahealth")
    description = job.pop("description_html")
    assert job == {**_common("uclahealth/careers"), "external_id": "13859",
                   "title": "Transplant Referral Coordinator", "url": UCLA,
                   "apply_url": "https://uclahealth.avature.net/careers/ApplicationMethods?jobId=13859",
                   "location": "Los Angeles, CA, USA", "employment_type": "2 - Staff: Career",
                   "remote_flag": "Fully On-Site", "salary_text": "$30.36 - 43.49 Hourly",
                   "posted_text": "07/17/2025"}
    assert description.startswith('<p class="MsoNormal"><font face="arial" size="2">Under the direction of '
                                  "the Transplant Financial Manager")
    assert "Required:" in description and "Salary Range: $30.36-$43.49/hourly" in description
    assert description.endswith("Recent patient registration and appointment scheduling experience"
                                "</font></li></ul></div></div>")


@pytest.mark.parametrize("url, token", [
    (SEARCH + "?folderOffset=10", "voutiqueintegrations/careers"),
    (UCLA, "uclahealth/careers"),
    ("https://acme.avature.net/en_US/careers/JobDetail/Analyst/12", "acme/en_US/careers"),
    ("https://uclahealth.avature.net/internalcareers/SearchJobs", "uclahealth/internalcareers"),
])
def test_detect_url_forms(url, token):
    board = detect_url(url)
    assert board is not None and board.ats == "avature" and board.token == token


def test_detect_refuses_non_portals():
    assert detect_url("https://www.avature.net/") is None
    assert detect_url("https://acme.avature.net/") is None
    assert detect_url("https://acme.avature.net/SearchJobs/") is None


def test_search_page_yields_details_and_follows_the_next_link_once():
    board = detect_url(SEARCH)
    resp = HtmlResponse(SEARCH, body=_page("voutique").encode(), encoding="utf-8")
    seen: set[str] = set()
    out = list(avature.parse_search(resp, board, CTX, seen=seen))
    assert [r.callback for r in out].count(avature.parse_detail) == 10
    assert out[-1].callback is avature.parse_search and out[-1].url.endswith("?folderOffset=10")
    # the same page again (a portal that repeats its last page) adds nothing and stops
    assert list(avature.parse_search(resp, board, CTX, seen=seen)) == []


def test_detect_refuses_a_portals_files_and_scripts():
    # A JobDetail page links /ASSET/..., /portalpacks/... files: they are no portals of the tenant.
    assert detect_url("https://acme.avature.net/ASSET/images/logo.png") is None
    assert detect_url("https://acme.avature.net/portalpacks/js/main.js") is None
    assert detect_url("https://acme.avature.net/careers").token == "acme/careers"


def test_job_page_read_as_the_careers_url_when_the_search_fails():
    board = detect_url(BLOOMBERG)
    (job,) = avature.parse_board_page(_page("bloomberg"), BLOOMBERG + "?source=x", board, CTX)
    assert (job["external_id"], job["url"], job["location"]) == ("16889", BLOOMBERG, "Singapore")
    assert job["title"].startswith("Enterprise Sales - Sell-Side Risk (MARS)")
    # A page that is no job page (the search) gives nothing here: its rows need their pages.
    assert avature.parse_board_page(_page("voutique"), SEARCH, detect_url(SEARCH), CTX) == []
