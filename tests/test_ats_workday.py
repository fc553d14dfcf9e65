"""Workday: the cxs parsers on every real corpus file, paging, the country facet, detect()."""
from __future__ import annotations

import csv
import json

import pytest
from scrapy.http import Request, TextResponse

from jobos.ats import BoardContext, detect_url, workday
from jobos.items import JobItem
from tests.corpus import corpus_dir, corpus_files

BOARD = workday.detect("https://citi.wd5.myworkdayjobs.com/en-US/Citi_Early_Careers")


def _load(path):
    return json.loads(path.read_text(encoding="utf-8"))


def _listings():
    return [p for p in corpus_files("workday") if "jobPostings" in _load(p)]


def _response(url: str, data, status: int = 200, **cb) -> TextResponse:
    body = data if isinstance(data, str) else json.dumps(data)
    return TextResponse(url, body=body.encode(), encoding="utf-8", status=status,
                        request=Request(url, cb_kwargs=cb))


def test_every_listing_posting_becomes_a_job_with_title_url_location():
    files = _listings()
    assert files, "no Workday listing in the corpus"
    for path in files:
        data = _load(path)
        board = BOARD
        jobs = [workday.job_from_posting(p, board, BoardContext("X")) for p in data["jobPostings"]]
        assert len(jobs) == len(data["jobPostings"])
        for job, posting in zip(jobs, data["jobPostings"]):
            assert job["title"] == posting["title"]
            assert job["url"] == board.url + posting["externalPath"]
            assert job["posted_text"] == posting["postedOn"]
            if not posting["locationsText"].endswith("Locations"):
                assert job["location"] == posting["locationsText"]
            assert job["external_id"] in posting["externalPath"]
        # ids are unique per posting even where one requisition is posted twice
        assert len({j["external_id"] for j in jobs}) == len(jobs)


def test_listing_callback_yields_one_detail_request_per_posting_and_pages_by_total():
    for path in _listings():
        data = _load(path)
        requests = list(workday.parse_listing(
            _response(f"https://{BOARD.host}/wday/cxs/citi/Citi_Early_Careers/jobs", data),
            BOARD, BoardContext("X")))
        details = [r for r in requests if r.method == "GET"]
        pages = [r for r in requests if r.method == "POST"]
        if data["total"] >= workday.CAP and "micron" in path.name:
            # Micron's board (2,912 jobs) is past the cap: split by its location facet (52
            # values, counts adding up to 3,218 of 2,912: jobs listed under several locations)
            assert details == [] and len(pages) == 52
            bodies = [json.loads(r.body) for r in pages]
            assert {tuple(b["appliedFacets"]) for b in bodies} == {("locations",)}
            assert {b["offset"] for b in bodies} == {0}
            assert "bff7a31dbdd301638bd043b46401e507" in {b["appliedFacets"]["locations"][0] for b in bodies}
            continue
        # NVIDIA's sample (total capped at 2,000) keeps one facet of one value: nothing to split
        # by, so the first 2,000 are read page by page (and the cap is counted as a problem).
        assert len(details) == len(data["jobPostings"])
        assert details[0].url == workday._api_base(BOARD) + data["jobPostings"][0]["externalPath"]
        # a further page exactly when the first page's total says there is one
        assert len(pages) == (1 if data["total"] > workday.PAGE_SIZE else 0)
        if pages:
            assert json.loads(pages[0].body)["offset"] == workday.PAGE_SIZE
            assert pages[0].cb_kwargs["total"] == data["total"]


def test_later_pages_keep_the_first_pages_total():
    page = {"total": 0, "jobPostings": [{"title": f"T{i}", "externalPath": f"/job/x/T_{i}"}
                                        for i in range(20)]}
    out = list(workday.parse_listing(_response("https://x/jobs", page), BOARD, BoardContext("X"),
                                     offset=20, facets={}, total=65))
    nxt = [r for r in out if r.method == "POST"]
    assert len(nxt) == 1 and json.loads(nxt[0].body)["offset"] == 40


def test_max_jobs_limits_detail_calls_and_paging():
    page = {"total": 100, "jobPostings": [{"title": f"T{i}", "externalPath": f"/job/x/T_{i}"}
                                          for i in range(20)]}
    out = list(workday.parse_listing(_response("https://x/jobs", page), BOARD,
                                     BoardContext("X", max_jobs=5)))
    assert len(out) == 5 and all(r.method == "GET" for r in out)


def test_detail_file_fills_description_country_and_types():
    for path in corpus_files("workday"):
        data = _load(path)
        if "jobPostingInfo" not in data:
            continue
        info = data["jobPostingInfo"]
        posting = {"title": "listed", "externalPath": "/job/USAVAReston/" + info["jobPostingId"],
                   "postedOn": "Posted Yesterday", "locationsText": info["location"]}
        out = list(workday.parse_detail(_response("https://x/detail", data), BOARD,
                                        BoardContext("X"), posting=posting))
        assert len(out) == 1 and isinstance(out[0], JobItem)
        job = out[0]
        assert job["title"] == info["title"]
        assert job["url"] == info["externalUrl"]
        assert job["description_html"] == info["jobDescription"]
        assert job["employment_type"] == info["timeType"]
        assert job["remote_flag"] == info["remoteType"]
        assert job["country"] == info["jobRequisitionLocation"]["country"]["alpha2Code"]
        assert job["posted_at"] == info["startDate"]
        assert job["location"] == info["location"]
        assert job["external_id"] == info["jobReqId"]


