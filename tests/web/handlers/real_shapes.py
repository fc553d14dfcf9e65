"""Dynamic parts of the stand-in sites written to the shapes of real career pages.

The listing pages themselves are static files under tests/web/sites/<host>/ (each names, in an
HTML comment, the real page shape it follows). This handler serves what a static folder cannot:
the job pages of all these sites (from the JOBS table below), HTML fragments for "load more" and
infinite scroll, PDF job ads, gzip sitemaps, RSS feeds and the redirects of link shorteners.

Stdlib only (runs inside mitmproxy).
"""
from __future__ import annotations

import gzip
import html
from pathlib import Path

from _http import Req, Response, html_response

SITES = Path(__file__).resolve().parent.parent / "sites"

# host -> (language, company, location label, {path: (title, location, employment type)})
JOBS: dict[str, tuple[str, str, str, dict[str, tuple[str, str, str]]]] = {
    "www.solvik-data.se": ("sv", "Solvik Data AB", "Ort", {
        "/jobb/backendutvecklare-go": ("Backendutvecklare Go", "Göteborg", "Heltid"),
        "/jobb/produktdesigner": ("Produktdesigner", "Stockholm", "Heltid"),
        "/jobb/testare-automation": ("Testare med automationsfokus", "Malmö", "Heltid"),
        "/jobb/systemforvaltare": ("Systemförvaltare", "Göteborg", "Deltid"),
    }),
    "www.halbach-messtechnik.de": ("de", "Halbach Messtechnik GmbH", "Standort", {
        "/karriere/stellenangebote/embedded-softwareentwickler/": ("Embedded-Softwareentwickler (m/w/d)", "Wuppertal", "Vollzeit"),
        "/karriere/stellenangebote/pruefingenieur-kalibrierlabor/": ("Prüfingenieur Kalibrierlabor (m/w/d)", "Wuppertal", "Vollzeit"),
        "/karriere/stellenangebote/vertriebsingenieur-aussendienst-sued/": ("Vertriebsingenieur Außendienst Süd (m/w/d)", "München", "Vollzeit"),
        "/karriere/stellenangebote/technischer-redakteur/": ("Technischer Redakteur (m/w/d)", "Wuppertal", "Teilzeit"),
        "/karriere/stellenangebote/ausbildung-elektroniker-geraete-systeme/": ("Ausbildung Elektroniker für Geräte und Systeme (m/w/d)", "Wuppertal", "Ausbildung"),
    }),
    "www.klaverweg.nl": ("nl", "Klaverweg Zorgtechniek", "Locatie", {
        "/vacatures/senior-data-engineer": ("Senior Data Engineer", "Utrecht", "Fulltime"),
        "/vacatures/servicemonteur-zorgbedden": ("Servicemonteur zorgbedden", "Zwolle", "Fulltime"),
        "/vacatures/medewerker-klantenservice": ("Medewerker klantenservice", "Utrecht", "Parttime"),
        "/vacatures/productowner-planning": ("Product owner planningssoftware", "Amersfoort", "Fulltime"),
    }),
    "karriere.brennwerk-energie.de": ("de", "Brennwerk Energie GmbH", "Einsatzort", {
        "/jobs/anlagenmechaniker-shk/": ("Anlagenmechaniker SHK (m/w/d)", "Kassel", "Vollzeit"),
        "/jobs/projektleiter-waermepumpen/": ("Projektleiter Wärmepumpen (m/w/d)", "Kassel", "Vollzeit"),
        "/jobs/kundenberater-energie/": ("Kundenberater Energie (m/w/d)", "Göttingen", "Teilzeit"),
        "/jobs/elektroniker-energietechnik/": ("Elektroniker für Energietechnik (m/w/d)", "Kassel", "Vollzeit"),
        "/jobs/bauleiter-nahwaerme/": ("Bauleiter Nahwärmenetze (m/w/d)", "Fulda", "Vollzeit"),
        "/jobs/werkstudent-controlling/": ("Werkstudent Controlling (m/w/d)", "Kassel", "Werkstudent"),
        "/jobs/servicetechniker-heizung/": ("Servicetechniker Heizungsanlagen (m/w/d)", "Göttingen", "Vollzeit"),
        "/jobs/ausbildung-industriekaufmann/": ("Ausbildung Industriekaufmann/-frau (m/w/d)", "Kassel", "Ausbildung"),
    }),
    "www.vetreria-santoro.it": ("it", "Vetreria Santoro S.r.l.", "Sede", {
        "/offerte/operatore-forno-fusorio": ("Operatore forno fusorio", "Murano", "Tempo pieno"),
        "/offerte/tecnico-manutenzione-elettrica": ("Tecnico manutenzione elettrica", "Venezia", "Tempo pieno"),
        "/offerte/addetta-controllo-qualita": ("Addetto/a controllo qualità", "Murano", "Tempo pieno"),
        "/offerte/magazziniere-carrellista": ("Magazziniere carrellista", "Marghera", "Tempo pieno"),
        "/offerte/impiegato-ufficio-acquisti": ("Impiegato/a ufficio acquisti", "Venezia", "Part-time"),
        "/offerte/progettista-cad": ("Progettista CAD vetro artistico", "Murano", "Tempo pieno"),
        "/offerte/stagista-marketing": ("Stagista marketing digitale", "Venezia", "Stage"),
    }),
    "www.norrsken-logistik.se": ("sv", "Norrsken Logistik AB", "Ort", {
        "/lediga-jobb/truckforare-umea/": ("Truckförare", "Umeå", "Heltid"),
        "/lediga-jobb/transportledare-lulea/": ("Transportledare", "Luleå", "Heltid"),
        "/lediga-jobb/lagerchef-sundsvall/": ("Lagerchef", "Sundsvall", "Heltid"),
    }),
    "www.fjellvind-kraft.no": ("no", "Fjellvind Kraft AS", "Arbeidssted", {
        "/karriere/ledige-stillinger/driftstekniker-vindpark": ("Driftstekniker vindpark", "Bodø", "Fast"),
        "/karriere/ledige-stillinger/prosjektleder-nettilknytning": ("Prosjektleder nettilknytning", "Trondheim", "Fast"),
        "/karriere/ledige-stillinger/hms-radgiver": ("HMS-rådgiver", "Trondheim", "Vikariat"),
    }),
    "www.seewald-pflege.de": ("de", "Seewald Pflege gGmbH", "Standort", {
        "/karriere/stellen/pflegefachkraft-station-3": ("Pflegefachkraft Station 3 (m/w/d)", "Konstanz", "Vollzeit"),
        "/karriere/stellen/praxisanleitung": ("Praxisanleitung Pflege (m/w/d)", "Konstanz", "Teilzeit"),
        "/karriere/stellen/hauswirtschaft": ("Hauswirtschaftskraft (m/w/d)", "Singen", "Minijob"),
        "/karriere/stellen/wohnbereichsleitung": ("Wohnbereichsleitung (m/w/d)", "Radolfzell", "Vollzeit"),
        "/karriere/stellen/pflegehelfer-nachtdienst": ("Pflegehelfer Nachtdienst (m/w/d)", "Konstanz", "Teilzeit"),
        "/karriere/stellen/ausbildung-pflegefachfrau": ("Ausbildung Pflegefachfrau/-mann (m/w/d)", "Singen", "Ausbildung"),
        "/karriere/stellen/betreuungskraft": ("Betreuungskraft nach §43b (m/w/d)", "Radolfzell", "Teilzeit"),
    }),
    # The LLM listing tier's site (tests/test_llm_listing.py): openings named only in prose.
    "www.kranich-werft.de": ("de", "Kranich Werft GmbH", "Einsatzort", {
        "/mitmachen/schiffbau-rostock": ("Schiffbauer (m/w/d)", "Rostock", "Vollzeit"),
        "/mitmachen/schweissen-dock": ("Schweißer im Trockendock (m/w/d)", "Rostock", "Vollzeit"),
        "/mitmachen/bootsbau-lehre": ("Ausbildung Bootsbauer (m/w/d)", "Rostock", "Ausbildung"),
    }),
    "www.atelier-brume.fr": ("fr", "Atelier Brume", "Lieu", {
        "/offres/couturier-retoucheur": ("Couturier retoucheur (H/F)", "Lille", "CDI"),
        "/offres/vendeuse-boutique": ("Vendeur / Vendeuse en boutique (H/F)", "Lille", "CDI"),
        "/offres/responsable-atelier": ("Responsable d'atelier de confection (H/F)", "Roubaix", "CDI"),
        "/offres/alternance-e-commerce": ("Alternance e-commerce (H/F)", "Lille", "Alternance"),
        "/offres/modeliste": ("Modéliste prêt-à-porter (H/F)", "Roubaix", "CDD"),
    }),
    "www.vltava-strojirny.cz": ("cs", "Vltava Strojírny a.s.", "Místo výkonu práce", {
        "/pozice/cnc-operator/": ("CNC operátor", "Písek", "Plný úvazek"),
        "/pozice/svarec-tig/": ("Svářeč TIG", "Písek", "Plný úvazek"),
        "/pozice/konstrukter/": ("Konstruktér strojních dílů", "České Budějovice", "Plný úvazek"),
        "/pozice/vedouci-smeny/": ("Vedoucí směny", "Písek", "Plný úvazek"),
    }),
    "www.teixits-montseny.cat": ("ca", "Teixits Montseny SL", "Ubicació", {
        "/feina/12-tecnic-manteniment": ("Tècnic/a de manteniment industrial", "Sant Celoni", "Jornada completa"),
        "/feina/15-administratiu-compres": ("Administratiu/iva de compres", "Granollers", "Jornada completa"),
        "/feina/21-conductor-carretons": ("Conductor/a de carretó elevador", "Sant Celoni", "Torns rotatius"),
        "/feina/23-dissenyador-textil": ("Dissenyador/a tèxtil", "Barcelona", "Mitja jornada"),
    }),
}

