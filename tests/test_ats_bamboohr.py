"""BambooHR: careers list + detail parsers on every real corpus file, detect(), probe."""
from __future__ import annotations

import json

import pytest
from scrapy.http import Request, TextResponse

from jobos.ats import BoardContext, bamboohr, detect_url
from tests.corpus import corpus_files

BOARD = bamboohr.board_for("acme")


def _load(path):
    return json.loads(path.read_text(encoding="utf-8"))


def _response(url: str, data, status: int = 200, ctype: str = "application/json") -> TextResponse:
    body = data if isinstance(data, str) else json.dumps(data)
    return TextResponse(url, body=body.encode(), encoding="utf-8", status=status,
                        headers={"Content-Type": ctype}, request=Request(url))


def test_every_opening_gets_a_detail_request_and_a_listing_job():
    files = corpus_files("bamboohr")
    assert files
    for path in files:
        data = _load(path)
        out = list(bamboohr.parse_list(_response("https://acme.bamboohr.com/careers/list", data),
                                       BOARD, BoardContext("X")))
        assert [r.url for r in out] == [f"https://acme.bamboohr.com/careers/{o['id']}/detail"
                                        for o in data["result"]]
        for row in data["result"]:
            job = bamboohr.job_from_opening(row, BOARD, BoardContext("X"))
            assert job["external_id"] == row["id"]
            assert job["title"] == row["jobOpeningName"]
            assert job["url"] == f"https://acme.bamboohr.com/careers/{row['id']}"
            assert job["location"] == f"{row['location']['city']}, {row['location']['state']}"
            assert job["city"] == row["location"]["city"]
            assert job["department"] == row["departmentLabel"].strip()
            assert job["employment_type"] == row["employmentStatusLabel"]
            assert job["remote_flag"] == "onsite"  # locationType "0"


def test_detail_fills_description_date_compensation_and_share_url():
    row = {"id": "86", "jobOpeningName": "Nurse Paralegal", "location": {"city": "Fort Lauderdale",
                                                                         "state": "Florida"}}
    detail = {"result": {"jobOpening": {
        "jobOpeningShareUrl": "https://acme.bamboohr.com/careers/86",
        "jobOpeningName": "Nurse Paralegal", "description": "<p>Review records.</p>",
        "datePosted": "2026-07-01", "compensation": "$60,000 - $70,000 per year",
        "atsLocation": {"country": "United States", "state": "Florida", "city": "Fort Lauderdale"},
        "isRemote": False}}}
    (job,) = list(bamboohr.parse_detail(_response("https://x", detail), BOARD, BoardContext("X"),
                                        opening=row))
    assert job["description_html"] == "<p>Review records.</p>"
    assert job["posted_at"] == "2026-07-01"
    assert job["salary_text"] == "$60,000 - $70,000 per year"
    assert job["country"] == "US" and job["remote_flag"] is False
    assert job["location"] == "Fort Lauderdale, Florida, United States"


def test_bad_detail_keeps_the_list_job():
    row = {"id": "1", "jobOpeningName": "Clerk"}
    gen = bamboohr.parse_detail(_response("https://x", "{trunc"), BOARD, BoardContext("X"), opening=row)
    assert next(gen)["title"] == "Clerk"
    with pytest.raises(bamboohr.base.BadResponse):
        next(gen)


def test_probe_counts_openings_and_treats_redirect_as_missing():
    data = _load(corpus_files("bamboohr")[0])
    req = bamboohr.probe("Acme", BoardContext("X"))
    assert req.url == "https://acme.bamboohr.com/careers/list" and req.meta["dont_redirect"]
    (res,) = list(bamboohr.parse_probe(_response(req.url, data), BOARD, BoardContext("X")))
    assert res.job_count == len(data["result"]) and len(res.follow) == len(data["result"])
    (gone,) = list(bamboohr.parse_probe(_response(req.url, "", status=302, ctype="text/html"),
                                        BOARD, BoardContext("X")))
    assert gone.job_count == 0
    (html,) = list(bamboohr.parse_probe(_response(req.url, "<html></html>", ctype="text/html"),
                                        BOARD, BoardContext("X")))
    assert html.job_count == 0


def test_max_jobs_limits_detail_calls():
    data = {"result": [{"id": str(i), "jobOpeningName": "x"} for i in range(10)]}
    out = list(bamboohr.parse_list(_response("https://x", data), BOARD, BoardContext("X", max_jobs=3)))
    assert len(out) == 3


def test_detect_url_forms():
    for url in ("https://acme.bamboohr.com/careers", "https://acme.bamboohr.com/careers/list",
                "https://acme.bamboohr.com/careers/86/detail", "https://acme.bamboohr.com/jobs/embed2.php",
                "https://acme.bamboohr.com/js/embed.js", "https://acme.bamboohr.com/jobs/view.php?id=3",
                "acme.bamboohr.com"):
        board = detect_url(url)
        assert board is not None and board.ats == "bamboohr" and board.token == "acme", url
        assert board.host == "acme.bamboohr.com"
    for url in ("https://www.bamboohr.com/careers", "https://api.bamboohr.com/api/gateway.php/x/v1",
                "https://acme.bamboohr.com/login.php", "https://bamboohr.com/"):
        assert bamboohr.detect(url) is None, url
