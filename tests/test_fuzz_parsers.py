"""Parsers fuzzed on mutated real corpus files (hypothesis, bounded for CI).

Every pure parser takes third-party bytes: each ATS module's response parser, the page parsers
(JSON-LD, listing, detail, JSON listings), the DuckDuckGo result parser and the normalizers. On
real corpus files with bytes flipped, deleted, inserted or cut, and on JSON documents whose
values are swapped for other types, none may raise anything but BadResponse (the documented
"this body is unreadable" error the crawl counts).
"""
from __future__ import annotations

import json
import os
from datetime import datetime, timezone
from functools import lru_cache

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st
from scrapy.http import Request, TextResponse, XmlResponse

from jobos.ats import BoardContext, detect_url
from jobos.ats import (ashby, avature, bamboohr, eightfold, greenhouse, icims, lever, oracle, personio,
                       recruitee, smartrecruiters, successfactors, teamtailor, workable, workday)
from jobos.ats.base import BadResponse
from jobos.discovery import search
from jobos.normalize import dates, employment, html as nhtml, location, salary, urls
from jobos.pages.detail import parse_detail
from jobos.pages.jsonld import parse_jsonld
from jobos.pages.listing import parse_json_jobs, parse_listing
from tests.corpus import corpus_files, corpus_missing