PAGE = """<!DOCTYPE html>
<html lang="{lang}"><head><meta charset="utf-8"><title>{title} | {company}</title>
<meta name="viewport" content="width=device-width, initial-scale=1"></head>
<body><header class="site-header"><nav><a href="/">{company}</a></nav></header>
<main><article class="job-posting">
<h1>{title}</h1>
<ul class="job-facts"><li class="job-location"><strong>{label}:</strong> {location}</li><li class="job-type">{etype}</li></ul>
<div class="job-description"><p>{company} · {title} · {location}.</p>{body}</div>
<p><a class="apply" href="/apply?job={slug}">{apply}</a></p>
</article></main>
<footer><p>&copy; 2026 {company}</p></footer></body></html>"""

BODY = {
    "sv": "<h2>Om rollen</h2><p>Du blir en del av ett litet team som bygger och driver våra system.</p>"
          "<h2>Vi erbjuder</h2><ul><li>Kollektivavtal</li><li>Friskvårdsbidrag</li></ul>",
    "de": "<h2>Deine Aufgaben</h2><p>Du arbeitest in einem erfahrenen Team an unseren Projekten.</p>"
          "<h2>Wir bieten</h2><ul><li>Tarifliche Vergütung</li><li>30 Tage Urlaub</li></ul>",
    "nl": "<h2>Wat ga je doen?</h2><p>Je werkt samen met collega's aan onze producten voor de zorg.</p>"
          "<h2>Wat bieden wij?</h2><ul><li>Goed salaris</li><li>Pensioenregeling</li></ul>",
    "it": "<h2>Cosa farai</h2><p>Lavorerai nel nostro stabilimento insieme a un gruppo affiatato.</p>"
          "<h2>Cosa offriamo</h2><ul><li>Contratto CCNL vetro</li><li>Mensa aziendale</li></ul>",
    "no": "<h2>Arbeidsoppgaver</h2><p>Du får ansvar for drift og utvikling av anleggene våre.</p>"
          "<h2>Vi tilbyr</h2><ul><li>Gode pensjonsordninger</li><li>Fleksibel arbeidstid</li></ul>",
    "fr": "<h2>Vos missions</h2><p>Vous rejoignez notre atelier et participez à chaque collection.</p>"
          "<h2>Ce que nous offrons</h2><ul><li>Mutuelle</li><li>Tickets restaurant</li></ul>",
    "cs": "<h2>Náplň práce</h2><p>Budete součástí týmu, který vyrábí díly pro energetiku.</p>"
          "<h2>Nabízíme</h2><ul><li>Stravenky</li><li>Pět týdnů dovolené</li></ul>",
    "ca": "<h2>Funcions</h2><p>T'incorporaràs a l'equip de la fàbrica i participaràs en cada comanda.</p>"
          "<h2>Requisits</h2><ul><li>Experiència d'un any</li><li>Català i castellà</li></ul>",
}
APPLY = {"sv": "Ansök", "de": "Jetzt bewerben", "nl": "Solliciteer", "it": "Candidati", "no": "Søk stillingen",
         "fr": "Postuler", "cs": "Odpovědět na inzerát", "ca": "Inscriu-te"}


