"""DuckDuckGo HTML endpoint: real result pages parsed, ads skipped, CAPTCHA and 202 recognised."""
from __future__ import annotations

import re
import sys
from pathlib import Path
from urllib.parse import unquote

import pytest

from jobos.discovery import search
from tests.corpus import corpus_files

sys.path.insert(0, str(Path(__file__).resolve().parent / "web" / "handlers"))
import ddg  # noqa: E402  the stand-in's own page template


def _pages():
    return corpus_files("ddg_html")


def test_every_real_page_parses():
    pages = _pages()
    assert len(pages) >= 5
    for path in pages:
        text = path.read_text(encoding="utf-8", errors="replace")
        block = search.blocked(200, text)
        results = search.parse_results(text)
        if "captcha" in path.name:
            assert block is not None and block.reason == "captcha"
            assert results == []
            continue
        assert block is None, path.name
        organic = len(re.findall(r'class="result__a"', text)) - search.ad_count(text)
        assert len(results) == organic >= 10, path.name
        for result in results:
            assert result.url.startswith(("http://", "https://")), result.url
            assert "duckduckgo.com" not in result.url
            assert "uddg=" not in result.url
            assert result.title


def test_redirect_links_are_decoded():
    for path in _pages():
        text = path.read_text(encoding="utf-8", errors="replace")
        hrefs = re.findall(r'class="result__a" href="//duckduckgo.com/l/\?uddg=([^&"]+)', text)
        targets = {unquote(h) for h in hrefs if "y.js" not in unquote(h)}
        urls = {r.url for r in search.parse_results(text)}
        assert targets <= urls, path.name


def test_ads_are_skipped_on_the_real_ad_page():
    [path] = [p for p in _pages() if "with_ad" in p.name]
    text = path.read_text(encoding="utf-8")
    assert search.ad_count(text) >= 1
    assert all("y.js" not in r.url and "bing.com" not in r.url for r in search.parse_results(text))


def test_decode_link():
    assert search.decode_link("//duckduckgo.com/l/?uddg=https%3A%2F%2Facme.de%2Fkarriere&rut=x") == "https://acme.de/karriere"
    assert search.decode_link("//duckduckgo.com/l/?uddg=https%3A%2F%2Fduckduckgo.com%2Fy.js%3Fad%3D1") is None
    assert search.decode_link("https://acme.com/") == "https://acme.com/"
    assert search.decode_link("javascript:alert(1)") is None


@pytest.mark.parametrize("status", [202, 429, 403])
def test_block_statuses(status):
    assert search.blocked(status, "") == search.SearchBlocked(f"http {status}")


def test_standin_pages_parse_like_real_ones():
    page = ddg.results_page("tulpen software b.v.", ddg.TULPEN)
    results = search.parse_results(page)
    assert [r.url for r in results] == [u for u, _, _ in ddg.TULPEN if u != "AD"]
    assert search.ad_count(page) == 1
    assert search.blocked(200, ddg.captcha_page("x")).reason == "captcha"


def test_region_and_queries():
    assert search.region("DE") == "de-de"
    assert search.region("GB") == "uk-en"
    assert search.region("US") == "us-en"
    assert search.region("FR") == "fr-fr"
    assert search.region(None) == "wt-wt"
    assert search.queries("Acme GmbH", "DE") == ["Acme GmbH karriere", "Acme GmbH"]
    assert search.form_data("Acme", "NL") == {"q": "Acme", "kl": "nl-nl", "b": ""}
