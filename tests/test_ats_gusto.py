"""Gusto-hosted boards: board and posting pages from the real recordings, detect() on URL forms."""
from __future__ import annotations

import pytest
from scrapy.http import HtmlResponse

from jobos.ats import detect_url, gusto
from jobos.ats.base import BadResponse, BoardContext
from tests.corpus import corpus_dir

CTX = BoardContext(company="Acme")
NATURA = "natura-resources-llc-629e09d9-d8bf-4616-94a7-b744e4a77616"
MATERIAL = "material-hybrid-manufacturing-inc-ed3a1ae2-cd0f-4b68-b4bb-e8b4e52a3f73"
P = "https://jobs.gusto.com/postings/"


def _read(name: str) -> str:
    return (corpus_dir() / "ats_html" / name).read_text(encoding="utf-8")


def _jobs(token: str, name: str, pages: dict[str, str] | None = None) -> dict[str, dict]:
    board = gusto.board_for(token)
    out = {}
    for row in gusto.board_rows(_read(name), board.url):
        text = gusto.posting_text(_read(pages[row["id"]])) if pages and row["id"] in pages else None
        item = gusto.job_from_row(row, board, CTX, text)
        out[item["external_id"]] = {k: v for k, v in item.items() if k != "scraped_at"}
    return out


def _common(token: str) -> dict:
    return {"company": "Acme", "company_domain": None, "source": "gusto", "method": "api",
            "extraction_pending": False, "board": f"gusto:{token}"}


def test_natura_board_and_posting_every_field():
    jobs = _jobs(NATURA, "ever-jobs__ever-jobs__gusto_natura-board.html",
                 {"5bb2a78d-445e-4c93-aab3-b264a4630a98": "ever-jobs__ever-jobs__gusto_natura-detail.html"})
    assert len(jobs) == 6
    nuclear = dict(jobs["5bb2a78d-445e-4c93-aab3-b264a4630a98"])
    html = nuclear.pop("description_html")
    url = P + "natura-resources-llc-sr-mechnical-engineer-nuclear-5bb2a78d-445e-4c93-aab3-b264a4630a98"
    assert nuclear == {**_common(NATURA), "external_id": "5bb2a78d-445e-4c93-aab3-b264a4630a98",
                       "title": "Sr. Mechnical Engineer, Nuclear", "url": url,
                       "apply_url": url + "/applicants/new", "location": "Abilene, TX",
                       "locations": ["Abilene, TX"], "employment_type": "Full time"}
    # The company's blurb, then the job's own text.
    assert html.startswith("Natura Resources is committed to answering the world's increased demand")
    assert "\n<p>The Senior Mechanical Engineer, Nuclear provides mechanical engineering leadership" in html
    assert html.endswith("Occasional lifting of technical materials up to 40 lbs may be required.</p>")
    url = P + "natura-resources-llc-contracts-manager-5792bf93-bbfa-4a01-9579-ea984077ce1c"
    assert jobs["5792bf93-bbfa-4a01-9579-ea984077ce1c"] == {
        **_common(NATURA), "external_id": "5792bf93-bbfa-4a01-9579-ea984077ce1c", "title": "Contracts Manager",
        "url": url, "apply_url": url + "/applicants/new", "location": "Abilene, TX",
        "locations": ["Abilene, TX"], "remote_flag": True, "employment_type": "Full time"}


def test_material_board_every_field():
    jobs = _jobs(MATERIAL, "ever-jobs__ever-jobs__gusto_material-board.html")
    assert list(jobs) == ["fb414ff4-ec5b-41f6-8d40-add48634cd5b", "2b84b230-7406-4214-a985-ee75a8b90aa7",
                          "d421d87b-e050-454b-95b8-395b7ec46c9a"]
    url = P + "material-hybrid-manufacturing-inc-general-application-fb414ff4-ec5b-41f6-8d40-add48634cd5b"
    assert jobs["fb414ff4-ec5b-41f6-8d40-add48634cd5b"] == {
        **_common(MATERIAL), "external_id": "fb414ff4-ec5b-41f6-8d40-add48634cd5b", "title": "General Application",
        "url": url, "apply_url": url + "/applicants/new", "location": "San Marcos, TX / Miami, FL",
        "locations": ["San Marcos, TX", "Miami, FL"], "employment_type": "Full time"}
    url = P + "material-hybrid-manufacturing-inc-additive-manufacturing-engineer-lab-2b84b230-7406-4214-a985-ee75a8b90aa7"
    assert jobs["2b84b230-7406-4214-a985-ee75a8b90aa7"] == {
        **_common(MATERIAL), "external_id": "2b84b230-7406-4214-a985-ee75a8b90aa7",
        "title": "Additive Manufacturing Engineer (Lab)", "url": url, "apply_url": url + "/applicants/new",
        "location": "San Marcos, TX", "locations": ["San Marcos, TX"], "employment_type": "Full time"}
    url = P + "material-hybrid-manufacturing-inc-staff-battery-applications-engineer-d421d87b-e050-454b-95b8-395b7ec46c9a"
    assert jobs["d421d87b-e050-454b-95b8-395b7ec46c9a"] == {
        **_common(MATERIAL), "external_id": "d421d87b-e050-454b-95b8-395b7ec46c9a",
        "title": "Staff Battery Applications Engineer", "url": url, "apply_url": url + "/applicants/new",
        "location": "Miami, FL", "locations": ["Miami, FL"], "employment_type": "Full time"}


