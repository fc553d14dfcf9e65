"""Paylocity: board pages and job pages from the real recordings, detect() on URL forms."""
from __future__ import annotations

import pytest
from scrapy.http import HtmlResponse

from jobos.ats import detect_url, paylocity
from jobos.ats.base import BadResponse, BoardContext
from tests.corpus import corpus_dir

CTX = BoardContext(company="Acme")
FERMI = "add565e9-4cee-4334-8182-9de221ffb9e4"
SCS = "3ecffcba-6b5a-4a7e-b71b-bbb54a4527ab"
NCAE = "211e692d-c45a-4e3a-ae01-3e497af97929"
BOARDS = {FERMI: "ats_html/ever-jobs__ever-jobs__paylocity_board-fermi.html",
          SCS: "ats_html/ever-jobs__ever-jobs__paylocity_board-sendcutsend.html",
          NCAE: "ats_html/omoji-personal__careerkit__paylocity_board_trimmed.html"}
PAGES = {"4248451": "jsonld_html/ever-jobs__ever-jobs__paylocity_detail-fermi-4248451.html",
         "4272751": "jsonld_html/ever-jobs__ever-jobs__paylocity_detail-sendcutsend-4272751.html"}
D = "https://recruiting.paylocity.com/recruiting/jobs/Details/"
A = "https://recruiting.paylocity.com/Recruiting/Jobs/Apply/"


def _read(name: str) -> str:
    return (corpus_dir() / name).read_text(encoding="utf-8")


def _jobs(guid: str, with_pages: bool = True) -> dict[str, dict]:
    board = paylocity.board_for(guid)
    out = {}
    for row in paylocity.board_jobs(_read(BOARDS[guid])):
        page = paylocity.job_page_fields(_read(PAGES[str(row["JobId"])])) if (
            with_pages and str(row["JobId"]) in PAGES) else None
        item = paylocity.job_from_row(row, board, CTX, page)
        out[item["external_id"]] = {k: v for k, v in item.items() if k != "scraped_at"}
    return out


def _common(guid: str) -> dict:
    return {"company": "Acme", "company_domain": None, "source": "paylocity", "method": "api",
            "extraction_pending": False, "board": f"paylocity:{guid}"}


@pytest.mark.parametrize("guid,count", [(FERMI, 18), (SCS, 7), (NCAE, 2)])
def test_every_board_job_is_parsed(guid, count):
    jobs = _jobs(guid, with_pages=False)
    assert len(jobs) == count
    assert all(j["title"] and j["url"] == D + j["external_id"] for j in jobs.values())


def test_fermi_jobs_every_field():
    jobs = _jobs(FERMI)
    tax = dict(jobs["4248451"])
    html = tax.pop("description_html")
    assert tax == {**_common(FERMI), "external_id": "4248451", "title": "Corporate Tax Director",
                   "url": D + "4248451", "apply_url": A + "4248451", "location": "Dallas, TX, USA",
                   "locations": ["Dallas, TX, USA"], "city": "Dallas", "region": "TX", "country": "US",
                   "employment_type": "Full-time", "department": "Finance",
                   "posted_at": "2026-06-11T16:42:33-05:00"}
    assert html.startswith("<p>Description</p><p>&nbsp;We’re looking for a commercially sharp, technically elite")
    assert html.endswith("<li>Opportunities for growth&nbsp;</li></ul><p><br/></p>") and len(html) == 10668
    # No job page read: the board's fields only. IsRemote true: a remote job.
    assert jobs["4140027"] == {**_common(FERMI), "external_id": "4140027", "title": "Director of Marketing",
                               "url": D + "4140027", "apply_url": A + "4140027",
                               "location": "Dallas, TX, USA", "locations": ["Dallas, TX, USA"],
                               "city": "Dallas", "region": "TX", "country": "US", "remote_flag": True,
                               "posted_at": "2026-05-06T16:47:43-05:00"}
    assert jobs["3845507"] == {**_common(FERMI), "external_id": "3845507",
                               "title": "Investor Relations (IR) Senior Business Analyst",
                               "url": D + "3845507", "apply_url": A + "3845507", "location": "TX, USA",
                               "locations": ["TX, USA"], "region": "TX", "country": "US",
                               "posted_at": "2026-01-15T20:54:00-06:00"}