def job_page(host: str, path: str) -> Response | None:
    site = JOBS.get(host)
    if site is None:
        return None
    lang, company, label, jobs = site
    job = jobs.get(path)
    if job is None:
        return None
    title, location, etype = job
    slug = path.rstrip("/").rsplit("/", 1)[-1]
    return html_response(PAGE.format(
        lang=lang, title=html.escape(title), company=html.escape(company), label=label,
        location=html.escape(location), etype=html.escape(etype), body=BODY[lang], slug=slug, apply=APPLY[lang]))


# --- HTML fragments ("load more" and infinite scroll) ---------------------------------------
def _card(host: str, path: str, tmpl: str) -> str:
    title, location, etype = JOBS[host][3][path]
    return tmpl.format(path=path, title=html.escape(title), location=html.escape(location), etype=etype)


BRENNWERK_CARD = ('<article class="elementor-post elementor-grid-item type-jobs">'
                  '<div class="elementor-post__text"><h3 class="elementor-post__title"><a href="{path}">{title}</a></h3>'
                  '<div class="elementor-post__excerpt"><p>{location} · {etype}</p></div>'
                  '<a class="elementor-post__read-more" href="{path}">Mehr erfahren »</a></div></article>')
BRENNWERK_PAGES = {
    2: ["/jobs/elektroniker-energietechnik/", "/jobs/bauleiter-nahwaerme/", "/jobs/werkstudent-controlling/"],
    3: ["/jobs/servicetechniker-heizung/", "/jobs/ausbildung-industriekaufmann/"],
}


