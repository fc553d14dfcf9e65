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
