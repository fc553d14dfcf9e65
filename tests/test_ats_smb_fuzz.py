"""The small and mid-sized ATS parsers fuzzed on mutated real recordings and stand-in answers.

As tests/test_fuzz_parsers.py does for the first ten ATSs: with bytes flipped, cut or inserted,
or JSON values swapped for other types, a parser may raise nothing but BadResponse.
"""
from __future__ import annotations

import html
import json
from pathlib import Path

import pytest
from hypothesis import given, strategies as st

from jobos.ats import (breezy, comeet, detect_url, freshteam, gem, gusto, hibob, hirehive, jazzhr, jobscore,
                       jobylon, join, manatal, paylocity, pinpoint, polymer, recruiterbox, rippling, zohorecruit)
from jobos.ats.base import BadResponse
from tests.corpus import corpus_dir
from tests.test_fuzz_parsers import CTX, FUZZ, JSON_VALUES, _paths, _response

DATA = Path(__file__).parent / "web" / "data"


def _mutate(draw, data: bytes) -> bytes:
    data = bytearray(data[:200_000])
    for _ in range(draw(st.integers(1, 8))):
        if not data:
            break
        pos = draw(st.integers(0, len(data) - 1))
        op = draw(st.sampled_from(["flip", "delete", "insert", "cut"]))
        if op == "flip":
            data[pos] ^= 1 << draw(st.integers(0, 7))
        elif op == "delete":
            del data[pos:pos + draw(st.integers(1, 64))]
        elif op == "insert":
            data[pos:pos] = draw(st.sampled_from([b"\xff\xfe", b"\x00", b'"', b"{", b"]", b"<", b"'", b"\xc3"]))
        else:
            del data[pos:]
    return bytes(data)


def _swap_values(draw, doc) -> bytes:
    paths = list(_paths(doc))[:400]
    for _ in range(draw(st.integers(1, 6))):
        path = draw(st.sampled_from(paths))
        holder = doc
        try:
            for step in path[:-1]:
                holder = holder[step]
            holder[path[-1]] = draw(JSON_VALUES)
        except (KeyError, IndexError, TypeError):
            continue
    return json.dumps(doc).encode()


@st.composite
def bodies(draw, sources: tuple) -> bytes:
    raw = draw(st.sampled_from(sources))
    if raw.lstrip()[:1] in (b"{", b"[") and draw(st.booleans()):
        return _swap_values(draw, json.loads(raw))
    return _mutate(draw, raw)


def _corpus(*names: str) -> tuple[bytes, ...]:
    return tuple((corpus_dir() / n).read_bytes() for n in names)


def _standin(ats: str, name: str, key: str | None) -> tuple[bytes, ...]:
    doc = json.loads((DATA / ats / name).read_text(encoding="utf-8"))
    return (json.dumps(doc[key] if key else doc).encode(),)


