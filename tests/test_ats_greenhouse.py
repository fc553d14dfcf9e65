"""Greenhouse: the parser on every real corpus file, detect() on real URL forms, requests."""
from __future__ import annotations

import csv
import html
import json
import re
from pathlib import Path

import pytest
import yaml
from scrapy.http import TextResponse

from jobos.ats import detect_url, greenhouse
from jobos.ats.base import BadResponse, BoardContext, ProbeResult
from tests.corpus import corpus_dir, corpus_files

CTX = BoardContext(company="Acme")


def _bodies(path: Path) -> list[tuple[str, object]]:
    """Return (request URL, decoded JSON body) of a corpus file: plain JSON or a VCR cassette."""
    if path.suffix == ".yml":
        cassette = yaml.safe_load(path.read_text(encoding="utf-8"))
        return [(i["request"]["uri"], json.loads(i["response"]["body"]["string"]))
                for i in cassette["http_interactions"]]
    return [("", json.loads(path.read_text(encoding="utf-8")))]


def _jobs_in(data) -> list[dict]:
    """Ground truth as corpus/README.md says: jobs[], or one job for a single job detail."""
    return data["jobs"] if "jobs" in data else [data]


def _greenhouse_files():
    try:
        return [p for p in corpus_files("greenhouse") if p.suffix in (".json", ".yml")]
    except (pytest.skip.Exception, pytest.fail.Exception):  # reported by the test below
        return []


def test_corpus_has_greenhouse_files():
    assert len(_greenhouse_files()) >= 5


@pytest.mark.parametrize("path", _greenhouse_files(), ids=lambda p: p.name)
def test_every_job_of_every_corpus_file_is_parsed(path):
    for uri, data in _bodies(path):
        board = greenhouse.detect(uri) if uri else greenhouse.detect("https://job-boards.greenhouse.io/acme")
        assert board is not None
        expected = _jobs_in(data)
        items = greenhouse.parse_board_json(data, board, CTX)
        assert len(items) == len(expected)
        if isinstance(data, dict) and "meta" in data and len(expected) == data["meta"]["total"]:
            assert len(items) == data["meta"]["total"]
        for item, job in zip(items, expected):
            assert item["external_id"] == str(job["id"])
            assert item["title"] == job["title"].strip()
            assert item["url"] == job["absolute_url"]
            assert item["location"] == job["location"]["name"]
            assert item["source"] == "greenhouse" and item["method"] == "api"
            if job.get("content"):
                # unescaped once: real markup, no "&lt;p&gt;" left at the start
                assert item["description_html"] == html.unescape(job["content"])
                assert "<" in item["description_html"]
            if job.get("departments"):
                assert item["department"] == job["departments"][0]["name"]
            assert item["posted_at"] == (job.get("first_published") or job.get("updated_at"))


def test_metadata_fields_are_mapped_from_real_boards():
    path = corpus_dir() / "greenhouse" / "omoji-personal__careerkit__greenhouse_amplitude.json"
    data = json.loads(path.read_text())
    items = greenhouse.parse_board_json(data, greenhouse.detect("https://job-boards.greenhouse.io/amplitude"), CTX)
    expected = [m["value"] for m in data["jobs"][0]["metadata"] if m["name"] == "Employment Type"]
    assert items[0]["employment_type"] == expected[0]
    anthropic = json.loads((corpus_dir() / "greenhouse" /
                            "sakshambhatla__JobFinder__greenhouse_anthropic_nocontent.json").read_text())
    items = greenhouse.parse_board_json(anthropic, greenhouse.detect("https://job-boards.greenhouse.io/anthropic"), CTX)
    flags = {(m["value"]) for j in anthropic["jobs"] for m in j["metadata"] or [] if m["name"] == "Location Type"}
    assert {i.get("remote_flag") for i in items} == flags  # None where the board leaves it empty


def _board_urls() -> list[str]:
    path = corpus_dir() / "other" / "stapply-ai__ats-scrapers__boarddir_greenhouse_greenhouse_companies.csv"
    with open(path, newline="", encoding="utf-8") as fh:
        return [row["url"] for row in csv.DictReader(fh)]


def test_detect_board_urls_from_the_board_directory():
    urls = _board_urls()
    assert len(urls) > 1000
    for url in urls:
        token = url.rstrip("/").rsplit("/", 1)[1]
        board = greenhouse.detect(url)
        if not re.fullmatch(r"[A-Za-z0-9_.-]+", token) or token == "embed":
            # a mangled directory entry ("1pyra)mid_health&care") or the embed path itself
            assert board is None, url
            continue
        assert board is not None, url
        assert board.token == token.lower()
        assert detect_url(url) == board


