"""End to end: the real spider reads stand-in sites written to the shapes of real career pages.

Each site under tests/web/sites/ is our own text in the structure of a real page of the corpus
(named here by its corpus file), and each test asserts the exact job set (titles and URLs) a
crawl of its careers URL exports. The dynamic parts (job pages, fragments, PDFs, feeds, sitemaps,
short-link redirects) are served by tests/web/handlers/real_shapes.py.
"""
from __future__ import annotations

from urllib.parse import urldefrag

import pytest

from jobos import config
from tests.crawl import run_crawl

needs_chromium = pytest.mark.skipif(config.chromium_path() is None, reason="no Chromium installed")


def _crawl(web, company: str, careers_url: str, **kwargs):
    # The LLM listing tier is off here: these are the rules' results (tests/test_llm_listing.py
    # covers the tier).
    settings = {"JOBOS_LLM_LISTING": "0", **kwargs.pop("settings", {})}
    result = run_crawl(web, company=company, careers_url=careers_url, settings=settings, **kwargs)
    assert result.returncode == 0, result.stderr[-3000:]
    return result


def _jobs(result) -> set[tuple[str, str]]:
    """(title, URL without fragment) of every exported job: inline roles may carry an anchor."""
    return {(item["title"], urldefrag(item["url"])[0]) for item in result.items}


def _seen(web) -> list[str]:
    return [r["url"] for r in web.requests_seen()]


# other/saint-net__open-jobs-searcher__careers_3ss_careers.html (Webflow card grid)
def test_webflow_card_grid_sv(web):
    base = "https://www.solvik-data.se"
    result = _crawl(web, "Solvik Data", f"{base}/karriar")
    assert _jobs(result) == {
        ("Backendutvecklare Go", f"{base}/jobb/backendutvecklare-go"),
        ("Produktdesigner", f"{base}/jobb/produktdesigner"),
        ("Testare med automationsfokus", f"{base}/jobb/testare-automation"),
        ("Systemförvaltare", f"{base}/jobb/systemforvaltare"),
    }
    assert not any("glassdoor" in u for u in _seen(web))


# other/saint-net__open-jobs-searcher__careers_711media_jobs.html (job list under a category
# filter), grouped by department headings (h2 department, h3 > a posting)
def test_heading_link_groups_de(web):
    base = "https://www.halbach-messtechnik.de/karriere/stellenangebote"
    result = _crawl(web, "Halbach Messtechnik", f"{base}/")
    assert _jobs(result) == {
        ("Embedded-Softwareentwickler (m/w/d)", f"{base}/embedded-softwareentwickler/"),
        ("Prüfingenieur Kalibrierlabor (m/w/d)", f"{base}/pruefingenieur-kalibrierlabor/"),
        ("Vertriebsingenieur Außendienst Süd (m/w/d)", f"{base}/vertriebsingenieur-aussendienst-sued/"),
        ("Technischer Redakteur (m/w/d)", f"{base}/technischer-redakteur/"),
        ("Ausbildung Elektroniker für Geräte und Systeme (m/w/d)", f"{base}/ausbildung-elektroniker-geraete-systeme/"),
    }
    seen = _seen(web)
    assert not any("/blog/" in u or "initiativbewerbung" in u or "/benefits/" in u for u in seen)


# other/ever-jobs__ever-jobs__careers_velontra_careers.html (WordPress accordions, inline roles)
def test_accordion_inline_roles_fr(web):
    page = "https://www.aerovent-systemes.fr/carrieres/"
    result = _crawl(web, "Aérovent Systèmes", page)
    assert _jobs(result) == {
        ("Ingénieur propulsion électrique (H/F)", page),
        ("Technicien d'essais moteurs (H/F)", page),
        ("Responsable qualité fournisseurs (H/F)", page),
    }
    assert not any("/postuler/" in u for u in _seen(web))  # the shared form is not a posting


# other/ever-jobs__ever-jobs__careers_galadyne_io_careers.html (Next.js; roles in script data),
# here in __NEXT_DATA__ with relative URLs to server-rendered job pages
def test_next_data_script_jobs_nl(web):
    base = "https://www.klaverweg.nl"
    result = _crawl(web, "Klaverweg Zorgtechniek", f"{base}/vacatures")
    assert _jobs(result) == {
        ("Senior Data Engineer", f"{base}/vacatures/senior-data-engineer"),
        ("Servicemonteur zorgbedden", f"{base}/vacatures/servicemonteur-zorgbedden"),
        ("Medewerker klantenservice", f"{base}/vacatures/medewerker-klantenservice"),
        ("Product owner planningssoftware", f"{base}/vacatures/productowner-planning"),
    }
    assert "https://www.klaverweg.nl/privacy" not in _seen(web)


