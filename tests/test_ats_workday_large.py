"""A Workday board past the 2,000-row listing cap is read whole by splitting it by its facets.

The board is the stand-in's generated 10,000-job board (tests/web/handlers/ats_workday.py),
answered in-process: the production listing callback runs on every answer, so the test reads
the whole board through the real split logic without 10,000 detail calls (the end-to-end test
reads a board through the proxy).
"""
from __future__ import annotations

import collections
import importlib.util
import json
import sys
from pathlib import Path

from scrapy.http import Request, TextResponse

from jobos.ats import BoardContext, workday

HANDLERS = Path(__file__).resolve().parent / "web" / "handlers"
sys.path.insert(0, str(HANDLERS))
from _http import Req  # noqa: E402

_spec = importlib.util.spec_from_file_location("standin_wd_large", HANDLERS / "ats_workday.py")
standin = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(standin)

HOST = "megacorp.wd1.myworkdayjobs.com"
BIG = standin.BOARDS[f"{HOST}/Megacorp_Careers"]


def _answer(request: Request) -> TextResponse:
    req = Req(method=request.method, scheme="https", host=HOST,
              path=request.url.split(HOST, 1)[1].split("?", 1)[0], query={},
              headers={}, body=request.body)
    resp = standin.handle(req, {})
    assert resp.status == 200, (request.url, resp.data()[:200])
    return TextResponse(request.url, body=resp.data(), encoding="utf-8", request=request)


def _read_listing(ctx: BoardContext) -> tuple[list[Request], int]:
    """Run every listing request the module asks for; return its detail requests and list calls."""
    board = workday.detect(f"https://{HOST}/en-US/Megacorp_Careers")
    queue = collections.deque(workday.start(board, ctx))
    details, listings = [], 0
    while queue:
        request = queue.popleft()
        listings += 1
        for out in request.callback(_answer(request), **request.cb_kwargs):
            (queue.append if out.method == "POST" else details.append)(out)
    return details, listings


def test_the_standin_behaves_like_the_recorded_large_board():
    first = json.loads(_answer(Request(
        f"https://{HOST}/wday/cxs/megacorp/Megacorp_Careers/jobs", method="POST",
        body=json.dumps({"appliedFacets": {}, "limit": 20, "offset": 0}))).text)
    assert first["total"] == 2000 and len(first["jobPostings"]) == 20
    assert [f["facetParameter"] for f in first["facets"]] == [
        "timeType", "workerSubType", "jobFamilyGroup", "locationMainGroup"]
    locations = first["facets"][3]["values"][0]["values"]
    assert max(v["count"] for v in locations) > 4000  # a location over the cap on its own
    assert sum(v["count"] for v in locations) == 11_000  # 1,000 jobs under two locations
    past = json.loads(_answer(Request(
        f"https://{HOST}/wday/cxs/megacorp/Megacorp_Careers/jobs", method="POST",
        body=json.dumps({"appliedFacets": {}, "limit": 20, "offset": 2000}))).text)
    assert past["jobPostings"] == []


def test_ten_thousand_jobs_are_all_read_once_each_by_nested_facet_slices():
    stats = collections.Counter()

    class Stats:
        def inc_value(self, key, count=1):
            stats[key] += count

    details, listings = _read_listing(BoardContext("Megacorp", stats=Stats()))
    paths = [r.url.split("/Megacorp_Careers", 1)[1] for r in details]
    expected = {standin.external_path(j) for j in BIG["jobs"]}
    assert len(expected) == 10_000
    assert len(paths) == len(set(paths)) == 10_000  # one detail call per job, none twice
    assert set(paths) == expected
    assert stats["jobos/workday/slices"] > 12  # the 4,500-job location was split again
    assert "jobos/errors/workday_capped" not in stats
    # ~11,000 listed rows (overlap) at 20 a page plus the slices' first pages, not far more
    assert listings < 11_000 / 20 + 3 * stats["jobos/workday/slices"]


def test_max_jobs_stops_a_split_board_early():
    details, _ = _read_listing(BoardContext("Megacorp", max_jobs=50))
    assert len(details) == 50  # one set of seen postings is shared by every slice