def brennwerk_fragment(req: Req) -> Response:
    page = int(req.arg("seite", "0") or 0)
    paths = BRENNWERK_PAGES.get(page)
    if req.arg("action") != "brennwerk_jobs" or paths is None:
        return html_response("0", 400)
    cards = "".join(_card("karriere.brennwerk-energie.de", p, BRENNWERK_CARD) for p in paths)
    more = ""
    if page + 1 in BRENNWERK_PAGES:
        more = (f'<button class="elementor-button jobs-load-more" data-url="/wp-admin/admin-ajax.php?'
                f'action=brennwerk_jobs&amp;seite={page + 1}">Weitere Stellen laden</button>')
    return html_response(f'<div class="elementor-posts-container">{cards}</div>{more}')


SEEWALD_CARD = ('<li class="stellen-liste__eintrag"><a class="stellen-karte" href="{path}">'
                '<h3 class="stellen-karte__titel">{title}</h3><span class="stellen-karte__ort">{location}</span>'
                '<span class="stellen-karte__art">{etype}</span></a></li>')
SEEWALD_PAGES = {
    2: ["/karriere/stellen/wohnbereichsleitung", "/karriere/stellen/pflegehelfer-nachtdienst"],
    3: ["/karriere/stellen/ausbildung-pflegefachfrau", "/karriere/stellen/betreuungskraft"],
}


def seewald_fragment(req: Req) -> Response:
    paths = SEEWALD_PAGES.get(int(req.arg("seite", "0") or 0))
    if paths is None:  # past the end: an empty fragment, as the real endpoint answers
        return html_response("")
    return html_response("".join(_card("www.seewald-pflege.de", p, SEEWALD_CARD) for p in paths))


# --- PDF job ads (a minimal, valid PDF with a text layer) ------------------------------------
def pdf_document(lines: list[str], title: str | None = None) -> bytes:
    """Return a one-page PDF showing `lines` in Helvetica (WinAnsi: umlauts are fine)."""
    def esc(text: str) -> str:
        return text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")

    ops = ["BT", "/F1 12 Tf", "14 TL", "56 780 Td"]
    for line in lines:
        ops.append(f"({esc(line)}) Tj T*")
    ops.append("ET")
    stream = "\n".join(ops).encode("cp1252")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> >> "
        b"/Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream",
    ]
    if title:
        objects.append(b"<< /Title (" + esc(title).encode("cp1252") + b") /Producer (Xara) >>")
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    for offset in offsets:
        out += f"{offset:010d} 00000 n \n".encode()
    trailer = f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R"
    if title:
        trailer += f" /Info {len(objects)} 0 R"
    out += (trailer + f" >>\nstartxref\n{xref}\n%%EOF\n").encode()
    return bytes(out)


