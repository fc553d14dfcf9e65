"""Browser decisions: which pages need JavaScript, and the request that renders them."""
from __future__ import annotations

import pytest
from scrapy import Request
from scrapy.http import HtmlResponse, TextResponse
from scrapy.settings import Settings

from jobos import render
from tests.corpus import corpus_files


def _html(body: str, url: str = "https://www.acme.de/karriere/") -> HtmlResponse:
    return HtmlResponse(url, body=body.encode("utf-8"), encoding="utf-8",
                        headers={"Content-Type": "text/html; charset=utf-8"})


@pytest.mark.parametrize("body, reason", [
    ("", "empty_body"),
    ("   \n ", "empty_body"),
    ('<html><body><div id="root"></div><script src="/main.js"></script></body></html>', "app_shell"),
    ('<html><body><app-root></app-root><script src="/runtime.js"></script></body></html>', "app_shell"),
    ('<html><body><div id="__next"></div><script id="__NEXT_DATA__" type="application/json">{}</script>'
     '<script src="/_next/app.js"></script></body></html>', "app_shell"),
    ('<html><body><noscript>Bitte aktivieren Sie JavaScript, um die Stellen zu sehen.</noscript>'
     '<div class="x">Karriere</div></body></html>', "noscript_notice"),
    ('<html><body><noscript>You need to enable JavaScript to run this app.</noscript>'
     '<main>Loading…</main><script src="/a.js"></script></body></html>', "noscript_notice"),
])
def test_pages_that_need_the_browser(body, reason):
    assert render.needs_browser(_html(body)) == reason


def test_pages_that_do_not():
    listing = "<html><body><h1>Offene Stellen</h1>" + "".join(
        f'<li><a href="/jobs/{i}">Entwickler (m/w/d) {i}</a> in Berlin, Vollzeit, ab sofort</li>' for i in range(8)
    ) + '<noscript><img src="/pixel.gif"></noscript><script src="/analytics.js"></script></body></html>'
    assert render.needs_browser(_html(listing)) is None
    json_body = TextResponse("https://api.acme.de/jobs", body=b'{"jobs": []}',
                             headers={"Content-Type": "application/json"})
    assert render.needs_browser(json_body) is None


def test_corpus_pages():
    """Server-rendered real career pages need no browser; the Ashby closed-posting shell does."""
    files = {p.name: p for p in corpus_files("other", ".html") + corpus_files("ats_html", ".html")}
    for name in ("saint-net__open-jobs-searcher__careers_ui_city_jobs.html",
                 "saint-net__open-jobs-searcher__careers_711media_jobs.html",
                 "saint-net__open-jobs-searcher__careers_8com_jobs.html"):
        assert render.needs_browser(_html(files[name].read_text(encoding="utf-8"))) is None, name
    shell = files["penquinspecz__SignalCraft__ashby_openai_shell_5be2fe7d.html"].read_text(encoding="utf-8")
    assert render.needs_browser(_html(shell)) is not None


def test_browser_request_carries_context_and_page_methods():
    settings = Settings({"JOBOS_BROWSER_CONTEXT": {"ignore_https_errors": True}})
    original = Request("https://www.acme.de/karriere/", meta={"jobos_tier": "page"})
    req = render.browser_request(original, settings, "load_more", load_more="button.load-more")
    assert req.meta["playwright"] is True
    assert req.meta["playwright_context"] == render.CONTEXT_NAME
    assert req.meta["playwright_context_kwargs"] == {"ignore_https_errors": True}
    assert req.meta["jobos_tier"] == "page" and req.meta["jobos_rendered"] == "load_more"
    methods = req.meta["playwright_page_methods"]
    assert methods[-1].method is render.click_until_gone and methods[-1].args == ("button.load-more",)
    assert req.dont_filter  # the same URL again, this time through the browser
    scroll = render.browser_request(original, settings, "infinite_scroll", infinite_scroll=True)
    assert scroll.meta["playwright_page_methods"][-1].method is render.scroll_to_end
    assert "playwright" not in original.meta


class _PwRequest:
    def __init__(self, url, resource_type="xhr"):
        self.url, self.resource_type = url, resource_type


def test_abort_request_blocks_private_targets_and_heavy_resources():
    assert render.abort_request(_PwRequest("http://169.254.169.254/latest/meta-data/"))
    assert render.abort_request(_PwRequest("http://127.0.0.1:6800/"))
    assert render.abort_request(_PwRequest("https://www.acme.de/logo.png", "image"))
    assert not render.abort_request(_PwRequest("https://www.acme.de/api/jobs"))
    assert not render.abort_request(_PwRequest("data:text/plain,hi", "document"))
