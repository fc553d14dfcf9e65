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


# --- app data in element attributes (Inertia data-page, React on Rails props, Vue props) ---------

def _attr(value) -> str:
    """Return a value as an HTML attribute's text, quoted as a server-side renderer writes it."""
    import html as html_lib

    return html_lib.escape(value if isinstance(value, str) else json.dumps(value), quote=True)


def test_inertia_data_page_with_relative_job_urls():
    page = {"component": "Careers/Index", "url": "/careers", "version": "abc", "props": {
        "auth": {"user": None}, "company": {"id": 1, "name": "Acme Robotics", "slug": "acme"},
        "openings": [
            {"id": 31, "title": "Embedded Software Engineer", "url": "/careers/31-embedded-software-engineer",
             "location": "Austin, TX"},
            {"id": 32, "title": "Founding Account Executive", "url": "/careers/32-founding-account-executive",
             "location": "Remote"},
            {"id": 33, "title": "Assembly Technician", "url": "/careers/33-assembly-technician", "location": "Austin, TX"},
        ]}}
    html = f'<!doctype html><html><body><div id="app" data-page="{_attr(page)}"></div></body></html>'
    result = find_jobs(html, PAGE)
    assert result.why == "attribute_data"
    assert [(j.title, j.url, j.location, j.inline) for j in result.jobs] == [
        ("Embedded Software Engineer", "https://www.acme-robotics.com/careers/31-embedded-software-engineer",
         "Austin, TX", False),
        ("Founding Account Executive", "https://www.acme-robotics.com/careers/32-founding-account-executive",
         "Remote", False),
        ("Assembly Technician", "https://www.acme-robotics.com/careers/33-assembly-technician", "Austin, TX", False),
    ]


def test_react_props_with_slugs_use_the_sites_job_links():
    props = {"jobs": [{"jobTitle": "Werkstudent Vertrieb (m/w/d)", "slug": "werkstudent-vertrieb"},
                      {"jobTitle": "Projektleiter Elektrotechnik (m/w/d)", "slug": "projektleiter-elektrotechnik"}],
             "menu": [{"name": "Über uns", "slug": "ueber-uns"}]}
    html = ('<html><body><nav><a href="/karriere/initiativbewerbung">Initiativbewerbung</a></nav>'
            f'<div data-react-class="JobBoard" data-react-props="{_attr(props)}"></div></body></html>')
    jobs = find_jobs(html, "https://www.acme.de/karriere").jobs
    assert [(j.title, j.url) for j in jobs] == [
        ("Werkstudent Vertrieb (m/w/d)", "https://www.acme.de/karriere/werkstudent-vertrieb"),
        ("Projektleiter Elektrotechnik (m/w/d)", "https://www.acme.de/karriere/projektleiter-elektrotechnik"),
    ]


def test_vue_bound_prop_is_read_as_a_js_literal():
    literal = "[{titre: 'Technicien de maintenance (H/F)', href: '/offres/technicien'}, " \
              "{titre: 'Responsable logistique (H/F)', href: '/offres/responsable-logistique'}]"
    html = f'<html><body><offres-liste :offres="{_attr(literal)}"></offres-liste></body></html>'
    jobs = find_jobs(html, "https://www.acme.fr/carrieres").jobs
    assert [(j.title, j.url) for j in jobs] == [
        ("Technicien de maintenance (H/F)", "https://www.acme.fr/offres/technicien"),
        ("Responsable logistique (H/F)", "https://www.acme.fr/offres/responsable-logistique"),
    ]


def test_script_data_and_attribute_data_the_bigger_set_wins():
    attr = {"jobs": [{"title": "Data Engineer", "url": "/jobs/1"}, {"title": "Sales Manager", "url": "/jobs/2"}]}
    script = "<script>var featured = [{title: 'Data Engineer', url: '/jobs/1'}];</script>"
    html = f'<html><body><div data-props="{_attr(attr)}"></div>{script}</body></html>'
    result = find_jobs(html, PAGE)
    assert [j.url for j in result.jobs] == ["https://www.acme-robotics.com/jobs/1",
                                            "https://www.acme-robotics.com/jobs/2"]
    assert result.why == "attribute_data"