# other/ever-jobs__ever-jobs__careers_galadyne_io_careers.html + ..._careers-chunk.js (Next.js
# app router: cards in HTML with buttons, descriptions only in the client chunk; no job pages)
def test_next_js_chunk_cards_es(web):
    page = "https://www.orbitaria.es/empleo"
    result = _crawl(web, "Orbitaria", page)
    assert _jobs(result) == {
        ("Ingeniera/o de software de vuelo", page),
        ("Técnico/a de integración de satélites", page),
        ("Ingeniero/a de sistemas de potencia", page),
    }


# other/saint-net__open-jobs-searcher__careers_abs_karriere_jobs.html (WordPress/Elementor posts
# grid, first postings in the HTML, the rest loaded later): "load more" answering HTML fragments
def test_html_fragment_load_more_de(web):
    base = "https://karriere.brennwerk-energie.de/jobs"
    result = _crawl(web, "Brennwerk Energie", f"{base}/")
    slugs = {
        "anlagenmechaniker-shk": "Anlagenmechaniker SHK (m/w/d)",
        "projektleiter-waermepumpen": "Projektleiter Wärmepumpen (m/w/d)",
        "kundenberater-energie": "Kundenberater Energie (m/w/d)",
        "elektroniker-energietechnik": "Elektroniker für Energietechnik (m/w/d)",
        "bauleiter-nahwaerme": "Bauleiter Nahwärmenetze (m/w/d)",
        "werkstudent-controlling": "Werkstudent Controlling (m/w/d)",
        "servicetechniker-heizung": "Servicetechniker Heizungsanlagen (m/w/d)",
        "ausbildung-industriekaufmann": "Ausbildung Industriekaufmann/-frau (m/w/d)",
    }
    assert _jobs(result) == {(title, f"{base}/{slug}/") for slug, title in slugs.items()}
    assert result.stats.get("jobos/render/pages", 0) == 0  # fragments are read without a browser
    assert not result.stats.get("jobos/partial")


# avature/rfsimoes__Avature-ATS-Scraper__avature_voutiqueintegrations.html (numbered pages and a
# next link), on a Wix site with an Italian next-word ("Avanti ›")
def test_numbered_pagination_next_word_it(web):
    base = "https://www.vetreria-santoro.it"
    result = _crawl(web, "Vetreria Santoro", f"{base}/lavora-con-noi")
    assert _jobs(result) == {
        ("Operatore forno fusorio", f"{base}/offerte/operatore-forno-fusorio"),
        ("Tecnico manutenzione elettrica", f"{base}/offerte/tecnico-manutenzione-elettrica"),
        ("Addetto/a controllo qualità", f"{base}/offerte/addetta-controllo-qualita"),
        ("Magazziniere carrellista", f"{base}/offerte/magazziniere-carrellista"),
        ("Impiegato/a ufficio acquisti", f"{base}/offerte/impiegato-ufficio-acquisti"),
        ("Progettista CAD vetro artistico", f"{base}/offerte/progettista-cad"),
        ("Stagista marketing digitale", f"{base}/offerte/stagista-marketing"),
    }
    seen = _seen(web)
    assert seen.count(f"{base}/lavora-con-noi/pagina/3") == 1


# other/saint-net__open-jobs-searcher__careers_4pipes_jobs.html (Xara page: flyer images with
# empty alt text linking to PDF job ads)
def test_pdf_postings_de(web):
    files = "https://www.kupferhammer-armaturen.de/index_htm_files"
    result = _crawl(web, "Kupferhammer Armaturen", "https://www.kupferhammer-armaturen.de/jobs.htm")
    assert _jobs(result) == {
        ("Industriemechaniker (m/w/d) für die Armaturenmontage",
         f"{files}/kupferhammer_Stellenausschreibung_Industriemechaniker-Montage_20251103_KH.pdf"),
        ("Kaufmännische Sachbearbeitung Einkauf (m/w/d)",
         f"{files}/kupferhammer_stellenausschreibung_sachbearbeitung-einkauf_v2_20251103_kh.pdf"),
    }
    mech = next(i for i in result.items if i["title"].startswith("Industriemechaniker"))
    assert "Montage und Prüfung von Industriearmaturen" in (mech["description"] or "")
    assert mech["source"] == "website" and mech["method"] in ("html", "llm")
    seen = _seen(web)
    assert not any("Produktkatalog" in u or "Lieferbedingungen" in u for u in seen)


# ats_html-like RSS: successfactors/Manojkaipu__job-poller career-site RSS (one <item> per
# posting) linked from a WordPress careers page beside the blog's own feed
def test_job_feed_only_sv(web):
    base = "https://www.norrsken-logistik.se/lediga-jobb"
    result = _crawl(web, "Norrsken Logistik", f"{base}/")
    assert _jobs(result) == {
        ("Truckförare", f"{base}/truckforare-umea/"),
        ("Transportledare", f"{base}/transportledare-lulea/"),
        ("Lagerchef", f"{base}/lagerchef-sundsvall/"),
    }
    assert result.stats.get("jobos/site/feed_job_links") == 3
    seen = _seen(web)
    assert not any("/2026/" in u for u in seen)  # blog posts of the other feed are not read


