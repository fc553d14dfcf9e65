"""Ashby: the parser on every real corpus file, detect() on real URL forms, probes."""
from __future__ import annotations

import csv
import json

import pytest
from scrapy.http import TextResponse

from jobos.ats import ashby, detect_url
from jobos.ats.base import BadResponse, BoardContext
from jobos.normalize.countries import country_code
from tests.corpus import corpus_dir, corpus_files

CTX = BoardContext(company="Acme")


def _files():
    try:
        return corpus_files("ashby", ".json")
    except (pytest.skip.Exception, pytest.fail.Exception):
        return []


def test_corpus_has_ashby_files():
    assert len(corpus_files("ashby", ".json")) >= 5


@pytest.mark.parametrize("path", _files(), ids=lambda p: p.name)
def test_every_listed_job_of_every_corpus_file_is_parsed(path):
    data = json.loads(path.read_text(encoding="utf-8"))
    listed = [j for j in data["jobs"] if j.get("isListed") is not False]  # the board hides the rest
    board = ashby.detect(data["jobs"][0]["jobUrl"])
    items = ashby.parse_board_json(data, board, CTX)
    assert len(items) == len(listed)
    for item, job in zip(items, listed):
        assert item["external_id"] == job["id"]
        assert item["title"] == job["title"].strip()
        assert item["url"] == job["jobUrl"] and item["apply_url"] == job["applyUrl"]
        assert item["location"] == job["location"]
        assert item["locations"][0] == job["location"]
        assert item["employment_type"] == job["employmentType"]
        assert item["posted_at"] == job["publishedAt"]
        assert item["description_html"] == job["descriptionHtml"]
        country = job["address"].get("postalAddress", {}).get("addressCountry")
        if country and "," not in country:
            assert item.get("country") == country_code(country)
        salary = [c for c in (job["compensation"].get("summaryComponents") or [])
                  if c["compensationType"] == "Salary" and c["minValue"] is not None]
        if salary:
            assert item["salary_min"] == salary[0]["minValue"]
            assert item["salary_max"] == salary[0]["maxValue"]
            assert item["salary_currency"] == salary[0]["currencyCode"]
            assert item["salary_period"] == salary[0]["interval"].split()[-1]  # "1 YEAR", "1 HOUR"


def test_secondary_locations_are_kept():
    data = json.loads((corpus_dir() / "ashby" / "sakshambhatla__JobFinder__ashby_cursor.json").read_text())
    items = ashby.parse_board_json(data, ashby.detect("https://jobs.ashbyhq.com/cursor"), CTX)
    multi = [(i, j) for i, j in zip(items, data["jobs"]) if j["secondaryLocations"]]
    assert multi
    for item, job in multi:
        assert item["locations"] == [job["location"]] + [s["location"] for s in job["secondaryLocations"]]


def test_ashby_directory_board_urls():
    path = corpus_dir() / "other" / "stapply-ai__ats-scrapers__boarddir_ashby_companies.csv"
    with open(path, newline="", encoding="utf-8") as fh:
        urls = [row["url"] for row in csv.DictReader(fh)]
    assert len(urls) > 1000
    for url in urls:
        board = ashby.detect(url)
        assert board is not None, url
        assert board.token == url.rstrip("/").rsplit("/", 1)[1].lower()
        assert detect_url(url) == board


@pytest.mark.parametrize("url,name", [
    ("https://jobs.ashbyhq.com/openai/00207abc-49b7-465c-a219-f7c1140f8047/application", "openai"),
    ("https://jobs.ashbyhq.com/promptfoo/embed?version=2", "promptfoo"),
    ("https://api.ashbyhq.com/posting-api/job-board/Lambda?includeCompensation=true", "lambda"),
])
def test_detect_url_forms(url, name):
    assert ashby.detect(url).token == name


@pytest.mark.parametrize("url", ["https://www.ashbyhq.com/", "https://cdn.ashbyprd.com/x.js",
                                 "https://app.ashbyhq.com/api/images/x.png", "https://jobs.ashbyhq.com/"])
def test_detect_refuses_non_boards(url):
    assert ashby.detect(url) is None


def _response(req, body, status=200):
    return TextResponse(req.url, status=status, body=body, request=req,
                        headers={"Content-Type": "application/json"})


def test_start_and_probe():
    board = ashby.detect("https://jobs.ashbyhq.com/dust")
    (req,) = list(ashby.start(board, CTX))
    assert req.url == "https://api.ashbyhq.com/posting-api/job-board/dust?includeCompensation=true"
    path = corpus_dir() / "ashby" / "stapply-ai__ats-scrapers__dust.json"
    preq = ashby.probe("dust", CTX)
    (res,) = list(preq.callback(_response(preq, path.read_bytes()), **preq.cb_kwargs))
    assert res.job_count == len(json.loads(path.read_text())["jobs"]) == len(res.items)
    assert "ashbyhq.com" not in res.domains
    (res,) = list(preq.callback(_response(preq, b'{"error":"not found"}', 404), **preq.cb_kwargs))
    assert res.job_count == 0
    with pytest.raises(BadResponse):
        list(req.callback(_response(req, b'{"jobs": [{"id"'), **req.cb_kwargs))


# --- the board's own page (read when the posting API does not know the board) -----------------
def test_board_page_app_data():
    board = ashby.detect("https://jobs.ashbyhq.com/Kestrel")
    page = ("<html><body><div id='root'></div><script>window.__appData = {\"organization\": {\"name\": \"Kestrel\"}, "
            "\"jobBoard\": {\"teams\": [], \"jobPostings\": ["
            "{\"id\": \"a1\", \"title\": \"Data Engineer\", \"locationName\": \"Lyon, France\", \"workplaceType\": \"Hybrid\", "
            "\"employmentType\": \"FullTime\", \"departmentName\": \"Data\", \"publishedDate\": \"2026-10-01\", \"isListed\": true},"
            "{\"id\": \"a2\", \"title\": \"Hidden role\", \"isListed\": false},"
            "{\"id\": \"a3\"}, \"odd\"]}};</script></body></html>")
    (item,) = ashby.parse_board_page(page, "https://jobs.ashbyhq.com/Kestrel", board, CTX)
    assert item["url"] == "https://jobs.ashbyhq.com/kestrel/a1"
    assert item["apply_url"] == "https://jobs.ashbyhq.com/kestrel/a1/application"
    assert (item["title"], item["location"], item["workplace"], item["department"], item["posted_at"]) == (
        "Data Engineer", "Lyon, France", "hybrid", "Data", "2026-10-01")
    assert item["board"] == "ashby:kestrel" and item["external_id"] == "a1"
    assert ashby.parse_board_page("<html>no data</html>", board.url, board, CTX) == []
    assert ashby.parse_board_page("<script>window.__appData = {broken</script>", board.url, board, CTX) == []


def test_board_page_of_the_corpus():
    path = corpus_dir() / "ats_html" / "penquinspecz__SignalCraft__ashby_openai_board_index.html"
    html = path.read_text(encoding="utf-8")
    board = ashby.detect("https://jobs.ashbyhq.com/openai")
    items = ashby.parse_board_page(html, board.url, board, CTX)
    # The page's jobPostings, as the corpus README counts them.
    start = html.index("window.__appData")
    data, _ = json.JSONDecoder().raw_decode(html, html.index("{", start))
    expected = {p["id"] for p in data["jobBoard"]["jobPostings"] if p.get("isListed") is not False}
    assert {i["external_id"] for i in items} == expected and len(items) == 502
    assert all(i["url"].startswith("https://jobs.ashbyhq.com/openai/") for i in items)
