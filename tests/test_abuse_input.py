"""Hostile spider arguments: SQL metacharacters, very long and odd Unicode input.

Each bad value ends `scrapy crawl careers` at once with one line naming the argument and a
non-zero exit, with no traceback; odd but valid values crawl normally. (The API's side of the
same inputs: tests/test_api_validation.py and the schemathesis run in tests/test_api_openapi.py.)
"""
from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest

from tests.crawl import run_crawl

BAD = [
    ({"company": "x" * 300}, "company"),
    ({"company": "Acme\x1b[31m\x07; DROP TABLE jobs;--"}, "company"),
    ({"company": "Acme", "country": "DE' OR '1'='1"}, "country"),
    ({"company": "Acme", "country": "\u202eED"}, "country"),
    ({"company": "Acme", "max_jobs": "1; DELETE FROM jobs"}, "max_jobs"),
    ({"company": "Acme", "render": "<script>alert(1)</script>"}, "render"),
    ({"company": "Acme", "careers_url": "javascript:alert(document.cookie)"}, "careers_url"),
    ({"company": "Acme", "careers_url": "https://" + "a" * 5000 + ".com/"}, "careers_url"),
]


@pytest.fixture(scope="module")
def bad_runs(standin):
    # In parallel: each exits before any request, so the cost is the interpreter start.
    with ThreadPoolExecutor(4) as pool:
        return list(pool.map(lambda case: run_crawl(standin, timeout=120, **case[0]), BAD))


@pytest.mark.parametrize("index", range(len(BAD)), ids=[f for _, f in BAD])
def test_bad_argument_is_one_line_and_a_non_zero_exit(bad_runs, index):
    args, field = BAD[index]
    result = bad_runs[index]
    assert result.returncode != 0, (args, result.stderr[-1500:])
    assert "Traceback" not in result.stderr, result.stderr[-3000:]
    lines = [line for line in result.stderr.splitlines() if line.startswith("jobos: ")]
    assert len(lines) == 1, result.stderr[-1500:]
    assert field in lines[0] and len(lines[0]) < 400, lines[0]
    assert result.items == []


def test_odd_but_valid_names_crawl_normally(web):
    # SQL and Unicode in a company name that is otherwise fine: the board is read as usual, and
    # the name is stored as text (the embedded store is written with bound parameters).
    name = "Northwind'; DROP TABLE jobs;-- \u00e9\u6f22\u5b57 \U0001f680"
    result = run_crawl(web, company=name, careers_url="https://job-boards.greenhouse.io/northwind")
    assert result.returncode == 0, result.stderr[-3000:]
    assert len(result.items) >= 1
    assert {i["company"] for i in result.items} <= {name, "Northwind Traders", "Northwind"}