def test_bad_detail_keeps_the_listing_job_then_reports():
    posting = {"title": "Listed", "externalPath": "/job/x/Listed_R1", "locationsText": "Berlin"}
    gen = workday.parse_detail(_response("https://x/d", '{"jobPostingInfo": {'), BOARD,
                               BoardContext("X"), posting=posting)
    first = next(gen)
    assert first["title"] == "Listed" and first["external_id"] == "R1"
    with pytest.raises(workday.base.BadResponse):
        next(gen)


def test_country_facet_restarts_the_listing_filtered():
    citi = _load(next(p for p in _listings() if "citi" in p.name))
    out = list(workday.parse_listing(_response("https://x/jobs", citi), BOARD,
                                     BoardContext("X", country="GB")))
    assert len(out) == 1 and out[0].method == "POST"
    body = json.loads(out[0].body)
    uk = next(v for f in citi["facets"] if f.get("facetParameter") == "Country_and_Jurisdiction"
              for v in f["values"] if v["descriptor"] == "United Kingdom")
    assert body["appliedFacets"] == {"Country_and_Jurisdiction": [uk["id"]]}
    assert body["offset"] == 0
    # the filtered answer is then read normally (no second restart)
    again = list(workday.parse_listing(_response("https://x/jobs", citi), BOARD,
                                       BoardContext("X", country="GB"), offset=0,
                                       facets=body["appliedFacets"]))
    assert all(r.method == "GET" for r in again)


def test_country_facet_without_that_country_reads_nothing():
    citi = _load(next(p for p in _listings() if "citi" in p.name))
    assert list(workday.parse_listing(_response("https://x/jobs", citi), BOARD,
                                      BoardContext("X", country="DE"))) == []


def test_nested_country_facet_is_found():
    facets = [{"facetParameter": "locationMainGroup", "values": [
        {"facetParameter": "locationCountry", "descriptor": "Country", "values": [
            {"descriptor": "Germany", "id": "dc8bf79476611087dfde9ee4a7d4ad48", "count": 3}]},
        {"facetParameter": "locations", "values": [{"descriptor": "Berlin", "id": "b1"}]}]}]
    assert workday.country_facet(facets, "DE") == ("locationCountry",
                                                   ["dc8bf79476611087dfde9ee4a7d4ad48"])
    assert workday.country_facet([], "DE") is None


def test_board_without_country_facet_is_read_whole():
    page = {"total": 2, "facets": [], "jobPostings": [{"title": "A", "externalPath": "/job/a/A_1"},
                                                      {"title": "B", "externalPath": "/job/b/B_2"}]}
    out = list(workday.parse_listing(_response("https://x/jobs", page), BOARD,
                                     BoardContext("X", country="US")))
    assert [r.method for r in out] == ["GET", "GET"]


def test_start_posts_the_cxs_body():
    (req,) = workday.start(BOARD, BoardContext("X"))
    assert req.method == "POST"
    assert req.url == "https://citi.wd5.myworkdayjobs.com/wday/cxs/citi/Citi_Early_Careers/jobs"
    assert json.loads(req.body) == {"appliedFacets": {}, "limit": 20, "offset": 0, "searchText": ""}


def test_detect_every_board_directory_url_with_a_site():
    path = corpus_dir() / "other" / "stapply-ai__ats-scrapers__boarddir_workday_workday_companies.csv"
    with open(path, newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    found = 0
    for row in rows:
        board = detect_url(row["url"])
        seg = row["url"].split("myworkdayjobs.com/", 1)[1].strip("/")
        if workday._LANG.match(seg) or seg in ("", "wday"):
            # a language page, or the bare API prefix, names no career site
            assert board is None, row["url"]
            continue
        assert board is not None and board.ats == "workday", row["url"]
        assert board.site == seg and board.host == row["url"].split("/")[2]
        tenant, wd = board.host.split(".")[:2]
        assert board.token == f"{tenant}/{wd}/{seg}"
        found += 1
    assert found > 500


def test_detect_every_tenant_triple_as_url_forms():
    triples = json.loads((corpus_dir() / "other" / "manwithaplandy__job-board__workday_tenants.json")
                         .read_text())
    for triple in triples:
        tenant, wd, site = triple.split(":")
        t = tenant.lower()
        for url in (f"https://{t}.{wd}.myworkdayjobs.com/{site}",
                    f"https://{t}.{wd}.myworkdayjobs.com/en-US/{site}/job/City/Title_R1",
                    f"https://{t}.{wd}.myworkdayjobs.com/wday/cxs/{t}/{site}/jobs",
                    f"https://{wd}.myworkdaysite.com/recruiting/{t}/{site}"):
            board = workday.detect(url)
            if workday._LANG.match(site):
                continue  # a site named like a language ("es") cannot be told apart from one
            assert board is not None, url
            assert board.token == f"{t}/{wd}/{site}", url


def test_detect_job_urls_in_the_corpus():
    for kind in ("jsonld_html", "ats_html"):
        for path in corpus_files(kind):
            if "workday" not in path.name:
                continue
            text = path.read_text(errors="replace")
            for url in set(__import__("re").findall(r"https://[a-z0-9]+\.wd\d+\.myworkdayjobs\.com/[^\"'\s<>]+", text)):
                board = workday.detect(url)
                assert board is not None and board.token.startswith("autodesk/wd1/"), url
    detail = _load(next(p for p in corpus_files("workday") if "detail" in p.name))
    board = workday.detect(detail["jobPostingInfo"]["externalUrl"])
    assert board.token == "workday/wd5/Workday"
    assert workday.detect("https://www.example.com/careers") is None
    assert not hasattr(workday, "probe")  # a slug alone cannot name a Workday board