# other/saint-net__open-jobs-searcher__careers_talention_jobs.html (empty job-list custom element
# filled by a third-party script); the postings are in the site's sitemaps
def test_sitemap_only_no(web):
    base = "https://www.fjellvind-kraft.no"
    result = _crawl(web, "Fjellvind Kraft", f"{base}/karriere/ledige-stillinger")
    assert _jobs(result) == {
        ("Driftstekniker vindpark", f"{base}/karriere/ledige-stillinger/driftstekniker-vindpark"),
        ("Prosjektleder nettilknytning", f"{base}/karriere/ledige-stillinger/prosjektleder-nettilknytning"),
        ("HMS-rådgiver", f"{base}/karriere/ledige-stillinger/hms-radgiver"),
    }
    seen = _seen(web)
    assert f"{base}/sitemap-stillinger.xml.gz" in seen  # robots.txt -> index -> gzip child
    assert not any("/om-oss" in u or "/nyheter/" in u for u in seen)
    assert result.stats.get("jobos/site/sitemap_job_links") == 3


# other/ever-jobs__ever-jobs__careers_iperionx_careers.html (WordPress role cards whose apply
# links leave the site), the links being an ATS's short links that redirect to its job board
def test_ats_short_links_da(web):
    result = _crawl(web, "Havnegade Medico", "https://www.havnegade-medico.dk/job")
    board = "https://job-boards.greenhouse.io/havnegademedico/jobs"
    assert _jobs(result) == {
        ("Klinisk specialist, ortopædi", f"{board}/5100001001"),
        ("Regulatory Affairs Specialist", f"{board}/5100001002"),
        ("Lagermedarbejder", f"{board}/5100001003"),
    }
    assert {i["source"] for i in result.items} == {"greenhouse"}
    assert {i["method"] for i in result.items} == {"api"}
    seen = _seen(web)
    assert seen.count("https://boards-api.greenhouse.io/v1/boards/havnegademedico/jobs?content=true") == 1
    assert not any("linkedin.com" in u for u in seen)  # a short link is followed one hop only
    assert not any(u.startswith("https://job-boards.greenhouse.io/") for u in seen)  # read by the API


# other/ever-jobs__ever-jobs__careers_framework_co_framework_co-senior-software-engineer.html
# (Framer job page, h1 in three responsive variants, no JSON-LD) given as the careers URL
def test_single_posting_careers_url_pt(web):
    page = "https://www.marisco-robotica.pt/vagas/engenheiro-de-controlo"
    result = _crawl(web, "Marisco Robótica", page)
    assert _jobs(result) == {("Engenheiro de Controlo e Automação", page)}


# The same page: its place is written without a label ("Lisboa, Portugal" in a details block
# under the title); the gazetteer knows it.
def test_single_posting_unlabelled_location_pt(web):
    page = "https://www.marisco-robotica.pt/vagas/engenheiro-de-controlo"
    result = _crawl(web, "Marisco Robótica", page)
    (item,) = result.items
    assert item["location"] == "Lisboa, Portugal"
    assert (item["city"], item["country"]) == ("Lisbon", "PT")


# other/saint-net__open-jobs-searcher__careers_abs_karriere_jobs.html (postings lazy-loaded while
# scrolling: 3 in the HTML, the rest on scroll)
@needs_chromium
def test_infinite_scroll_in_browser_de(web):
    base = "https://www.seewald-pflege.de/karriere/stellen"
    result = _crawl(web, "Seewald Pflege", base)
    slugs = {
        "pflegefachkraft-station-3": "Pflegefachkraft Station 3 (m/w/d)",
        "praxisanleitung": "Praxisanleitung Pflege (m/w/d)",
        "hauswirtschaft": "Hauswirtschaftskraft (m/w/d)",
        "wohnbereichsleitung": "Wohnbereichsleitung (m/w/d)",
        "pflegehelfer-nachtdienst": "Pflegehelfer Nachtdienst (m/w/d)",
        "ausbildung-pflegefachfrau": "Ausbildung Pflegefachfrau/-mann (m/w/d)",
        "betreuungskraft": "Betreuungskraft nach §43b (m/w/d)",
    }
    assert _jobs(result) == {(title, f"{base}/{slug}") for slug, title in slugs.items()}