def test_attributes_that_are_not_app_data_are_not_read():
    jobs = [{"title": "Data Engineer", "url": "/jobs/1"}, {"title": "Sales Manager", "url": "/jobs/2"}]
    for attribute in ("title", "alt", "content", "onclick", "x-data-page"):
        html = f'<html><body><div {attribute}="{_attr(jobs)}"></div></body></html>'
        assert find_jobs(html, PAGE).jobs == [], attribute
    products = [{"name": "Widget", "id": 1}, {"name": "Gadget", "id": 2}]
    assert find_jobs(f'<div data-page="{_attr({"props": {"products": products}})}"></div>', PAGE).jobs == []


def test_hostile_attributes_end_without_jobs_and_within_the_caps(monkeypatch):
    from jobos.pages import scriptdata

    nested = "[" * 100_000 + "]" * 100_000
    broken = "{props: {jobs: [{title: 'Engineer', url: '/jobs/1'" * 5_000
    for value in (nested, broken, "{" * 50_000, "[\x00\ufffd" * 1000):
        html = f'<html><body><div data-page="{_attr(value)}"></div><i :x="{_attr(value)}"></i></body></html>'
        assert find_jobs(html, PAGE).jobs == []
    # Many attributes: only the MAX_ATTRIBUTES biggest are parsed, wherever they stand.
    monkeypatch.setattr(scriptdata, "MAX_ATTRIBUTES", 5)
    jobs = [{"title": "Data Engineer", "url": "/jobs/1"}, {"title": "Sales Manager", "url": "/jobs/2"}]
    late = f'<div data-props="{_attr({"jobs": jobs})}"></div>'
    small = "".join(f'<i data-settings="{_attr({"n": i, "on": True})}"></i>' for i in range(50))
    assert len(find_jobs(f"<html><body>{small}{late}</body></html>", PAGE).jobs) == 2
    big = "".join(f'<i data-x="{_attr({"n": list(range(100))})}"></i>' for _ in range(5))
    assert find_jobs(f"<html><body>{late}{big}</body></html>", PAGE).jobs == []
    # An attribute bigger than the size cap is not parsed at all.
    monkeypatch.setattr(scriptdata, "MAX_SCRIPT_CHARS", 100)
    assert find_jobs(f"<html><body>{late}</body></html>", PAGE).jobs == []


def test_deeply_nested_script_json_is_not_a_crash():
    nested = "[" * 100_000 + "]" * 100_000
    assert find_jobs(nested, PAGE, script=True).jobs == []
    assert find_jobs(f'<html><body><script type="application/json">{nested}</script></body></html>', PAGE).jobs == []


def test_corpus_inertia_jobs_page_exact_set():
    from bench.corpus_pages import load_pages

    corpus_dir()
    pages = [p for p in load_pages() if p.kind == "ats_listing"
             and "data-page=" in p.path.read_text(encoding="utf-8", errors="replace")]
    assert pages, "the corpus holds an Inertia jobs page (data-page attribute)"
    for page in pages:
        jobs = find_jobs(page.path.read_text(encoding="utf-8"), page.url).jobs
        assert {(j.title, j.url) for j in jobs} == {(j["title"], j["url"]) for j in page.truth["jobs"]}


def test_the_pages_own_postings_beat_a_bigger_set_of_related_jobs():
    # An app's page data holds the company's postings and, beside them, other companies' jobs
    # ("related jobs"), here the bigger array: the postings beneath the page's own path win.
    own = [{"id": 1, "title": "Firmware Engineer", "url": "/companies/acme/jobs/1-firmware-engineer"},
           {"id": 2, "title": "Operations Manager", "url": "/companies/acme/jobs/2-operations-manager"}]
    related = [{"id": 10 + i, "title": f"{role} Engineer", "url": f"/companies/other-{i}/jobs/{i}-engineer"}
               for i, role in enumerate(("Backend", "Frontend", "Data", "Platform"))]
    page = {"component": "ShowJobsPage", "props": {"jobPostings": own, "relatedJobs": related}}
    url = "https://www.example-startups.test/companies/acme/jobs"
    jobs = find_jobs(f'<html><body><div data-page="{_attr(page)}"></div></body></html>', url).jobs
    assert [j.url for j in jobs] == ["https://www.example-startups.test/companies/acme/jobs/1-firmware-engineer",
                                     "https://www.example-startups.test/companies/acme/jobs/2-operations-manager"]
    # Where no set lives beneath the page, the bigger set wins as before.
    jobs = find_jobs(f'<html><body><div data-page="{_attr(page)}"></div></body></html>',
                     "https://www.example-startups.test/jobs").jobs
    assert len(jobs) == 4
