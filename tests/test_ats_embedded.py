"""Boards embedded in or linked from pages: real saved pages and hand-made company pages."""
from __future__ import annotations

import pytest

from jobos.ats.embedded import detect_html, linked_domains, registrable_domain
from tests.corpus import corpus_dir


def _page(kind: str, name: str) -> str:
    return (corpus_dir() / kind / name).read_text(encoding="utf-8", errors="replace")


def test_greenhouse_hosted_job_page_names_its_board():
    html = _page("ats_html", "vyas88__JobAgent-Multi-Agent-Job-Application-Automation-__greenhouse_jobboards_remotecom_7774935003.html")
    boards = detect_html(html, "https://job-boards.greenhouse.io/remotecom/jobs/7774935003")
    assert [b.key for b in boards] == ["greenhouse:remotecom"]  # CDN assets are not boards


def test_ashby_board_index_names_its_board():
    html = _page("ats_html", "penquinspecz__SignalCraft__ashby_openai_board_index.html")
    boards = detect_html(html, "https://jobs.ashbyhq.com/openai")
    assert boards and boards[0].key == "ashby:openai"
    assert all(b.ats == "ashby" for b in boards)


def test_ashby_job_pages_name_their_board():
    folder = corpus_dir() / "jsonld_html"
    pages = sorted(folder.glob("penquinspecz__SignalCraft__ashby_openai_*.html"))
    assert len(pages) >= 5
    for path in pages:
        boards = detect_html(path.read_text(encoding="utf-8", errors="replace"), "https://example.org/")
        assert "ashby:openai" in [b.key for b in boards], path.name


def test_workday_rendered_list_names_its_site():
    html = _page("ats_html", "adfrisealach__workday-scraper__autodesk_page.html")
    boards = detect_html(html, "https://autodesk.wd1.myworkdayjobs.com/en-US/Ext")
    assert [b.ats for b in boards][:1] == ["workday"]
    assert "autodesk" in boards[0].token and "Ext" in boards[0].token


def test_real_pages_without_a_board_give_none():
    # a real German company page linking only a workable *mail* address, and a Recruitee page on
    # a custom domain whose only recruitee.com host is an analytics service
    html = _page("other", "saint-net__open-jobs-searcher__careers_3ss_careers.html")
    assert [b for b in detect_html(html, "https://www.3ss.tv/careers") if b.ats == "workable"] == []
    html = _page("jsonld_html", "matthew-holman__career_unplugged__recruitee_job_detail.html")
    assert detect_html(html, "https://careers.hostaway.com/o/account-executive-100-remote-uk") == []


COMPANY_PAGE = """<!doctype html><html lang="de"><head><title>Karriere bei Acme</title>
<link rel="canonical" href="https://www.acme.de/karriere">
<script>window.config = {"jobs":"https:\\/\\/acme-gmbh.jobs.personio.de\\/xml"};</script>
</head><body>
<nav><a href="https://jobs.lever.co/acme-archive">Alte Stellen</a></nav>
<h1>Offene Stellen</h1>
<div id="grnhse_app"></div>
<script src="https://boards.greenhouse.io/embed/job_board/js?for=acme"></script>
<iframe src="https://jobs.ashbyhq.com/acme-labs/embed?version=2" title="Jobs"></iframe>
<div data-widget-url="https://acme.recruitee.com/api/offers/"></div>
<p>Auch bei <a href="https://jobs.lever.co/acme-archive/123">Lever</a> und
<a href="https://boards.greenhouse.io/acme/jobs/4012345">diesem Job</a>.</p>
<a href="mailto:jobs@acme.de">Mail</a> <a href="javascript:void(0)">x</a>
</body></html>"""


def test_company_page_with_several_embeds_orders_by_strength_and_dedups():
    boards = detect_html(COMPANY_PAGE, "https://www.acme.de/karriere")
    keys = [b.key for b in boards]
    assert keys == [
        "greenhouse:acme",        # script embed (and a job link, deduplicated)
        "ashby:acme-labs",        # iframe
        "recruitee:acme",         # data-* attribute
        "lever:acme-archive",     # plain links
        "personio:acme-gmbh",     # a JSON string in an inline script (escaped slashes)
    ]


@pytest.mark.parametrize("snippet,key", [
    ('<script src="//boards.greenhouse.io/embed/job_board/js?for=northwind"></script>', "greenhouse:northwind"),
    ('<iframe src="https://boards.greenhouse.io/embed/job_board?for=northwind&b=https%3A%2F%2Fnw.com"></iframe>',
     "greenhouse:northwind"),
    ('<script src="https://jobs.ashbyhq.com/northwind/embed"></script><div id="ashby_embed"></div>', "ashby:northwind"),
    ('<script>window.leverJobsOptions = {accountName: "northwind", includeCss: true};</script>'
     '<script src="https://andreasmb.github.io/lever-jobs-embed/index.js"></script>', "lever:northwind"),
    ('<iframe src="https://northwind.jobs.personio.de/?language=de"></iframe>', "personio:northwind"),
    ('<iframe src="https://northwind.recruitee.com/"></iframe>', "recruitee:northwind"),
    # generic for the other ATS modules: whatever their detect() accepts is found
    ('<iframe src="https://careers.smartrecruiters.com/Northwind"></iframe>', "smartrecruiters:Northwind"),
    ('<a href="https://apply.workable.com/northwind/">Jobs</a>', "workable:northwind"),
    ('<div id="BambooHR" data-domain="northwind.bamboohr.com"></div>'
     '<script src="https://northwind.bamboohr.com/js/embed.js" type="text/javascript"></script>', "bamboohr:northwind"),
    ('<a href="https://northwind.teamtailor.com/jobs">Jobs</a>', "teamtailor:northwind"),
    ('<a href="https://northwind.wd3.myworkdayjobs.com/en-US/External">Jobs</a>', "workday:northwind/wd3/External"),
])
def test_widget_forms(snippet, key):
    html = f"<html><body><h1>Careers</h1>{snippet}</body></html>"
    boards = detect_html(html, "https://www.northwind.example/careers")
    assert key in [b.key for b in boards]


def test_relative_links_resolve_against_the_page_and_garbage_is_harmless():
    html = '<a href="/northwind/jobs/12">Job</a><a href="http://[::1">bad</a><a href="https://jobs.lever.co/">bare</a>'
    assert [b.key for b in detect_html(html, "https://boards.greenhouse.io/other")] == ["greenhouse:northwind"]
    assert detect_html("", "https://x.example/") == []
    assert detect_html("<<<>>>\x00", "https://x.example/") == []


def test_domains():
    assert registrable_domain("https://careers.acme.co.uk/jobs") == "acme.co.uk"
    assert registrable_domain("acme.com") == "acme.com"
    assert registrable_domain("localhost") is None
    assert linked_domains('<a href="https://www.acme.com/a">a</a> see https:\\/\\/blog.acme.io\\/x') == {
        "acme.com", "acme.io"}
