"""Deterministic regressions for the crashes the fuzz tests found (tests/test_fuzz_parsers.py).

The fuzz tests only say "nothing but BadResponse is raised". These pin down what must still
come out: the rest of a page's text, the other fields of a job whose one field has an odd JSON
type, the other jobs of a response when one job cannot be parsed at all, and a truncated JSON
listing page read as an error rather than as "no more jobs".
"""
from __future__ import annotations

import pytest

from jobos.normalize import html as nhtml


# --- description HTML -----------------------------------------------------------------------
def test_a_comment_beside_the_root_element_is_not_a_crash():
    # "<!DOCTYPE" with one bit flipped parses as a comment next to <html>, which has no parent.
    page = "<!EOCTYPE html><html><body><p>Hello</p><!-- inside --></body></html>"
    assert nhtml.to_markdown(page) == "Hello"
    assert nhtml.main_content(page) == "Hello"


@pytest.mark.parametrize("control", ["\x00", "\x01", "\x0b", "\x1f"])
def test_control_characters_next_to_dropped_elements_keep_the_text(control):
    # Dropping <nav> moves its tail text; lxml refuses to set text holding XML-illegal chars.
    page = f"<div><p>Keep</p><nav>menu</nav>{control} tail text</div>"
    assert nhtml.to_markdown(page) == "Keep\n\ntail text"


def test_drop_node_leaves_a_parentless_node_alone():
    import lxml.html

    root = lxml.html.fromstring("<div><p>a</p></div>")
    nhtml.drop_node(root)  # no parent: nothing to remove it from, and no AssertionError
    assert lxml.html.tostring(root) == b"<div><p>a</p></div>"


# --- JSON listing endpoints ("load more") -----------------------------------------------------
def test_a_truncated_json_listing_is_an_error_not_the_end_of_the_list():
    from jobos.ats.base import BadResponse
    from jobos.pages.listing import parse_json_jobs

    body = '{"jobs": [{"title": "Engineer", "url": "/jobs/1/"}, {"title": "Des'
    with pytest.raises(BadResponse, match="api/jobs"):
        parse_json_jobs(body, "https://acme.example/api/jobs?offset=2")
    with pytest.raises(BadResponse):
        parse_json_jobs("<html><body>502 Bad Gateway</body></html>", "https://acme.example/api/jobs")
    with pytest.raises(BadResponse):
        parse_json_jobs("[" * 100_000, "https://acme.example/api/jobs")  # RecursionError inside json


def test_a_json_listing_that_lists_nothing_is_still_just_empty():
    from jobos.pages.listing import parse_json_jobs

    result = parse_json_jobs('{"jobs": [], "hasMore": false}', "https://acme.example/api/jobs")
    assert result.jobs == [] and result.more is False and result.next_url is None


# --- ATS fields of an unexpected JSON type ----------------------------------------------------
import copy
import json
import logging
from datetime import datetime, timezone

from scrapy.http import Request, TextResponse
from scrapy.utils.test import get_crawler

from jobos.ats import (ashby, bamboohr, base, detect_url, greenhouse, lever, recruitee,
                       smartrecruiters, teamtailor, workable, workday)
from jobos.ats.base import BoardContext
from tests.corpus import corpus_files, corpus_missing

CTX = BoardContext("Odd Co", crawl_time=datetime(2026, 7, 1, tzinfo=timezone.utc))
# Values of every JSON type but the documented one, for any field.
ODD = [True, "odd", 7.5, {"k": 1}, [1, "a"], None]


def _board(url: str):
    board = detect_url(url)
    assert board is not None, url
    return board


def _rows(kind: str, pick) -> list:
    """Return two rows (job objects) of each of the two smallest corpus files of a kind that have any."""
    rows, used = [], 0
    for path in sorted(corpus_files(kind), key=lambda p: p.stat().st_size):
        try:
            found = pick(json.loads(path.read_text(encoding="utf-8")))[:2]
        except (ValueError, KeyError, TypeError, AttributeError):
            continue
        rows += found
        used += bool(found)
        if used == 2:
            break
    if not rows:
        corpus_missing(f"no {kind} corpus rows of the expected shape")
    return rows