CASES = {
    "pinpoint": ("https://acme.pinpointhq.com/", pinpoint.parse_postings,
                 lambda: _corpus("pinpoint/konstantinosanagn__ergon__pinpoint_aawdc_jobs.json",
                                 "pinpoint/Manojkaipu__job-poller__pinpoint.json")),
    "gem": ("https://jobs.gem.com/acme", gem.parse_posts, lambda: _corpus("gem/Manojkaipu__job-poller__gem.json")),
    "rippling": ("https://ats.rippling.com/acme/jobs", rippling.parse_jobs,
                 lambda: _corpus("rippling/konstantinosanagn__ergon__rippling_11fs_jobs.json")),
    "jobylon": ("https://cdn.jobylon.com/jobs/companies/1955/embed/v2/", jobylon.parse_embed,
                lambda: _corpus("ats_html/colophon-group__jobseek__jobylon_mcdonalds_se.html")),
    "paylocity": ("https://recruiting.paylocity.com/Recruiting/Jobs/All/add565e9-4cee-4334-8182-9de221ffb9e4",
                  paylocity.parse_board,
                  lambda: _corpus("ats_html/ever-jobs__ever-jobs__paylocity_board-sendcutsend.html",
                                  "ats_html/omoji-personal__careerkit__paylocity_board_trimmed.html")),
    "gusto": ("https://jobs.gusto.com/boards/material-hybrid-manufacturing-inc-ed3a1ae2-cd0f-4b68-b4bb-e8b4e52a3f73",
              gusto.parse_board, lambda: _corpus("ats_html/ever-jobs__ever-jobs__gusto_material-board.html")),
    "breezy": ("https://acme.breezy.hr/", breezy.parse_positions,
               lambda: _standin("breezy", "cobaltbay.json", "positions")),
    "freshteam": ("https://acme.freshteam.com/jobs", freshteam.parse_feed,
                  lambda: _standin("freshteam", "tandoorlabs.json", "feed")),
    "recruiterbox": ("https://acme.hire.trakstar.com/", lambda r, b, c: recruiterbox.parse_openings(r, b, c, 0),
                     lambda: (json.dumps({"meta": {"limit": 2, "offset": 0, "total": 5}, "objects": json.loads(
                         _standin("recruiterbox", "lakeshorelabs.json", "objects")[0])}).encode(),)),
    "hibob": ("https://acme.careers.hibob.com/jobs", hibob.parse_feed, lambda: _standin("hibob", "fromagerie.json", "feed")),
    "manatal": ("https://www.careers-page.com/acme", lambda r, b, c: manatal.parse_jobs(r, b, c, 1),
                lambda: (json.dumps({"count": 30, "results": json.loads(
                    _standin("manatal", "tidewaysmarine.json", "results")[0])}).encode(),)),
    "polymer": ("https://jobs.polymer.co/acme", lambda r, b, c: polymer.parse_list(r, b, c, 1),
                lambda: (json.dumps({"items": [{k: v for k, v in j.items() if k != "detail"} for j in json.loads(
                    _standin("polymer", "brightpath.json", "jobs")[0])], "meta": {"total": 120}}).encode(),)),
    "jobscore": ("https://careers.jobscore.com/careers/acme", jobscore.parse_feed,
                 lambda: _standin("jobscore", "orchardvet.json", "feed")),
    "hirehive": ("https://acme.hirehive.com/", lambda r, b, c: hirehive.parse_feed(r, b, c, 1),
                 lambda: (json.dumps({"jobs": json.loads(_standin("hirehive", "claddagh.json", "jobs")[0]),
                                      "nextPage": "/api/v1/jobs?take=3&skip=3"}).encode(),)),
    "jazzhr": ("https://acme.applytojob.com/apply/jobs", jazzhr.parse_listing,
               lambda: (b'<html><div id="job_listings_wrapper"><a class="job_title_link" '
                        b'href="/apply/jobs/details/FFZLDWvD0h?&">Client Success</a>'
                        b'<a href="/apply/jobs/details/hKQA66W5Ad">Intern</a></div></html>',)),
    "zohorecruit": ("https://acme.zohorecruit.com/jobs/Careers", zohorecruit.parse_page,
                    lambda: (('<html><input type="hidden" id="jobs" value="' + html.escape(
                        _standin("zohorecruit", "meridianlabs.json", "postings")[0].decode(), quote=True)
                        + '"></html>').encode(),)),
    "join": ("https://join.com/companies/acme", lambda r, b, c: join.parse_jobs(r, b, c, "42", 1),
             lambda: (json.dumps({"items": json.loads(_standin("join", "nordwerk.json", "jobs")[0]),
                                  "pagination": {"pageCount": 2}}).encode(),)),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_parser_on_mutated_bodies(name):
    url, callback, sources = CASES[name]
    board = detect_url(url)
    assert board is not None and board.ats == name

    @FUZZ
    @given(body=bodies(sources()))
    def run(body: bytes) -> None:
        try:
            list(callback(_response(board.url, body), board, CTX) or [])
        except BadResponse:
            pass

    run()


def test_comeet_page_on_mutated_positions():
    positions = json.loads(_standin("comeet", "galilsense.json", "positions")[0])
    board = comeet.board_for("galilsense", "A3.00F")

    @FUZZ
    @given(body=bodies((json.dumps(positions).encode(),)))
    def run(body: bytes) -> None:
        page = b"<html><script>var COMPANY_POSITIONS_DATA = " + body + b";</script></html>"
        try:
            list(comeet.parse_page(_response(board.url, page), board, CTX))
        except BadResponse:
            pass

    run()
