"""Further listing pages: rel=next, numbered links and next-words in many languages; fragments."""
from __future__ import annotations

import pytest

from jobos.pages.listing import html_fragment, pagination, parse_listing

import lxml.html

PAGE = "https://www.acme.example/jobs"


def _pages(nav: str) -> list[str]:
    return pagination(lxml.html.fromstring(f"<html><body><main>{nav}</main></body></html>"), PAGE)


@pytest.mark.parametrize("word", ["Next", "Weiter", "Nächste Seite", "Suivant", "Page suivante", "Siguiente",
                                  "Página siguiente", "Volgende", "Volgende pagina", "Avanti", "Próxima",
                                  "Próxima página", "Nästa", "Neste", "Næste", "Weiter »", "›"])
def test_next_words(word):
    assert _pages(f'<div class="pages"><a href="/jobs?p=2">{word}</a></div>') == [PAGE + "?p=2"]


def test_rel_next_and_numbered_pages():
    html = ('<link rel="next" href="/jobs/page/2/"><div class="nav-links"><span>1</span>'
            '<a href="/jobs/page/2/">2</a><a href="/jobs/page/3/">3</a><a href="/blog/page/2/">Blog</a></div>')
    assert _pages(html) == [PAGE + "/page/2/", PAGE + "/page/3/"]


def test_words_that_are_not_next_pages():
    assert _pages('<a href="/jobs/weiterbildung">Weiterbildung</a> <a href="/next-steps">Next steps at Acme</a>') == []


def test_html_fragment_and_json_holding_html():
    assert html_fragment('  <div class="card"><a href="/jobs/1">Dev</a></div>').startswith("<div")
    assert html_fragment('{"html": "<li><a href=\\"/jobs/2\\">Koch (m/w/d)</a></li>", "more": false}').startswith("<li>")
    assert html_fragment('{"jobs": [{"title": "Dev", "url": "/jobs/1"}]}') is None
    assert html_fragment("") is None


def test_fragment_cards_are_read_like_a_page():
    fragment = ('<div class="card"><h3>Koch (m/w/d)</h3><a href="/jobs/koch">Mehr erfahren</a></div>'
                '<div class="card"><h3>Servicekraft (m/w/d)</h3><a href="/jobs/service">Mehr erfahren</a></div>')
    listing = parse_listing(fragment, "https://www.acme.example/jobs/more?page=2")
    assert [(j.title, j.url) for j in listing.jobs] == [
        ("Koch (m/w/d)", "https://www.acme.example/jobs/koch"),
        ("Servicekraft (m/w/d)", "https://www.acme.example/jobs/service")]