def test_sendcutsend_job_page_salary_every_field():
    jobs = _jobs(SCS)
    tech = dict(jobs["4272751"])
    html = tech.pop("description_html")
    assert tech == {**_common(SCS), "external_id": "4272751", "title": "Production Technician - Swing Shift",
                    "url": D + "4272751", "apply_url": A + "4272751", "location": "Paris, KY, USA",
                    "locations": ["Paris, KY, USA"], "city": "Paris", "region": "KY", "country": "US",
                    "salary_min": 22.0, "salary_max": 40.0, "salary_currency": "USD",
                    "salary_period": "HOUR", "posted_at": "2026-06-22T12:56:03-05:00"}
    assert html.startswith("<p>Description</p><p>As a Post Production Technician, you are responsible")
    assert html.endswith("<p><strong>Salary Description</strong></p><p>$22.00 - $40.00/hour</p>")
    assert jobs["4256641"] == {**_common(SCS), "external_id": "4256641",
                               "title": "CNC Laser Operator - Weekend Night Shift", "url": D + "4256641",
                               "apply_url": A + "4256641", "location": "Paris, KY, USA",
                               "locations": ["Paris, KY, USA"], "city": "Paris", "region": "KY",
                               "country": "US", "posted_at": "2026-06-15T21:06:21-05:00"}


def test_trimmed_board_hybrid_location_name():
    jobs = _jobs(NCAE)
    assert jobs["4141169"] == {**_common(NCAE), "external_id": "4141169",
                               "title": "Engineer/Associate Engineer, Power Systems", "url": D + "4141169",
                               "apply_url": A + "4141169", "location": "Raleigh, NC, USA",
                               "locations": ["Raleigh, NC, USA"], "city": "Raleigh", "region": "NC",
                               "country": "US", "remote_flag": "hybrid",
                               "posted_at": "2026-08-08T11:27:44-05:00"}
    assert jobs["4401262"]["title"] == "Administrative Assistant (Hybrid)" and jobs["4401262"]["remote_flag"] == "hybrid"


@pytest.mark.parametrize("url,guid", [
    (f"https://recruiting.paylocity.com/recruiting/jobs/All/{FERMI}/Fermi-LLC", FERMI),
    (f"https://recruiting.paylocity.com/Recruiting/Jobs/All/{NCAE.upper()}", NCAE),
    (f"https://recruiting.paylocity.com/recruiting/jobs/Details/4272751/{SCS}", SCS),
])
def test_detect_url_forms(url, guid):
    board = paylocity.detect(url)
    assert (board.key, board.url) == (f"paylocity:{guid}", f"https://recruiting.paylocity.com/recruiting/jobs/All/{guid}")
    assert detect_url(url) == board


@pytest.mark.parametrize("url", [
    "https://recruiting.paylocity.com/recruiting/jobs/Details/4248451/Fermi-LLC/Corporate-Tax-Director",
    "https://recruiting.paylocity.com/recruiting/jobs/Details/4248451",
    "https://recruiting.paylocity.com/recruiting/jobs/All/not-a-guid",
    "https://www.paylocity.com/", f"https://evil.example/Recruiting/Jobs/All/{FERMI}",
])
def test_detect_refuses_other_urls(url):
    assert paylocity.detect(url) is None


def _page(req, body, status=200):
    return HtmlResponse(req.url, status=status, body=body, encoding="utf-8", request=req)


