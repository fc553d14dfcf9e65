"""Domain guesses and careers links in nav/footer, in many languages."""
from __future__ import annotations

import pytest

from jobos.discovery.guess import country_tld, domain_guesses, find_careers_links, path_has_careers_word


def test_country_tlds():
    assert country_tld("DE") == "de"
    assert country_tld("GB") == "co.uk"
    assert country_tld("FR") == "fr"
    assert country_tld(None) is None


def test_domain_guesses_country_first():
    urls = domain_guesses("Acme GmbH", "DE")
    assert urls[:2] == ["https://www.acme.de/", "https://www.acme.com/"]
    assert "https://careers.acme.de/" in urls and "https://jobs.acme.de/" in urls
    assert domain_guesses("Acme Ltd", "GB")[0] == "https://www.acme.co.uk/"
    assert "https://www.acme-robotics.com/" in domain_guesses("Acme Robotics Inc.", None)


@pytest.mark.parametrize(
    "text, href",
    [
        ("Careers", "/careers"), ("Jobs", "/about/jobs"), ("Karriere", "/karriere/"),
        ("Stellenangebote", "/unternehmen/stellen"), ("Werken bij", "/werken-bij"),
        ("Vacatures", "/vacatures"), ("Recrutement", "/recrutement"), ("Carrières", "/carrieres"),
        ("Nous rejoindre", "/nous-rejoindre"), ("Empleo", "/empleo"),
        ("Trabaja con nosotros", "/trabaja-con-nosotros"), ("Lavora con noi", "/lavora-con-noi"),
        ("Carreiras", "/carreiras"), ("Ledige stillinger", "/ledige-stillinger"), ("Jobb", "/jobb"),
        ("Lediga jobb", "/lediga-jobb"), ("Karriär", "/karriar"), ("Job hos os", "/job-hos-os"),
    ],
)
def test_careers_link_by_text_in_every_language(text, href):
    html = f"""<html><body><nav><a href="/produkt">Produkt</a><a href="/om">Om</a></nav>
    <main><p>Text</p></main><footer><a href="{href}">{text}</a><a href="/privacy">Privacy</a></footer>
    </body></html>"""
    links = find_careers_links(html, "https://www.acme.example/")
    assert links and links[0].url == "https://www.acme.example" + href
    assert "footer" in links[0].reason


def test_nav_word_beats_a_sentence_in_the_body():
    html = """<html><body><main><a href="/blog/jobs-report-2026">Our jobs report</a></main>
    <header><nav><a href="/karriere">Karriere</a></nav></header></body></html>"""
    links = find_careers_links(html, "https://www.acme.de/")
    assert links[0].url == "https://www.acme.de/karriere"
    assert links[0].score > links[-1].score


def test_no_careers_link():
    html = "<html><body><nav><a href='/produkte'>Produkte</a></nav><a href='mailto:x@y'>Mail</a></body></html>"
    assert find_careers_links(html, "https://www.acme.de/") == []


def test_path_words():
    assert path_has_careers_word("https://www.acme.de/de/karriere/")
    assert path_has_careers_word("https://careers.acme.com/")
    assert not path_has_careers_word("https://www.acme.de/produkte/")