def test_board_urls_match_the_recorded_truth():
    rows = gusto.board_rows(_read("ever-jobs__ever-jobs__gusto_natura-board.html"))
    assert [r["title"] for r in rows] == [
        "Sr. Mechnical Engineer, Nuclear", "GOTHIC Engineer", "Senior Electrical Engineer", "Nuclear QA Director",
        "Manager, Document Control and Records Management", "Contracts Manager"]


@pytest.mark.parametrize("url", [f"https://jobs.gusto.com/boards/{NATURA}", f"https://jobs.gusto.com/boards/{NATURA.upper()}/"])
def test_detect_url_forms(url):
    board = gusto.detect(url)
    assert (board.key, board.url) == (f"gusto:{NATURA}", f"https://jobs.gusto.com/boards/{NATURA}")
    assert detect_url(url) == board


@pytest.mark.parametrize("url", [P + "natura-resources-llc-gothic-engineer-9905c47e-532d-4682-9333-70085659da0b",
                                 "https://jobs.gusto.com/boards/natura", "https://gusto.com/boards/" + NATURA])
def test_detect_refuses_other_urls(url):
    assert gusto.detect(url) is None


def test_requests_and_odd_pages():
    board = gusto.board_for(NATURA)
    (req,) = list(gusto.start(board, CTX))
    page = lambda r, body, status=200: HtmlResponse(r.url, status=status, body=body, encoding="utf-8", request=r)  # noqa: E731
    details = list(req.callback(page(req, _read("ever-jobs__ever-jobs__gusto_natura-board.html").encode()), **req.cb_kwargs))
    assert len(details) == 6 and details[0].url == P + "natura-resources-llc-sr-mechnical-engineer-nuclear-5bb2a78d-445e-4c93-aab3-b264a4630a98"
    (item,) = list(details[0].callback(page(details[0], _read("ever-jobs__ever-jobs__gusto_natura-detail.html").encode()), **details[0].cb_kwargs))
    assert "molten salt reactors" in item["description_html"]
    (gone,) = list(details[0].callback(page(details[0], b"gone", 404), **details[0].cb_kwargs))
    assert "description_html" not in gone and gone["title"] == "Sr. Mechnical Engineer, Nuclear"
    with pytest.raises(BadResponse):
        list(req.callback(page(req, b"<html><body><p>Something went wrong</p></body></html>"), **req.cb_kwargs))
    (req,) = list(gusto.start(board, BoardContext(company="A", max_jobs=2)))
    assert len(list(req.callback(page(req, _read("ever-jobs__ever-jobs__gusto_natura-board.html").encode()), **req.cb_kwargs))) == 2


def test_links_off_gusto_are_not_followed():
    html = ('<h1>Acme</h1><ul>'
            '<li><a href="https://evil.example/postings/acme-x-11111111-2222-4333-8444-555555555555?//jobs.gusto.com/postings/">'
            '<h3>Bait</h3></a></li>'
            '<li><a href="/postings/acme-real-66666666-7777-4888-8999-000000000000?ref=board"><h3>Real</h3></a></li></ul>')
    rows = gusto.board_rows(html, "https://jobs.gusto.com/boards/" + NATURA)
    assert [(r["title"], r["url"]) for r in rows] == [
        ("Real", "https://jobs.gusto.com/postings/acme-real-66666666-7777-4888-8999-000000000000")]


def test_posting_page_alone_gives_the_boards_copy_of_its_posting():
    # A crawl given a posting URL reads the posting from its page: the same record as the
    # board row joined with the page's text.
    board = gusto.board_for(NATURA)
    url = P + "natura-resources-llc-sr-mechnical-engineer-nuclear-5bb2a78d-445e-4c93-aab3-b264a4630a98"
    page = _read("ever-jobs__ever-jobs__gusto_natura-detail.html")
    item = gusto.parse_posting_page(page, url, board, CTX)
    from_board = _jobs(NATURA, "ever-jobs__ever-jobs__gusto_natura-board.html",
                       {"5bb2a78d-445e-4c93-aab3-b264a4630a98": "ever-jobs__ever-jobs__gusto_natura-detail.html"})
    assert {k: v for k, v in item.items() if k != "scraped_at"} == from_board["5bb2a78d-445e-4c93-aab3-b264a4630a98"]


def test_posting_page_reader_refuses_other_pages():
    board = gusto.board_for(NATURA)
    page = _read("ever-jobs__ever-jobs__gusto_natura-detail.html")
    posting = P + "natura-resources-llc-sr-mechnical-engineer-nuclear-5bb2a78d-445e-4c93-aab3-b264a4630a98"
    # Not a posting URL of Gusto's: the board page, another host, a path that is no posting.
    assert gusto.parse_posting_page(page, f"https://jobs.gusto.com/boards/{NATURA}", board, CTX) is None
    assert gusto.parse_posting_page(page, posting.replace("jobs.gusto.com", "jobs.example.com"), board, CTX) is None
    # A page without Gusto's heading lines.
    assert gusto.parse_posting_page("<html><body><h1><span>Acme</span></h1></body></html>", posting, board, CTX) is None
    assert gusto.parse_posting_page("<html><body><p>Not found</p></body></html>", posting, board, CTX) is None
    assert gusto.parse_posting_page("", posting, board, CTX) is None
    remote = ('<html><body><h1><span>Acme</span><span>Support Agent</span><span>Remote · Part time</span>'
              '</h1></body></html>')
    item = gusto.parse_posting_page(remote, posting, board, CTX)
    assert (item["title"], item.get("location"), item.get("remote_flag"), item["employment_type"]) == (
        "Support Agent", "Remote", True, "Part time")