def _paths(node, prefix=(), depth=0):
    """Yield the paths of a JSON value's members (objects' keys, the first items of arrays)."""
    if depth > 3:
        return
    members = node.items() if isinstance(node, dict) else enumerate(node[:3]) if isinstance(node, list) else ()
    for key, value in members:
        yield prefix + (key,)
        yield from _paths(value, prefix + (key,), depth + 1)


def _replaced(row, path, value):
    row = copy.deepcopy(row)
    holder = row
    for step in path[:-1]:
        holder = holder[step]
    holder[path[-1]] = value
    return row


def _list_rows(key):
    return lambda data: [r for r in data[key] if isinstance(r, dict)]


# (name, corpus kind, rows of a response, parse one row, keys a job cannot be identified without)
PER_JOB = [
    ("greenhouse", "greenhouse", _list_rows("jobs"),
     lambda r: greenhouse.parse_job(r, _board("https://boards.greenhouse.io/odd"), CTX), {"id", "title", "absolute_url"}),
    ("lever", "lever", lambda data: [r for r in data if isinstance(r, dict)],
     lambda r: lever.parse_posting(r, _board("https://jobs.lever.co/odd"), CTX), {"id", "text", "hostedUrl"}),
    ("ashby", "ashby", _list_rows("jobs"),
     lambda r: ashby.parse_job(r, _board("https://jobs.ashbyhq.com/odd"), CTX),
     {"id", "title", "jobUrl"}),
    ("recruitee", "recruitee", _list_rows("offers"),
     lambda r: recruitee.parse_offer(r, _board("https://odd.recruitee.com/"), CTX),
     {"id", "title", "careers_url", "slug"}),
    ("workable", "workable", _list_rows("jobs"),
     lambda r: workable.job_from_rows([r], _board("https://apply.workable.com/odd/"), CTX),
     {"shortcode", "title", "url"}),
    ("teamtailor", "teamtailor", _list_rows("items"),
     lambda r: teamtailor.job_from_item(r, _board("https://odd.teamtailor.com/jobs"), CTX),
     {"url", "title", "_jobposting", "id"}),
    ("smartrecruiters", "smartrecruiters",
     lambda data: [r for r in data.get("content", [data]) if isinstance(r, dict)],
     lambda r: smartrecruiters.job_from_posting(r, _board("https://jobs.smartrecruiters.com/Odd"), CTX),
     {"id", "name", "postingUrl", "company"}),
    ("workday-listing", "workday", _list_rows("jobPostings"),
     lambda r: workday.job_from_posting(r, _board("https://odd.wd1.myworkdayjobs.com/External"), CTX),
     {"externalPath", "title"}),
    ("workday-detail", "workday", lambda data: [data["jobPostingInfo"]],
     lambda info: workday.job_from_posting({"title": "Listed", "externalPath": "/job/X/Listed_JR-1"},
                                           _board("https://odd.wd1.myworkdayjobs.com/External"), CTX,
                                           info),
     {"title", "externalUrl"}),
    ("bamboohr", "bamboohr", _list_rows("result"),
     lambda r: bamboohr.job_from_opening(r, _board("https://odd.bamboohr.com/careers"), CTX),
     {"id", "jobOpeningName", "jobOpeningShareUrl"}),
]


@pytest.mark.parametrize("name,kind,pick,parse,identity", PER_JOB, ids=[p[0] for p in PER_JOB])
def test_one_odd_field_costs_that_field_only(name, kind, pick, parse, identity):
    """Any field of a real job replaced by a value of another type: no exception, and the job
    keeps its id, title and URL unless the field was one they are read from."""
    checked = 0
    for row in _rows(kind, pick):
        original = parse(row)
        assert original is not None and original.get("title"), row
        for path in list(_paths(row))[:120]:
            for value in ODD:
                item = parse(_replaced(row, path, value))  # must not raise
                checked += 1
                if path[0] in identity:
                    continue
                assert item is not None, (path, value)
                for field in ("external_id", "title", "url"):
                    assert item.get(field) == original.get(field), (path, value, field)
                for field, got in item.items():
                    if field in ("title", "url", "apply_url", "description_html", "location",
                                 "department", "city", "region", "salary_currency"):
                        assert got is None or isinstance(got, str), (path, value, field, got)
    assert checked > 0