def test_requests_and_odd_pages():
    board = paylocity.board_for(SCS)
    (req,) = list(paylocity.start(board, CTX))
    assert req.url == f"https://recruiting.paylocity.com/recruiting/jobs/All/{SCS}"
    details = list(req.callback(_page(req, (corpus_dir() / BOARDS[SCS]).read_bytes()), **req.cb_kwargs))
    assert [d.url for d in details][:2] == [D + "4272751", D + "4256641"] and len(details) == 7
    detail = details[0]
    (item,) = list(detail.callback(_page(detail, (corpus_dir() / PAGES["4272751"]).read_bytes()), **detail.cb_kwargs))
    assert item["salary_max"] == 40.0 and item["description_html"].startswith("<p>Description</p>")
    (gone,) = list(detail.callback(_page(detail, b"gone", 404), **detail.cb_kwargs))
    assert gone["title"] == "Production Technician - Swing Shift" and "description_html" not in gone
    (plain,) = list(detail.callback(_page(detail, b"<html><body>no data</body></html>"), **detail.cb_kwargs))
    assert plain["external_id"] == "4272751" and "description_html" not in plain
    with pytest.raises(BadResponse):
        list(req.callback(_page(req, b"<html><body>Please enable JavaScript</body></html>"), **req.cb_kwargs))
    with pytest.raises(BadResponse):
        list(req.callback(_page(req, b'<script>window.pageData = {"Jobs": [{"JobId": 1,'), **req.cb_kwargs))
    limited = BoardContext(company="Acme", max_jobs=3)
    (req,) = list(paylocity.start(board, limited))
    assert len(list(req.callback(_page(req, (corpus_dir() / BOARDS[SCS]).read_bytes()), **req.cb_kwargs))) == 3


def test_job_ids_that_are_not_numbers_are_dropped():
    html = ('<script>window.pageData = {"Jobs": [{"JobId": "1/../../Admin", "JobTitle": "Bait"},'
            ' {"JobId": 77, "JobTitle": "Real"}]};\n</script>')
    assert [r["JobTitle"] for r in paylocity.board_jobs(html)] == ["Real"]


def test_a_job_page_names_its_board():
    from jobos.ats.embedded import detect_html

    html = _read(PAGES["4272751"])  # links its board: "View All Jobs"
    boards = detect_html(html, D + "4272751/" + SCS)
    assert [b.key for b in boards] == [f"paylocity:{SCS}"]


def test_board_page_read_as_the_careers_url():
    # The careers URL names the board with the company's name after the guid; read from the page
    # itself, every row is a job (board data only, no job page asked for).
    board = paylocity.board_for(FERMI)
    items = paylocity.parse_board_page(_read(BOARDS[FERMI]), board.url + "/Fermi-LLC", board, CTX)
    assert {i["external_id"] for i in items} == set(_jobs(FERMI, with_pages=False))
    assert all(i["url"] == D + i["external_id"] and i["board"] == f"paylocity:{FERMI}" for i in items)
    limited = BoardContext(company="Acme", max_jobs=3)
    assert len(paylocity.parse_board_page(_read(BOARDS[FERMI]), board.url, board, limited)) == 3
    assert paylocity.parse_board_page("<html>no page data</html>", board.url, board, CTX) == []
    # Job URLs are Paylocity's canonical spelling however the careers URL spells the site path.
    upper = f"https://recruiting.paylocity.com/Recruiting/Jobs/All/{FERMI}/Fermi-LLC"
    spelled = paylocity.parse_board_page(_read(BOARDS[FERMI]), upper, board, CTX)
    assert {i["url"] for i in spelled} == {i["url"] for i in items}


def test_urls_are_written_as_the_recorded_pages_declare_them_canonical():
    # Every recorded Paylocity page's og:url spells the route /recruiting/jobs/ (then All/Details
    # as is); the module writes that one spelling for boards and jobs.
    import re

    checked = 0
    for name in [*BOARDS.values(), *PAGES.values()]:
        canonical = re.search(r'property="og:url" content="([^"]+)"', _read(name))
        if canonical is None:
            continue  # the trimmed board has no head
        checked += 1
        path = canonical.group(1).split("recruiting.paylocity.com", 1)[1]
        kind, number_or_guid = path.split("/")[3:5]
        if kind == "Details":
            assert paylocity.job_url({"JobId": number_or_guid}) == D + number_or_guid
            assert path.startswith("/recruiting/jobs/Details/")
        else:
            assert paylocity.board_for(number_or_guid).url == f"https://recruiting.paylocity.com{path.rsplit('/', 1)[0]}"
    assert checked == 4