EXAMPLES = int(os.environ.get("JOBOS_FUZZ_EXAMPLES", "40"))
FUZZ = settings(max_examples=EXAMPLES, deadline=None, derandomize=True,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
CTX = BoardContext("Fuzz Co", crawl_time=datetime(2026, 7, 1, tzinfo=timezone.utc))

# (corpus kind, a board URL detect_url knows, the module's first response callback)
ATS = [
    ("greenhouse", "https://boards.greenhouse.io/fuzzco", greenhouse.parse_jobs),
    ("lever", "https://jobs.lever.co/fuzzco", lever.parse_postings),
    ("ashby", "https://jobs.ashbyhq.com/fuzzco", ashby.parse_board),
    ("recruitee", "https://fuzzco.recruitee.com/", recruitee.parse_offers),
    ("personio", "https://fuzzco.jobs.personio.de/", personio.parse_feed),
    ("workable", "https://apply.workable.com/fuzzco/", workable.parse_account),
    ("teamtailor", "https://fuzzco.teamtailor.com/jobs", teamtailor.parse_feed),
    ("smartrecruiters", "https://jobs.smartrecruiters.com/FuzzCo", smartrecruiters.parse_listing),
    ("workday", "https://fuzzco.wd1.myworkdayjobs.com/External", workday.parse_listing),
    ("bamboohr", "https://fuzzco.bamboohr.com/careers", bamboohr.parse_list),
    ("oracle_hcm", "https://fuzzco.fa.us2.oraclecloud.com/hcmUI/CandidateExperience/en/sites/CX_1",
     oracle.parse_listing),
    ("eightfold", "https://fuzzco.eightfold.ai/careers?domain=fuzzco.com", eightfold.parse_listing),
    ("icims", "https://careers.fuzzco.com/api/jobs?source=jibe", icims.parse_api),
    ("successfactors", "https://careers.fuzzco.com/feeds/?locale=en_US", successfactors.parse_feed),
    ("avature", "https://fuzzco.avature.net/careers/SearchJobs/", avature.parse_search),
]


@lru_cache(maxsize=None)
def samples(kind: str) -> tuple[bytes, ...]:
    """Return up to four real corpus files of a kind, at most 200 kB each (fuzzing is per byte)."""
    files = sorted(corpus_files(kind), key=lambda p: p.stat().st_size)[:4]
    if not files:
        corpus_missing(f"no corpus files of kind {kind}")
    return tuple(p.read_bytes()[:200_000] for p in files)


@st.composite
def mutated(draw, kind: str) -> bytes:
    """Draw a corpus file of `kind` with a few bytes flipped, deleted, inserted or cut off."""
    data = bytearray(draw(st.sampled_from(samples(kind))))
    for _ in range(draw(st.integers(1, 8))):
        if not data:
            break
        op = draw(st.sampled_from(["flip", "delete", "insert", "cut", "junk"]))
        pos = draw(st.integers(0, len(data) - 1))
        if op == "flip":
            data[pos] ^= 1 << draw(st.integers(0, 7))
        elif op == "delete":
            del data[pos:pos + draw(st.integers(1, 64))]
        elif op == "insert":
            data[pos:pos] = draw(st.sampled_from([b"\xff\xfe", b"\x00", b'"', b"{", b"]", b"<", b"&#0;", b"\xc3"]))
        elif op == "cut":
            del data[pos:]
        else:
            data[pos:pos] = draw(st.binary(min_size=1, max_size=16))
    return bytes(data)


JSON_VALUES = st.one_of(st.none(), st.booleans(), st.integers(-2**63, 2**63), st.floats(allow_nan=True),
                        st.text(max_size=30), st.lists(st.integers(), max_size=3),
                        st.dictionaries(st.text(max_size=5), st.integers(), max_size=3))


def _paths(node, prefix=()):
    if isinstance(node, dict):
        for key, value in node.items():
            yield prefix + (key,)
            yield from _paths(value, prefix + (key,))
    elif isinstance(node, list):
        for i, value in enumerate(node[:5]):
            yield prefix + (i,)
            yield from _paths(value, prefix + (i,))


@st.composite
def json_mutated(draw, kind: str) -> bytes:
    """Draw a JSON corpus file of `kind` with a few values replaced by values of other types."""
    candidates = [s for s in samples(kind) if s.lstrip()[:1] in (b"{", b"[")]
    if not candidates:
        return draw(mutated(kind))
    try:
        doc = json.loads(draw(st.sampled_from(candidates)))
    except ValueError:
        return draw(mutated(kind))
    paths = list(_paths(doc))[:400]
    for _ in range(draw(st.integers(1, 6))):
        if not paths:
            break
        path = draw(st.sampled_from(paths))
        holder = doc
        try:
            for step in path[:-1]:
                holder = holder[step]
            holder[path[-1]] = draw(JSON_VALUES)
        except (KeyError, IndexError, TypeError):
            continue
    return json.dumps(doc).encode()


def _response(url: str, body: bytes, xml: bool = False):
    cls = XmlResponse if xml else TextResponse
    return cls(url, body=body, encoding="utf-8", request=Request(url))


def _drain(result) -> list:
    return list(result or [])


@pytest.mark.parametrize("kind,url,callback", ATS, ids=[(a.values if hasattr(a, "values") else a)[0] for a in ATS])
def test_ats_parsers_on_mutated_corpus(kind, url, callback):
    board = detect_url(url)
    assert board is not None, url

    @FUZZ
    @given(body=st.one_of(mutated(kind), json_mutated(kind)))
    def run(body: bytes) -> None:
        response = _response(board.url if hasattr(board, "url") else url, body, xml=kind == "personio")
        try:
            _drain(callback(response, board, CTX))
        except BadResponse:
            pass

    run()


@FUZZ
@given(body=mutated("jsonld_html"))
def test_page_parsers_on_mutated_career_pages(body):
    text = body.decode("utf-8", "replace")
    url = "https://www.fuzz-co.example/careers/job/1"
    parse_jsonld(text, url, CTX)
    parse_listing(text, url)
    parse_detail(text, url, CTX, hint_title="Engineer")
    nhtml.to_markdown(text)
    assert "<script" not in nhtml.sanitize_html(text).lower()


@FUZZ
@given(body=st.one_of(mutated("ats_html"), mutated("jsonld_html")))
def test_listing_and_json_listing_on_mutated_pages(body):
    text = body.decode("utf-8", "replace")
    parse_listing(text, "https://www.fuzz-co.example/jobs")
    try:
        parse_json_jobs(text, "https://www.fuzz-co.example/api/jobs")
    except BadResponse:
        pass  # an HTML page is not a JSON listing: unreadable, counted by the crawl


@FUZZ
@given(body=mutated("ddg_html"))
def test_search_result_parser_on_mutated_result_pages(body):
    text = body.decode("utf-8", "replace")
    for result in search.parse_results(text):
        assert result.url.startswith(("http://", "https://")), result.url
    search.blocked(200, text)
    search.ad_count(text)


@FUZZ
@given(text=st.text(max_size=200))
def test_normalizers_on_any_text(text):
    location.parse_location(text)
    location.parse_locations(text)
    location.workplace_of(text)
    employment.employment_type(text)
    dates.parse_date(text, now=CTX.crawl_time)
    salary.currency_code(text)
    salary.period_code(text)
    salary.parse_salary(text)
    salary.salary_in_description(text)
    canonical = urls.canonical_url(text)
    assert canonical is None or isinstance(canonical, str)
