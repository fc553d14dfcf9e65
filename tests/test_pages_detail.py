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


# --- a place without a label near the title ------------------------------------------------------
def _posting(header: str, body: str = "", title: str = "Backend Engineer") -> str:
    return (f"<html><head><title>{title} | Acme</title></head><body><nav><a href='/'>Home</a> "
            f"<a href='/offices/paris'>Paris</a></nav><main><div class='hero'><h1>{title}</h1>{header}</div>"
            f"<h2>Your tasks</h2><p>{'We build things with care and patience. ' * 8}</p>{body}</main></body></html>")


def test_unlabelled_place_under_the_title():
    html = _posting("<div><p>Lisboa, Portugal</p><p>Tempo inteiro · Presencial</p></div>")
    item = parse_detail(html, "https://www.acme.pt/vagas/backend", CTX)
    assert item["location"] == "Lisboa, Portugal"
    assert item["provenance"]["location"]["quote"] == "Lisboa, Portugal"


def test_unlabelled_place_in_a_header_line_and_before_the_title():
    html = _posting("<p>Engineering · Berlin · Full time</p>")
    assert parse_detail(html, "https://acme.com/jobs/1", CTX)["location"] == "Berlin"
    before = ("<html><body><main><div><span>Hamburg, Germany</span><h1>Lagerist (m/w/d)</h1></div>"
              f"<p>{'Wir suchen dich. ' * 20}</p></main></body></html>")
    assert parse_detail(before, "https://acme.com/jobs/2", CTX)["location"] == "Hamburg, Germany"


def test_words_that_are_also_small_towns_are_not_places():
    # "Sales" is a town in Brazil, "Mobile" a city in Alabama: as a lone word near the title of
    # a page of no known country they are a department and a team, not places.
    html = _posting("<p>Sales</p><p>Mobile</p><p>Full time</p>")
    assert "location" not in parse_detail(html, "https://acme.com/jobs/3", CTX)


def test_lone_town_counts_in_the_company_country():
    html = _posting("<p>Aveiro</p>")
    # Aveiro (Portugal) is not large: only a Portuguese company's page (country or .pt) names it.
    assert parse_detail(html, "https://www.acme.pt/vagas/1", CTX)["location"] == "Aveiro"
    assert "location" not in parse_detail(html, "https://acme.com/jobs/4", CTX)
    pt = BoardContext(company="Acme", country="PT", crawl_time=CTX.crawl_time)
    assert parse_detail(html, "https://acme.com/jobs/4", pt)["location"] == "Aveiro"


def test_a_labelled_place_wins_over_a_nearby_one():
    html = _posting("<p>Paris, France</p><p>Location: Lyon</p>")
    assert parse_detail(html, "https://acme.com/jobs/5", CTX)["location"] == "Lyon"


def test_place_in_the_navigation_or_far_in_the_text_is_not_read():
    # The nav names Paris; the description names Madrid in a long paragraph.
    html = _posting("", body=f"<p>{'Our team works from Madrid, Spain and travels a lot. ' * 5}</p>"
                             "<p>Madrid, Spain</p>")
    assert "location" not in parse_detail(html, "https://acme.com/jobs/6", CTX)


# --- apply_url -------------------------------------------------------------------------------------
def test_apply_link_in_many_languages():
    cases = [
        ("<a href='/jobs/1/apply'>Apply now</a>", "https://acme.com/jobs/1/apply"),
        ("<a class='btn' href='https://acme.bewerberportal.de/x?id=7'>Jetzt bewerben</a>",
         "https://acme.bewerberportal.de/x?id=7"),
        ("<a href='../postuler/12'><span>Postuler</span></a>", "https://acme.com/postuler/12"),
        ("<a href='/sollicitatie?v=9'>Solliciteer direct</a>", "https://acme.com/sollicitatie?v=9"),
        ("<a href='form.html'>Candidatar-me</a>", "https://acme.com/jobs/form.html"),
        ("<a href='/c/9'>Invia candidatura</a>", "https://acme.com/c/9"),
        ("<a href='/ansok/9'>Ansök nu</a>", "https://acme.com/ansok/9"),
        ("<a href='https://jobs.lever.co/acme/0a1b/apply'>Start</a>", "https://jobs.lever.co/acme/0a1b/apply"),
        ("<a href='/x/9' aria-label='Apply for this job'><svg></svg></a>", "https://acme.com/x/9"),
    ]
    for link, expected in cases:
        item = parse_detail(_posting("", body=link), "https://acme.com/jobs/1", CTX)
        assert item.get("apply_url") == expected, link


