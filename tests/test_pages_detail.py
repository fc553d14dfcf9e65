"""Detail pages without structured data -> method 'html' records."""
from __future__ import annotations

from datetime import datetime, timezone

from jobos.ats.base import BoardContext
from jobos.pages.detail import parse_detail
from tests.corpus import corpus_dir

CTX = BoardContext(company="Acme", crawl_time=datetime(2024, 1, 1, tzinfo=timezone.utc))


def test_labelled_fields_and_main_content():
    html = """<html><head><meta property="og:title" content="OG title"></head><body>
      <header><nav><a href="/">Home</a></nav></header>
      <div class="cookie-banner">Wir nutzen Cookies</div>
      <main><h1>Lagerist (m/w/d)</h1>
        <dl><dt>Standort:</dt><dd>Bremen</dd><dt>Anstellungsart:</dt><dd>Teilzeit</dd></dl>
        <h2>Deine Aufgaben</h2><ul><li>Kommissionieren</li><li>Verladen</li></ul>
        <p>Wir bieten ein faires Gehalt und ein gutes Team in Bremen. """ + "Mehr Text. " * 20 + """</p>
      </main><footer>Impressum</footer></body></html>"""
    item = parse_detail(html, "https://karriere.acme.de/stellen/lagerist#top", CTX)
    assert item["title"] == "Lagerist (m/w/d)"
    assert item["location"] == "Bremen"
    assert item["employment_type"] == "Teilzeit"
    assert item["method"] == "html" and item["source"] == "website"
    assert item["url"] == "https://karriere.acme.de/stellen/lagerist"
    assert item["board"] == "website:acme.de"
    assert "Cookies" not in item["description_html"] and "Impressum" not in item["description_html"]
    assert "- Kommissionieren" in item["page_markdown"] and "## Deine Aufgaben" in item["page_markdown"]


def test_inline_label_and_og_title_fallback():
    html = "<html><head><meta property='og:title' content='Commercial terrain (H/F)'></head><body>" \
           "<article><p>Lieu : Nantes</p><p>" + "Description. " * 30 + "</p></article></body></html>"
    item = parse_detail(html, "https://www.acme.fr/offres/12", CTX)
    assert item["title"] == "Commercial terrain (H/F)"
    assert item["location"] == "Nantes"


def test_no_title_no_record():
    assert parse_detail("<html><body><p>nothing</p></body></html>", "https://a.de/x", CTX) is None


def test_corpus_detail_page():
    path = corpus_dir() / "other" / "ever-jobs__ever-jobs__careers_solideon_solideon-applications-engineer.html"
    item = parse_detail(path.read_text(encoding="utf-8"), "https://solideon.com/careers/applications-engineer", CTX)
    assert item is not None
    assert "Applications Engineer" in item["title"]
    assert len(item["page_markdown"]) > 300
    assert "<script" not in item["description_html"]