# other/saint-net__open-jobs-searcher__careers_4zero_jobs.html (card grid: h3, place, contract),
# with a click-to-load button that only the page's script can answer
@needs_chromium
def test_click_to_load_in_browser_fr(web):
    base = "https://www.atelier-brume.fr/offres"
    result = _crawl(web, "Atelier Brume", "https://www.atelier-brume.fr/recrutement")
    assert _jobs(result) == {
        ("Couturier retoucheur (H/F)", f"{base}/couturier-retoucheur"),
        ("Vendeur / Vendeuse en boutique (H/F)", f"{base}/vendeuse-boutique"),
        ("Responsable d'atelier de confection (H/F)", f"{base}/responsable-atelier"),
        ("Alternance e-commerce (H/F)", f"{base}/alternance-e-commerce"),
        ("Modéliste prêt-à-porter (H/F)", f"{base}/modeliste"),
    }
    assert result.stats.get("jobos/render/reason/load_more") == 1


# other/saint-net__open-jobs-searcher__careers_4pipes_jobs.html (postings as images linking to
# PDF job ads), here in WordPress image blocks with captions: the caption is the title, else the
# file name (ad words and dates dropped); a PDF the page lists but the server no longer holds
# (404) keeps its listing record (title from the page, URL the PDF).
def test_pdf_flyers_with_captions_and_a_missing_file_pl(web):
    files = "https://www.kowalik-stal.pl/wp-content/uploads/2026"
    result = _crawl(web, "Kowalik Stal", "https://www.kowalik-stal.pl/kariera")
    assert _jobs(result) == {
        ("Spawacz MIG/MAG (k/m)", f"{files}/11/ogloszenie-spawacz-2026-11-03.pdf"),
        ("Operator wózka widłowego", f"{files}/10/ogloszenie-operator-wozka-2026-10-20.pdf"),
        ("Magazynier", f"{files}/11/Oferta_pracy_Magazynier_2026-11-12.pdf"),
    }
    welder = next(i for i in result.items if i["title"].startswith("Spawacz"))
    assert "spawanie konstrukcji" in (welder["description"] or "")  # the PDF that is there is read
    assert result.stats.get("jobos/site/pdf_missing") == 2
    seen = _seen(web)
    assert not any("katalog" in u for u in seen)
    assert "https://bit.ly/kowalik-fb" in seen and not any("facebook.com" in u for u in seen)


# A WordPress + Elementor loop grid (the shape of other/ever-jobs__ever-jobs__careers_velontra_careers.html's
# builder, in the grid form of other/saint-net__open-jobs-searcher__careers_abs_karriere_jobs.html):
# the grid's wrapper carries the builder's "load more has ended" state class and the body a
# theme's "has-sticky-header"; page-chrome rules must not take either for chrome.
def test_elementor_loop_grid_state_classes_cs(web):
    base = "https://www.vltava-strojirny.cz/pozice"
    result = _crawl(web, "Vltava Strojírny", "https://www.vltava-strojirny.cz/kariera/")
    assert _jobs(result) == {
        ("CNC operátor", f"{base}/cnc-operator/"),
        ("Svářeč TIG", f"{base}/svarec-tig/"),
        ("Konstruktér strojních dílů", f"{base}/konstrukter/"),
        ("Vedoucí směny", f"{base}/vedouci-smeny/"),
    }
    seen = _seen(web)
    assert not any("/o-nas/" in u or "/kontakt/" in u or "ochrana" in u for u in seen)


# other/colophon-group__jobseek__didi_global_jobdetail.html's kind (a job-detail fragment an app
# loads: no <html>/<title>), here with Brazilian Portuguese section headings and apply button
def test_detail_fragment_pt_br(web):
    page = "https://carreiras.rodaviva-mobilidade.com.br/vagas/detalhe?id=4471"
    result = _crawl(web, "Rodaviva Mobilidade", page)
    assert _jobs(result) == {("Analista de Dados Pleno", page)}


# ats_html/ever-jobs__ever-jobs__workatastartup_list-loombotic.html (an Inertia.js app: the page is
# only a mount element whose data-page attribute holds the postings; no job link in the HTML)
def test_inertia_data_page_jobs_ca(web):
    base = "https://www.teixits-montseny.cat"
    result = _crawl(web, "Teixits Montseny SL", f"{base}/treballa-amb-nosaltres", render="never")
    assert _jobs(result) == {
        ("Tècnic/a de manteniment industrial", f"{base}/feina/12-tecnic-manteniment"),
        ("Administratiu/iva de compres", f"{base}/feina/15-administratiu-compres"),
        ("Conductor/a de carretó elevador", f"{base}/feina/21-conductor-carretons"),
        ("Dissenyador/a tèxtil", f"{base}/feina/23-dissenyador-textil"),
    }
    assert {item["location"] for item in result.items} == {"Sant Celoni", "Granollers", "Barcelona"}
    assert result.stats.get("jobos/listing/script_data") == 4
    assert not any("/noticies/" in url for url in _seen(web))