def _greenhouse_response(jobs: list) -> TextResponse:
    url = "https://boards-api.greenhouse.io/v1/boards/odd/jobs?content=true"
    return TextResponse(url, body=json.dumps({"jobs": jobs}).encode(), encoding="utf-8",
                        request=Request(url))


def test_a_greenhouse_job_with_odd_departments_and_offices_keeps_its_other_fields():
    board = _board("https://boards.greenhouse.io/odd")
    jobs = [
        {"id": 1, "title": "First", "absolute_url": "https://odd.example/jobs/1",
         "location": {"name": "Berlin, Germany"}, "departments": [{"name": "Sales"}]},
        {"id": 2, "title": "Second", "absolute_url": "https://odd.example/jobs/2",
         "location": {"name": "Paris, France"}, "departments": True, "offices": "Paris",
         "metadata": {"name": "Employment type"}, "content": ["not", "html"]},
        {"id": 3, "title": "Third", "absolute_url": "https://odd.example/jobs/3",
         "location": "Oslo", "departments": [{"name": "Engineering"}]},
    ]
    items = list(greenhouse.parse_jobs(_greenhouse_response(jobs), board, CTX))
    assert [i["external_id"] for i in items] == ["1", "2", "3"]
    second = items[1]
    assert second["title"] == "Second" and second["location"] == "Paris, France"
    assert second["url"] == "https://odd.example/jobs/2"
    assert "department" not in second and "description_html" not in second
    assert items[2]["department"] == "Engineering" and "location" not in items[2]


def test_parse_each_skips_counts_and_logs_a_job_it_cannot_parse(caplog):
    board = _board("https://boards.greenhouse.io/odd")
    stats = get_crawler().stats
    ctx = BoardContext("Odd Co", crawl_time=CTX.crawl_time, stats=stats)

    def parse(row):
        if row["id"] == "JR-2":
            raise TypeError("an unforeseen shape")
        return base.new_job(board, ctx, external_id=row["id"], title=f"Job {row['id']}")

    rows = [{"id": "JR-1"}, {"id": "JR-2"}, {"id": "JR-3"}, "not a job"]
    with caplog.at_level(logging.WARNING, logger="jobos.ats.base"):
        items = base.parse_each(rows, parse, board, ctx)
    assert [i["external_id"] for i in items] == ["JR-1", "JR-3"]
    assert stats.get_value("jobos/errors/bad_job") == 2  # JR-2, and the string row
    skipped = [r.getMessage() for r in caplog.records if "could not be parsed" in r.getMessage()]
    assert len(skipped) == 2
    assert "greenhouse:odd" in skipped[0] and "JR-2" in skipped[0] and "TypeError" in skipped[0]


def test_without_stats_a_skipped_job_is_still_skipped():
    board = _board("https://jobs.lever.co/odd")
    items = base.parse_each([1, {"id": "a", "text": "Kept"}],
                            lambda r: lever.parse_posting(r, board, CTX) if isinstance(r, dict) else 1 / 0,
                            board, CTX)
    assert [i["title"] for i in items] == ["Kept"]


@pytest.mark.parametrize("value,expected", [
    ("  Berlin ", "  Berlin "), ("", None), ("   ", None), (7, "7"), (7.0, "7"), (7.5, "7.5"),
    (True, None), (None, None), ({"a": 1}, None), ([1], None), (float("nan"), None),
])
def test_as_str(value, expected):
    assert base.as_str(value) == expected


def test_as_str_strip_list_dict_number():
    assert base.as_str("  Engineer \n", strip=True) == "Engineer"
    assert base.as_list(True) == [] and base.as_list([1]) == [1] and base.as_list({"a": 1}) == []
    assert base.as_dict("x") == {} and base.as_dict({"a": 1}) == {"a": 1} and base.as_dict([]) == {}
    assert base.as_number("1200.5") == 1200.5 and base.as_number(3) == 3.0
    assert base.as_number(True) is None and base.as_number("1,5") is None
    assert base.as_number(float("inf")) is None and base.as_number(10**400) is None
