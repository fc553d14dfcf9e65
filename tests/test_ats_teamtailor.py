"""Teamtailor: the JSON Feed parser on every real corpus file, paging, detect(), probe."""
from __future__ import annotations

import json

from scrapy.http import Request, TextResponse

from jobos.ats import BoardContext, detect_url, teamtailor
from tests.corpus import corpus_files


def _load(path):
    return json.loads(path.read_text(encoding="utf-8"))


def _response(url: str, data, status: int = 200) -> TextResponse:
    body = data if isinstance(data, str) else json.dumps(data)
    return TextResponse(url, body=body.encode(), encoding="utf-8", status=status,
                        request=Request(url))


def test_every_item_becomes_a_job_with_its_jobposting_fields():
    files = corpus_files("teamtailor")
    assert files
    for path in files:
        data = _load(path)
        board = teamtailor.detect(data["feed_url"])
        jobs = list(teamtailor.parse_feed(_response(data["feed_url"], data), board, BoardContext("X")))
        assert len(jobs) == len(data["items"])
        for job, item in zip(jobs, data["items"]):
            posting = item["_jobposting"]
            assert job["title"] == item["title"] and job["url"] == item["url"]
            assert job["external_id"] == str(posting["identifier"]["value"])
            assert job["posted_at"] == posting["datePosted"]
            addresses = [p["address"] for p in posting["jobLocation"]]
            assert len(job["locations"]) == len(addresses)
            for a, text in zip(addresses, job["locations"]):
                assert a["addressLocality"] in text and a["addressCountry"] in text
            codes = {a["addressCountry"] for a in addresses}
            assert job.get("country") == (codes.pop() if len(codes) == 1 else None)


def test_next_url_is_followed_and_max_jobs_stops_paging():
    board = teamtailor.board_for("acme")
    page = {"items": [{"id": "u1", "title": "A", "url": "https://acme.teamtailor.com/jobs/11-a"}],
            "next_url": "https://acme.teamtailor.com/jobs.json?page=2"}
    out = list(teamtailor.parse_feed(_response("https://acme.teamtailor.com/jobs.json", page), board,
                                     BoardContext("X")))
    assert out[0]["external_id"] == "11"  # from the URL when there is no JobPosting
    assert out[1].url == "https://acme.teamtailor.com/jobs.json?page=2" and out[1].cb_kwargs["seen"] == 1
    out = list(teamtailor.parse_feed(_response("https://x/jobs.json", page), board,
                                     BoardContext("X", max_jobs=1)))
    assert len(out) == 1


def test_salary_and_employment_type_from_the_jobposting():
    item = {"id": "u", "title": "Dev", "url": "https://acme.teamtailor.com/jobs/5-dev",
            "content_html": "<p>Hi</p>",
            "_jobposting": {"employmentType": "FULL_TIME", "jobLocationType": "TELECOMMUTE",
                            "baseSalary": {"@type": "MonetaryAmount", "currency": "SEK",
                                           "value": {"@type": "QuantitativeValue", "minValue": 40000,
                                                     "maxValue": 55000, "unitText": "MONTH"}}}}
    job = teamtailor.job_from_item(item, teamtailor.board_for("acme"), BoardContext("X"))
    assert (job["salary_min"], job["salary_max"], job["salary_currency"], job["salary_period"]) == (
        40000, 55000, "SEK", "MONTH")
    assert job["employment_type"] == "FULL_TIME" and job["remote_flag"] == "TELECOMMUTE"
    assert job["description_html"] == "<p>Hi</p>"


def test_probe_and_detect():
    # The feed of career.teamtailor.com (other recordings are other tenants).
    data = next(d for d in map(_load, corpus_files("teamtailor"))
                if d.get("home_page_url", "").startswith("https://career.teamtailor.com/"))
    req = teamtailor.probe("Career", BoardContext("X"))
    assert req.url == "https://career.teamtailor.com/jobs.json"
    board = teamtailor.board_for("career")
    (res,) = list(teamtailor.parse_probe(_response(req.url, data), board, BoardContext("X")))
    assert res.job_count == len(data["items"]) == len(res.items)
    (none,) = list(teamtailor.parse_probe(_response(req.url, "nope", 404), board, BoardContext("X")))
    assert none.job_count == 0
    for item in data["items"]:
        assert detect_url(item["url"]).token == "career"
    assert detect_url(data["home_page_url"]).key == "teamtailor:career"
    assert teamtailor.detect("https://acme.na.teamtailor.com/jobs").host == "acme.na.teamtailor.com"
    assert teamtailor.detect("https://www.teamtailor.com/en/") is None
    assert teamtailor.detect("https://scripts.teamtailor.com/x.js") is None
