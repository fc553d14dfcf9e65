"""Postings kept only in script data: JSON blocks, JS assignments and object literals, chunks."""
from __future__ import annotations

import json

from jobos.pages.scriptdata import find_jobs
from tests.corpus import corpus_dir

PAGE = "https://www.acme-robotics.com/careers"


def _html(script: str, body: str = "", head: str = "") -> str:
    return f"<html><head><title>Careers</title>{head}</head><body><main>{body}</main>{script}</body></html>"


def test_next_data_array_with_slugs_uses_the_sites_job_links():
    data = {"props": {"pageProps": {"jobs": [
        {"title": "Senior Robotics Engineer", "slug": "senior-robotics-engineer", "location": "Berlin"},
        {"title": "Field Technician (m/w/d)", "slug": "field-technician", "location": {"name": "Hamburg"}},
    ], "nav": [{"title": "About", "slug": "about"}]}}}
    html = _html(f'<script id="__NEXT_DATA__" type="application/json">{json.dumps(data)}</script>',
                 body='<a href="/careers/open-application">Open application</a>')
    jobs = find_jobs(html, PAGE).jobs
    assert [(j.title, j.url, j.location) for j in jobs] == [
        ("Senior Robotics Engineer", "https://www.acme-robotics.com/careers/senior-robotics-engineer", "Berlin"),
        ("Field Technician (m/w/d)", "https://www.acme-robotics.com/careers/field-technician", "Hamburg"),
    ]
    assert not any(j.inline for j in jobs)


def test_js_variable_object_literal_with_urls():
    script = """<script>
      window.__STATE__ = {menu: [{name: 'Home', href: '/'}],
        openings: [{name: 'Ingénieur logiciel (H/F)', href: '/offres/123-ingenieur', city: 'Lyon'},
                   {name: 'Chef de projet', href: '/offres/124-chef-de-projet', city: 'Paris'}]};
    </script>"""
    jobs = find_jobs(_html(script), "https://www.acme.fr/carrieres").jobs
    assert [(j.title, j.url) for j in jobs] == [
        ("Ingénieur logiciel (H/F)", "https://www.acme.fr/offres/123-ingenieur"),
        ("Chef de projet", "https://www.acme.fr/offres/124-chef-de-projet"),
    ]


def test_ids_without_a_link_pattern_become_anchors_of_the_listing():
    script = "<script>var positions = [{title: 'Data Analyst', id: 7}, {title: 'Sales Manager', id: 9}];</script>"
    jobs = find_jobs(_html(script), PAGE).jobs
    assert [(j.title, j.url, j.inline) for j in jobs] == [
        ("Data Analyst", PAGE + "#7", True), ("Sales Manager", PAGE + "#9", True)]


def test_object_keyed_by_role_titles_in_a_js_chunk():
    chunk = ('"use strict";(self.webpackChunk=self.webpackChunk||[]).push([[1],{2:function(e,t,n){'
             'let r={"Propulsion Engineer":{intro:"We are looking for someone to design, build and own our engines and to test them on our stand.",'
             'responsibilities:["Design","Test"]},"Test Technician":{intro:"Run the test stand every day, safely, and keep its instruments calibrated and its logs in order.",'
             'qualifications:["Hands-on"]}};n.d(t,{default:()=>r})}}]);')
    jobs = find_jobs(chunk, PAGE, script=True).jobs
    assert [j.title for j in jobs] == ["Propulsion Engineer", "Test Technician"]
    assert all(j.inline and j.url.startswith(PAGE + "#") for j in jobs)


def test_no_postings_in_ordinary_data():
    script = "<script>var products = [{name: 'Widget', id: 1}, {name: 'Gadget', id: 2}];</script>"
    assert find_jobs(_html(script), PAGE).jobs == []
    assert find_jobs("not a page", PAGE).jobs == []
    assert find_jobs("{broken: [", PAGE, script=True).jobs == []


def test_route_chunk_is_offered_when_the_page_has_no_data():
    head = ('<script src="/_next/static/chunks/main-abc.js"></script>'
            '<script src="/_next/static/chunks/app/careers/page-0123.js"></script>'
            '<script src="https://cdn.other.com/careers/page.js"></script>')
    result = find_jobs(_html("", head=head), PAGE)
    assert result.jobs == []
    assert result.chunks == ["https://www.acme-robotics.com/_next/static/chunks/app/careers/page-0123.js"]


def test_corpus_next_chunk_roles():
    from bench.corpus_pages import load_pages

    corpus_dir()
    page = next(p for p in load_pages() if p.kind == "script_chunk" and p.half == "tune")
    jobs = find_jobs(page.path.read_text(encoding="utf-8"), page.url, script=True).jobs
    titles = {j.title for j in jobs}
    expected = {j["title"] for j in page.truth["jobs"] if not j.get("open_application")}
    assert expected <= titles
    assert titles - expected <= {j["title"] for j in page.truth["jobs"] if j.get("open_application")}


def test_hostile_scripts_end_without_jobs():
    unterminated = "var a={" + "b:{c:[{d:" * 2000
    many = "x=" + "={title:'Engineer'," * 50_000
    nested = "var s=" + "[" * 5000 + "]" * 5000
    for script in (unterminated, many, nested, "\x00\ufffd{" * 1000):
        assert find_jobs(script, PAGE, script=True).jobs == []
        assert find_jobs(f"<html><body><script>{script}</script></body></html>", PAGE).jobs == []
