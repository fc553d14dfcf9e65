"""Workable: the widget-API parser on every real corpus file, detect(), probe."""
from __future__ import annotations

import csv
import json

from scrapy.http import Request, TextResponse

from jobos.ats import BoardContext, detect_url, workable
from tests.corpus import corpus_dir, corpus_files


def _load(path):
    return json.loads(path.read_text(encoding="utf-8"))


def _response(url: str, data, status: int = 200) -> TextResponse:
    body = data if isinstance(data, str) else json.dumps(data)
    return TextResponse(url, body=body.encode(), encoding="utf-8", status=status,
                        request=Request(url))


def test_every_job_parsed_one_per_shortcode():
    files = corpus_files("workable")
    assert files
    for path in files:
        data = _load(path)
        board = workable.board_for("acct")
        jobs = workable.parse_jobs(data, board, BoardContext("X"))
        # rows repeated per location share a shortcode: one job each
        assert len(jobs) == len({r["shortcode"] for r in data["jobs"]})
        by_id = {j["external_id"]: j for j in jobs}
        for row in data["jobs"]:
            job = by_id[row["shortcode"]]
            assert job["title"] == row["title"]
            assert job["url"] == row["url"]
            assert job["remote_flag"] is row["telecommuting"]
            assert job["department"] == row["department"]
            assert job["posted_at"] == row["published_on"]
            for loc in row["locations"]:
                assert any(loc["country"] in text for text in job["locations"])
            if row.get("description"):
                assert job["description_html"] == row["description"]


def test_country_set_only_when_every_location_shares_it():
    for path in corpus_files("workable"):
        data = _load(path)
        for job in workable.parse_jobs(data, workable.board_for("a"), BoardContext("X")):
            rows = [r for r in data["jobs"] if r["shortcode"] == job["external_id"]]
            codes = {loc["countryCode"] for r in rows for loc in r["locations"]}
            assert job.get("country") == (codes.pop() if len(codes) == 1 else None)


def test_account_callback_and_max_jobs():
    data = _load(next(p for p in corpus_files("workable") if "crewai" in p.name))
    board = workable.board_for("crewai")
    (req,) = workable.start(board, BoardContext("X"))
    assert req.url == "https://apply.workable.com/api/v1/widget/accounts/crewai?details=true"
    assert len(list(workable.parse_account(_response(req.url, data), board, BoardContext("X")))) == len(data["jobs"])
    assert len(list(workable.parse_account(_response(req.url, data), board,
                                           BoardContext("X", max_jobs=2)))) == 2


def test_probe_gives_name_jobs_and_zero_for_unknown():
    data = _load(next(p for p in corpus_files("workable") if "crewai" in p.name))
    board = workable.board_for("crewai")
    req = workable.probe("CrewAI", BoardContext("X"))
    assert req.meta["handle_httpstatus_list"] == [404]
    (res,) = list(workable.parse_probe(_response(req.url, data), board, BoardContext("X")))
    assert res.names == [data["name"]] and res.job_count == len(res.items) == len(data["jobs"])
    (none,) = list(workable.parse_probe(_response(req.url, '{"error":"x"}', 404), board, BoardContext("X")))
    assert none.job_count == 0


def test_detect_board_directory_and_api_urls():
    path = corpus_dir() / "other" / "stapply-ai__ats-scrapers__boarddir_workable_workable_companies.csv"
    with open(path, newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    for row in rows:
        board = detect_url(row["url"])
        if row["url"].rstrip("/").endswith("apply.workable.com/j"):
            assert board is None  # the job-link prefix, not an account
            continue
        assert board is not None and board.ats == "workable", row["url"]
        assert board.token == row["url"].split("/")[3].lower()
    for url, token in [
        ("https://apply.workable.com/api/v1/widget/accounts/crewai?details=true", "crewai"),
        ("https://apply.workable.com/api/v3/accounts/waking-up-1/jobs", "waking-up-1"),
        ("https://apply.workable.com/zaelab/j/DD136DD7E7/", "zaelab"),
        ("https://www.workable.com/api/accounts/acme?details=true", "acme"),
        ("https://acme.workable.com/jobs/123", "acme"),
    ]:
        assert workable.detect(url).token == token, url
    # job links in the corpus carry no account: not a board
    for path in corpus_files("workable"):
        for row in _load(path)["jobs"]:
            assert workable.detect(row["url"]) is None
    assert workable.detect("https://www.workable.com/pricing") is None