KUPFERHAMMER_PDFS = {
    "/index_htm_files/kupferhammer_Stellenausschreibung_Industriemechaniker-Montage_20251103_KH.pdf": [
        "Industriemechaniker (m/w/d) für die Armaturenmontage",
        "Kupferhammer Armaturen GmbH, Iserlohn - Vollzeit, unbefristet",
        "Ihre Aufgaben: Montage und Prüfung von Industriearmaturen nach Zeichnung.",
        "Ihr Profil: abgeschlossene Ausbildung als Industriemechaniker.",
        "Bewerbung bitte per E-Mail an die Personalabteilung.",
    ],
    "/index_htm_files/kupferhammer_stellenausschreibung_sachbearbeitung-einkauf_v2_20251103_kh.pdf": [
        "Kaufmännische Sachbearbeitung Einkauf (m/w/d)",
        "Kupferhammer Armaturen GmbH, Iserlohn - Teilzeit 30 Stunden",
        "Ihre Aufgaben: Bestellabwicklung, Lieferantenkontakt und Terminverfolgung.",
        "Ihr Profil: kaufmännische Ausbildung und Freude an Zahlen.",
    ],
    "/index_htm_files/kupferhammer_Produktkatalog_2025.pdf": [
        "Produktkatalog 2025",
        "Kugelhähne, Absperrklappen und Rückschlagventile aus Messing und Edelstahl.",
    ],
}


# A WordPress page of flyer images with captions: one PDF on the server, the others gone (404).
KOWALIK_PDFS = {
    "/wp-content/uploads/2026/11/ogloszenie-spawacz-2026-11-03.pdf": [
        "Spawacz MIG/MAG (k/m)",
        "Kowalik Stal sp. z o.o., Bydgoszcz - pelny etat",
        "Zakres obowiazkow: spawanie konstrukcji stalowych metoda MIG/MAG.",
    ],
    "/wp-content/uploads/2026/01/katalog-produktow-2026.pdf": [
        "Katalog produktów 2026",
        "Ksztaltowniki, blachy i konstrukcje stalowe na zamowienie.",
    ],
}


# --- sitemaps and feeds ----------------------------------------------------------------------
FJELLVIND = "https://www.fjellvind-kraft.no"
FJELLVIND_ROBOTS = f"User-agent: *\nDisallow: /wp-admin/\nAllow: /\n\nSitemap: {FJELLVIND}/sitemap_index.xml\n"
FJELLVIND_INDEX = f"""<?xml version="1.0" encoding="UTF-8"?>
<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
  <sitemap><loc>{FJELLVIND}/sitemap-sider.xml</loc><lastmod>2026-11-28T08:00:00+00:00</lastmod></sitemap>
  <sitemap><loc>{FJELLVIND}/sitemap-stillinger.xml.gz</loc><lastmod>2026-12-01T07:30:00+00:00</lastmod></sitemap>
</sitemapindex>
"""


