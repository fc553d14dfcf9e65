"""SmartRecruiters: listing + detail parsers on every real corpus file, paging, detect()."""
from __future__ import annotations

import csv
import json
from urllib.parse import parse_qs, urlsplit

import pytest
from scrapy.http import Request, TextResponse

from jobos.ats import BoardContext, detect_url, smartrecruiters as sr
from jobos.items import JobItem
from tests.corpus import corpus_dir, corpus_files

BOARD = sr.board_for("HireVue")


def _load(path):
    return json.loads(path.read_text(encoding="utf-8"))


def _response(url: str, data, status: int = 200) -> TextResponse:
    body = data if isinstance(data, str) else json.dumps(data)
    return TextResponse(url, body=body.encode(), encoding="utf-8", status=status,
                        request=Request(url))


def _listings():
    return [p for p in corpus_files("smartrecruiters") if "content" in _load(p)]


def test_every_listed_posting_becomes_a_job():
    files = _listings()
    assert files
    for path in files:
        data = _load(path)
        jobs = [sr.job_from_posting(p, BOARD, BoardContext("X")) for p in data["content"]]
        assert len(jobs) == len(data["content"])
        for job, posting in zip(jobs, data["content"]):
            assert job["external_id"] == posting["id"]
            assert job["title"] == posting["name"]
            company = posting["company"]["identifier"]  # each recording's own company (HireVue, Visa)
            assert job["url"].startswith(f"https://jobs.smartrecruiters.com/{company}/" + posting["id"])
            city = posting["location"]["city"]
            assert job["location"].startswith(city) and ", ," not in job["location"]
            assert job["country"] == posting["location"]["country"].upper()
            assert job["department"] == posting["department"]["label"]
            assert job["employment_type"] == posting["typeOfEmployment"]["label"]
            assert job["posted_at"] == posting["releasedDate"]
            # SmartRecruiters flags: remote, else hybrid (Visa's Austin job), else on-site
            loc = posting["location"]
            assert job["remote_flag"] == (True if loc["remote"] else "hybrid" if loc.get("hybrid") else False)


def test_listing_yields_a_detail_call_per_posting_and_the_next_page():
    for path in _listings():
        data = _load(path)
        out = list(sr.parse_listing(_response("https://api.smartrecruiters.com/x", data), BOARD,
                                    BoardContext("X")))
        details = [r for r in out if "/postings/" in r.url]
        assert [r.url.rsplit("/", 1)[1] for r in details] == [p["id"] for p in data["content"]]
        pages = [r for r in out if "/postings?" in r.url]
        assert len(pages) == (1 if data["totalFound"] > sr.PAGE_SIZE else 0)
    big = {"totalFound": 250, "content": [{"id": str(i), "name": "n"} for i in range(100)]}
    out = list(sr.parse_listing(_response("https://x", big), BOARD, BoardContext("X"), offset=100))
    (nxt,) = [r for r in out if "/postings?" in r.url]
    assert parse_qs(urlsplit(nxt.url).query)["offset"] == ["200"]


def test_start_filters_by_country_through_the_api():
    (req,) = sr.start(BOARD, BoardContext("X", country="PL"))
    query = parse_qs(urlsplit(req.url).query)
    assert query == {"offset": ["0"], "limit": ["100"], "country": ["pl"]}
    (req,) = sr.start(BOARD, BoardContext("X"))
    assert "country" not in parse_qs(urlsplit(req.url).query)


def test_detail_file_gives_description_sections_in_page_order():
    for path in corpus_files("smartrecruiters"):
        data = _load(path)
        if "jobAd" not in data:
            continue
        (job,) = list(sr.parse_detail(_response("https://x", data), BOARD, BoardContext("X"),
                                      posting={"id": data["id"], "name": "listed"}))
        assert isinstance(job, JobItem)
        assert job["title"] == data["name"] and job["url"] == data["postingUrl"]
        assert job["apply_url"] == data["applyUrl"]
        html = job["description_html"]
        for section in data["jobAd"]["sections"].values():
            assert section["text"] in html and f"<h2>{section['title']}</h2>" in html
        order = [html.index(data["jobAd"]["sections"][k]["text"]) for k in sr.SECTIONS
                 if k in data["jobAd"]["sections"]]
        assert order == sorted(order)


def test_failed_detail_keeps_the_listing_job():
    posting = {"id": "7", "name": "Listed", "location": {"city": "Berlin", "country": "de"}}
    (job,) = list(sr.parse_detail(_response("https://x", "{}", status=404), BOARD,
                                  BoardContext("X"), posting=posting))
    assert job["title"] == "Listed" and job["country"] == "DE"
    gen = sr.parse_detail(_response("https://x", "<html>"), BOARD, BoardContext("X"), posting=posting)
    assert next(gen)["external_id"] == "7"
    with pytest.raises(sr.base.BadResponse):
        next(gen)


def test_probe_reports_total_and_company_name():
    data = _load(_listings()[0])
    req = sr.probe("HireVue", BoardContext("X"))
    (result,) = list(sr.parse_probe(_response(req.url, data), BOARD, BoardContext("X")))
    assert result.job_count == data["totalFound"]
    assert result.names == sorted({p["company"]["name"] for p in data["content"]})
    assert len([r for r in result.follow if "/postings/" in r.url]) == len(data["content"])
    (empty,) = list(sr.parse_probe(_response(req.url, "{}", status=404), BOARD, BoardContext("X")))
    assert empty.job_count == 0


def test_detect_board_directory_and_job_urls():
    path = corpus_dir() / "other" / "stapply-ai__ats-scrapers__boarddir_smartrecruiters_companies.csv"
    with open(path, newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    for row in rows:
        board = detect_url(row["url"])
        assert board is not None and board.ats == "smartrecruiters", row["url"]
        segs = row["url"].split("/")
        expected = segs[5] if segs[3] in ("oneclick-ui", "external-referrals") else segs[3]
        assert board.token == expected, row["url"]
    for path in corpus_files("smartrecruiters"):
        text = path.read_text()
        data = _load(path)
        postings = data.get("content", [data])
        for posting, url in [(p, p.get("ref")) for p in postings] + [(data, data.get("postingUrl")),
                                                                     (data, data.get("referralUrl"))]:
            if url:
                company = (posting.get("company") or postings[0]["company"])["identifier"]
                assert sr.detect(url).token.lower() == company.lower(), url
        assert "smartrecruiters" in text
    assert sr.detect("https://careers.smartrecruiters.com/Devoteam").token == "Devoteam"
    assert sr.detect("https://jobs.smartrecruiters.com/oneclick-ui/company/Acme1/publication/x").token == "Acme1"
    assert sr.detect("https://www.smartrecruiters.com/about") is None
    assert sr.detect("https://example.com/HireVue") is None