def test_no_apply_url_from_mail_anchors_nav_or_open_applications():
    for link in ("<a href='mailto:jobs@acme.com'>Apply by email</a>",
                 "<a href='#apply-form'>Apply</a>",
                 "<a href='https://acme.com/jobs/1#form'>Apply</a>",
                 "<a href='javascript:apply()'>Apply</a>",
                 "<a href='/initiativ'>Initiativbewerbung: jetzt bewerben</a>",
                 "<a href='/how'>How to apply</a>",
                 "<a href='/search'>Søk</a>",
                 "<a href='/team'>Our team</a>"):
        item = parse_detail(_posting("", body=link), "https://acme.com/jobs/1", CTX)
        assert "apply_url" not in item, link
    in_nav = _posting("").replace("<nav>", "<nav><a href='/apply'>Apply</a>")
    assert "apply_url" not in parse_detail(in_nav, "https://acme.com/jobs/1", CTX)


def test_apply_button_beats_an_earlier_plain_apply_path():
    body = "<a href='/help/application'>Help</a><a href='/jobs/1/apply'>Apply now</a>"
    item = parse_detail(_posting("", body=body), "https://acme.com/jobs/1", CTX)
    assert item["apply_url"] == "https://acme.com/jobs/1/apply"


# --- a posting whose title sits in the page's header band; Catalan and Romance gender inflection --

_CATALAN = """<html><head><title>{title}</title></head><body class="job-page">
<header class="page-header"><div class="header-title-wrapper"><h1 class="header-title">{h1}</h1></div>
<nav><a href="/ca">Inici</a> <a href="/ca/ofertes">Ofertes de feina</a></nav></header>
<main><section><p>Ubicació: Girona (Espanya)</p><p>Jornada completa</p>
<h2>Descripció de l'oferta</h2><p>Empresa d'alimentació cerca un/a cuiner/a per al seu restaurant.</p>
<h2>Requisits</h2><ul><li>Experiència mínima de dos anys</li></ul></section></main>
<footer><a href="/ca/avis-legal">Avís legal</a></footer></body></html>"""


def test_a_title_in_the_header_band_repeated_by_the_page_title_is_the_posting():
    from jobos.pages.detail import is_posting

    title = "4411 - Cuiner/a de cuina freda"
    html = _CATALAN.format(title=title, h1=title)
    url = "https://treball.example.cat/ca/oferta/4411"
    assert is_posting(html, url, "Restaurants Sol")
    item = parse_detail(html, url, CTX)
    assert item["title"] == title


def test_a_header_h1_the_page_title_does_not_repeat_stays_chrome():
    from jobos.pages.detail import is_posting

    html = _CATALAN.format(title="Cuiner/a de cuina freda | Borsa de treball", h1="Borsa de treball")
    item = parse_detail(html, "https://treball.example.cat/ca/oferta/4411", CTX)
    assert item["title"] == "Cuiner/a de cuina freda"
    assert is_posting(html, "https://treball.example.cat/ca/oferta/4411", "Restaurants Sol")


def test_romance_gender_inflection_marks_a_role():
    from jobos.pages.listing import _GENDER

    for title in ("Camarero/a de sala", "Tècnic/a de so", "Administratiu/iva de recepció", "Infermer/era",
                  "Vendedor(a) externo", "Jefe/a de obra"):
        assert _GENDER.search(title), title
    for text in ("n/a", "and/or", "km/a", "https://www.example.com/careers/a", "Ventas/a/b"):
        assert not _GENDER.search(text), text