def _urlset(paths: list[str]) -> str:
    rows = "".join(f"  <url><loc>{FJELLVIND}{p}</loc><lastmod>2026-11-30</lastmod></url>\n" for p in paths)
    return ('<?xml version="1.0" encoding="UTF-8"?>\n'
            f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n{rows}</urlset>\n')


FJELLVIND_PAGES = ["/", "/om-oss", "/kontakt", "/nyheter/ny-vindpark-i-nordland", "/karriere/ledige-stillinger"]

NORRSKEN = "https://www.norrsken-logistik.se"


def _rss(title: str, link: str, items: list[tuple[str, str, str]]) -> str:
    rows = "".join(
        f"<item><title>{html.escape(t)}</title><link>{NORRSKEN}{p}</link><guid isPermaLink=\"true\">{NORRSKEN}{p}</guid>"
        f"<pubDate>Mon, 01 Dec 2026 08:00:00 +0000</pubDate><category>{html.escape(c)}</category>"
        f"<description>{html.escape(t)}, {html.escape(c)}</description></item>\n"
        for t, p, c in items)
    return ('<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0"><channel>'
            f"<title>{html.escape(title)}</title><link>{NORRSKEN}{link}</link><language>sv-SE</language>\n"
            f"{rows}</channel></rss>\n")


NORRSKEN_JOB_FEED = _rss("Norrsken Logistik – Lediga jobb", "/lediga-jobb/", [
    ("Truckförare", "/lediga-jobb/truckforare-umea/", "Umeå"),
    ("Transportledare", "/lediga-jobb/transportledare-lulea/", "Luleå"),
    ("Lagerchef", "/lediga-jobb/lagerchef-sundsvall/", "Sundsvall"),
])
NORRSKEN_BLOG_FEED = _rss("Norrsken Logistik", "/", [
    ("Vi öppnar ny terminal i Umeå", "/2026/11/ny-terminal-umea/", "Nyheter"),
    ("Så minskar vi utsläppen från våra lastbilar", "/2026/10/minskade-utslapp/", "Hållbarhet"),
])

# --- link shorteners: one redirect to where the link goes ------------------------------------
SHORT_LINKS = {
    ("grnh.se", "/8c1f7a20de"): "https://job-boards.greenhouse.io/havnegademedico/jobs/5100001001?gh_src=8c1f7a20de",
    ("grnh.se", "/2b9e44c7f1"): "https://job-boards.greenhouse.io/havnegademedico/jobs/5100001002?gh_src=2b9e44c7f1",
    ("grnh.se", "/e07d3a91bb"): "https://job-boards.greenhouse.io/havnegademedico/jobs/5100001003?gh_src=e07d3a91bb",
    ("bit.ly", "/havnegade-li"): "https://www.linkedin.com/company/havnegade-medico/",
    ("bit.ly", "/kowalik-fb"): "https://www.facebook.com/kowalikstal",
}

HOSTS = set(JOBS) | {"www.kupferhammer-armaturen.de", "www.kowalik-stal.pl", "grnh.se", "bit.ly"}


def handle(req: Req, state: dict) -> Response | None:
    host, path = req.host, req.path
    if (host, path) in SHORT_LINKS:
        return Response(301, "", {"location": SHORT_LINKS[(host, path)]})
    if host in ("grnh.se", "bit.ly"):
        return Response(404, "not found", {"content-type": "text/plain"})
    if host == "karriere.brennwerk-energie.de" and path == "/wp-admin/admin-ajax.php":
        return brennwerk_fragment(req)
    if host == "www.seewald-pflege.de" and path == "/karriere/stellen/mehr":
        return seewald_fragment(req)
    if host == "www.kupferhammer-armaturen.de" and path in KUPFERHAMMER_PDFS:
        lines = KUPFERHAMMER_PDFS[path]
        return Response(200, pdf_document(lines), {"content-type": "application/pdf"})
    if host == "www.kowalik-stal.pl" and path in KOWALIK_PDFS:
        return Response(200, pdf_document(KOWALIK_PDFS[path]), {"content-type": "application/pdf"})
    if host == "www.fjellvind-kraft.no":
        if path == "/robots.txt":
            return Response(200, FJELLVIND_ROBOTS, {"content-type": "text/plain; charset=utf-8"})
        if path == "/sitemap_index.xml":
            return Response(200, FJELLVIND_INDEX, {"content-type": "application/xml; charset=utf-8"})
        if path == "/sitemap-sider.xml":
            return Response(200, _urlset(FJELLVIND_PAGES), {"content-type": "application/xml; charset=utf-8"})
        if path == "/sitemap-stillinger.xml.gz":
            body = gzip.compress(_urlset(sorted(JOBS[host][3])).encode("utf-8"))
            return Response(200, body, {"content-type": "application/x-gzip"})
    if host == "www.norrsken-logistik.se":
        if path == "/lediga-jobb/feed/":
            return Response(200, NORRSKEN_JOB_FEED, {"content-type": "application/rss+xml; charset=utf-8"})
        if path == "/feed/":
            return Response(200, NORRSKEN_BLOG_FEED, {"content-type": "application/rss+xml; charset=utf-8"})
    return job_page(host, path)