def test_detect_job_urls_inside_the_corpus_files():
    seen = 0
    for path in _greenhouse_files():
        for _, data in _bodies(path):
            for job in _jobs_in(data):
                url = job["absolute_url"]
                board = greenhouse.detect(url)
                if "greenhouse.io" not in url:
                    assert board is None  # a company-site URL (gh_jid) names no board
                    continue
                seen += 1
                assert board is not None and f"/{board.token}/jobs/" in url.lower()
                if ".eu.greenhouse.io" in url:
                    assert board.host == greenhouse.EU_API_HOST
    assert seen > 100


@pytest.mark.parametrize("url,token", [
    ("https://boards.greenhouse.io/embed/job_board/js?for=acme", "acme"),
    ("https://boards.greenhouse.io/embed/job_board?for=acme&b=https://acme.com/careers", "acme"),
    ("https://boards.greenhouse.io/embed/job_app?for=acme&token=4012345", "acme"),
    ("https://boards-api.greenhouse.io/v1/boards/acme/jobs?content=true", "acme"),
    ("https://api.greenhouse.io/v1/boards/generalassembly/embed/jobs?content=true", "generalassembly"),
    ("https://job-boards.eu.greenhouse.io/bashdotcom/jobs/4943113101", "bashdotcom"),
    ("http://boards.greenhouse.io/Acme", "acme"),
])
def test_detect_embed_and_api_forms(url, token):
    board = greenhouse.detect(url)
    assert board is not None and board.token == token and board.ats == "greenhouse"


@pytest.mark.parametrize("url", [
    "https://www.greenhouse.com/careers",
    "https://job-boards.cdn.greenhouse.io/assets/entry.client-Da_lLnMl.js",
    "https://boards.greenhouse.io/embed/job_board/js",
    "https://boards.greenhouse.io/",
    "https://www.williamblair.com/Careers/job-description?gh_jid=5181697007",
    "not a url",
])
def test_detect_refuses_non_boards(url):
    assert greenhouse.detect(url) is None


def test_start_asks_for_content_in_one_request_on_the_right_host():
    eu = greenhouse.detect("https://job-boards.eu.greenhouse.io/bashdotcom")
    (req,) = list(greenhouse.start(eu, CTX))
    assert req.url == "https://boards-api.eu.greenhouse.io/v1/boards/bashdotcom/jobs?content=true"
    assert req.cb_kwargs["board"] == eu and req.meta["jobos_board"] == "greenhouse:bashdotcom"


def _response(req, body: bytes, status: int = 200) -> TextResponse:
    return TextResponse(req.url, status=status, body=body, request=req,
                        headers={"Content-Type": "application/json"})


def test_probe_reports_names_domains_and_items_from_one_response():
    path = corpus_dir() / "greenhouse" / "JimmyZhu7__coverage__greenhouse_williamblair_jobs.json"
    req = greenhouse.probe("williamblair", CTX)
    assert req.meta["handle_httpstatus_list"] == [404]
    (result,) = list(req.callback(_response(req, path.read_bytes()), **req.cb_kwargs))
    data = json.loads(path.read_text())
    assert isinstance(result, ProbeResult)
    assert result.job_count == len(data["jobs"]) == len(result.items)
    assert result.names == sorted({j["company_name"] for j in data["jobs"]})
    assert "williamblair.com" in result.domains


def test_probe_of_unknown_board_is_empty_and_malformed_body_raises():
    req = greenhouse.probe("nosuchboard", CTX)
    (result,) = list(req.callback(_response(req, b'{"status":404,"error":"Not found"}', 404), **req.cb_kwargs))
    assert result.job_count == 0 and result.items == []
    (req,) = list(greenhouse.start(greenhouse.detect("https://boards.greenhouse.io/acme"), CTX))
    with pytest.raises(BadResponse):
        list(req.callback(_response(req, b'{"jobs": [{"id": 1, "title": "A"'), **req.cb_kwargs))


def test_salary_custom_fields_are_read():
    job = {"id": 1, "title": "Engineer", "absolute_url": "https://job-boards.greenhouse.io/acme/jobs/1",
           "location": {"name": "Berlin"},
           "metadata": [{"id": 9, "name": "Salary Range", "value_type": "currency_range",
                         "value": {"min_value": "60000.0", "max_value": "80000.0", "unit": "EUR"}}]}
    item = greenhouse.parse_job(job, greenhouse.detect("https://boards.greenhouse.io/acme"), CTX)
    assert (item["salary_min"], item["salary_max"], item["salary_currency"]) == (60000.0, 80000.0, "EUR")
