"""Stand-in DuckDuckGo HTML endpoint (html.duckduckgo.com/html/) for the stand-in companies.

Pages follow the real endpoint's structure (result blocks `result results_links ...`, links
`result__a` through the `//duckduckgo.com/l/?uddg=<target>&rut=...` redirect, `result__snippet`,
ads as `result--ad` with a `badge--ad` and a `y.js` link), written here from scratch. Scenarios
by query (case-insensitive): ordinary results with an ad, aggregators and a namesake; the
CAPTCHA/anomaly page; a bare 202; "No results". Queries of generated benchmark companies
(containing "benchco") are left to handlers/generated.py.
"""
from __future__ import annotations

import hashlib
import html
from urllib.parse import quote

from _http import Req, Response, html_response

HOSTS = {"html.duckduckgo.com", "duckduckgo.com"}
ROBOTS = "User-agent: *\nDisallow: /\n"  # as the real one: crawlers are not welcome

_AD = ("https://duckduckgo.com/y.js?ad_domain=jobhunt-ads.example&ad_provider=bingv7aa"
       "&ad_type=txad&u3=https%3A%2F%2Fwww.bing.com%2Faclick%3Fld%3Dstandin")

# query -> list of (url, title, snippet); "AD" marks the ad slot.
TULPEN = [
    ("AD", "Vacatures in Amsterdam - Solliciteer vandaag nog", "Duizenden vacatures. Vind je baan."),
    ("https://nl.indeed.com/cmp/Tulpen-Software/jobs", "Vacatures bij Tulpen Software | Indeed.com",
     "3 vacatures bij Tulpen Software B.V. beschikbaar op Indeed.com."),
    ("https://nl.linkedin.com/company/tulpen-software/jobs", "Tulpen Software B.V. | LinkedIn",
     "Tulpen Software B.V. | 48 volgers op LinkedIn."),
    ("https://www.tulpensoftwareconsultancy.nl/vacatures", "Vacatures - Tulpen Software Consultancy",
     "Werken bij Tulpen Software Consultancy: detachering en IT-advies."),
    ("https://www.tulpensoftware.nl/werken-bij", "Werken bij Tulpen Software",
     "Bouw mee aan ons platform. Bekijk onze vacatures in Amsterdam, Utrecht en Berlijn."),
    ("https://www.glassdoor.nl/Overzicht/Werken-bij-Tulpen-Software.htm", "Werken bij Tulpen Software | Glassdoor",
     "Beoordelingen van medewerkers van Tulpen Software."),
    ("https://nl.wikipedia.org/wiki/Tulp", "Tulp - Wikipedia", "De tulp is een geslacht van bolgewassen."),
]
NORTHWIND = [
    ("AD", "Ledige job i Danmark - Søg nu", "Find dit næste job i dag."),
    ("https://www.jobindex.dk/virksomhed/northwind", "Northwind A/S job - Jobindex", "Se ledige job hos Northwind A/S."),
    ("https://job-boards.greenhouse.io/northwind", "Jobs at Northwind Traders",
     "Northwind Traders is hiring. Senior Backend Engineer, Account Executive..."),
    ("https://www.northwindtraders.com/", "Northwind Traders - Specialty foods",
     "Northwind Traders imports and exports specialty foods from around the world."),
    ("https://www.northwind.dk/", "Northwind – Havvind fra Esbjerg",
     "Northwind A/S udvikler og driver havvindmølleparker i Nordsøen."),
    ("https://dk.linkedin.com/company/northwind-as", "Northwind A/S | LinkedIn", "Northwind A/S | 1.204 følgere."),
    ("https://en.wikipedia.org/wiki/Northwind", "Northwind - Wikipedia", "Northwind may refer to:"),
]
# The career sites of handlers/sites_dynamic.py and sites/ (no ATS), found from their names.
BRIGHTWAVE = [
    ("https://www.stepstone.de/cmp/de/brightwave-energie-gmbh-123456/jobs", "Jobs bei Brightwave Energie | StepStone",
     "5 Jobs bei Brightwave Energie GmbH in Hamburg und Kiel."),
    ("https://www.brightwave-energie.de/karriere/", "Karriere bei Brightwave Energie",
     "Gestalte die Energiewende mit uns: offene Stellen in Hamburg, Kiel und remote."),
    ("https://de.wikipedia.org/wiki/Energiewende", "Energiewende - Wikipedia", "Die Energiewende ist ..."),
]
NORDLICHT = [
    ("https://de.indeed.com/cmp/Nordlicht-Logistik/jobs", "Nordlicht Logistik Jobs | Indeed",
     "Stellenangebote von Nordlicht Logistik GmbH."),
    ("https://karriere.nordlicht-logistik.de/", "Stellenangebote | Nordlicht Logistik",
     "Disponent, Berufskraftfahrer, Lagerist: jetzt bei Nordlicht Logistik bewerben."),
]
TIDEWATER = [
    ("AD", "Empleo en Madrid - Ofertas de trabajo", "Miles de ofertas. Encuentra tu empleo."),
    ("https://es.linkedin.com/company/tidewater-robotica", "Tidewater Robótica | LinkedIn",
     "Tidewater Robótica | 812 seguidores en LinkedIn."),
    ("https://www.tidewater-robotica.es/empleo/", "Trabaja con nosotros - Tidewater Robótica",
     "Ofertas de empleo en Madrid, Barcelona y Valencia."),
]
KESTREL = [
    ("https://fr.indeed.com/cmp/Kestrel-Analytique", "Kestrel Analytique : offres d'emploi | Indeed",
     "Offres d'emploi chez Kestrel Analytique."),
    ("https://jobs.kestrel-analytique.fr/", "Offres d'emploi - Kestrel Analytique",
     "Rejoignez Kestrel Analytique : data, conseil et produit à Paris et Lyon."),
]
RESULTS = {
    "brightwave energie karriere": BRIGHTWAVE,
    "brightwave energie": BRIGHTWAVE,
    "nordlicht logistik karriere": NORDLICHT,
    "nordlicht logistik": NORDLICHT,
    "tidewater robotica empleo": TIDEWATER,
    "tidewater robotica": TIDEWATER,
    "kestrel analytique recrutement": KESTREL,
    "kestrel analytique": KESTREL,
    "tulpen software b.v. werken bij": TULPEN,
    "tulpen software b.v.": TULPEN,
    "northwind a/s job": NORTHWIND,
    "northwind a/s": NORTHWIND,
}
CAPTCHA = {"fjord labs as ledige stillinger", "fjord labs as"}
BUSY_202 = {"orbital kinetics sas recrutement", "orbital kinetics sas"}


def _rut(url: str) -> str:
    return hashlib.sha256(url.encode()).hexdigest()


def _redirect(url: str) -> str:
    return html.escape(f"//duckduckgo.com/l/?uddg={quote(url, safe='')}&rut={_rut(url)}")


def _result(url: str, title: str, snippet: str) -> str:
    link = _redirect(url)
    shown = html.escape(url.split("://", 1)[-1])
    host = html.escape(url.split("/")[2])
    return f"""
                <div class="result results_links results_links_deep web-result ">
                  <div class="links_main links_deep result__body"> <!-- This is the visible part -->
                      <h2 class="result__title">
                        <a rel="nofollow" class="result__a" href="{link}">{html.escape(title)}</a>
                      </h2>
                      <div class="result__extras">
                        <div class="result__extras__url">
                          <span class="result__icon">
                            <a rel="nofollow" href="{link}">
                              <img class="result__icon__img" width="16" height="16" alt="" src="//external-content.duckduckgo.com/ip3/{host}.ico" name="i15" />
                            </a>
                          </span>
                          <a class="result__url" href="{link}">
                            {shown}
                          </a>
                        </div>
                      </div>
                        <a class="result__snippet" href="{link}">{html.escape(snippet)}</a>
                    <div class="clear"></div>
                  </div>
                </div>"""


def _ad(title: str, snippet: str) -> str:
    link = _redirect(_AD)
    return f"""
                  <div class="result results_links results_links_deep result--ad ">
                    <div class="links_main links_deep result__body"> <!-- This is the visible part -->
                      <h2 class="result__title">
                          <a rel="nofollow" class="result__a" href="{link}">{html.escape(title)}</a>
                        <div class="result__badge-wrap">
                          <button class="badge--ad">Ad</button>
                        </div>
                      </h2>
                      <div class="result__extras"><div class="result__extras__url">
                        <a class="result__url" href="{link}">jobhunt-ads.example</a>
                      </div></div>
                        <a class="result__snippet" href="{link}">{html.escape(snippet)}</a>
                      <div class="clear"></div>
                    </div>
                  </div>"""


def results_page(query: str, entries: list[tuple[str, str, str]]) -> str:
    """Return a result page in the endpoint's structure for the given entries."""
    body = "".join(_ad(t, s) if u == "AD" else _result(u, t, s) for u, t, s in entries)
    if not entries:
        body = '<div class="no-results">No results.</div>'
    q = html.escape(query)
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
  <meta http-equiv="content-type" content="text/html; charset=UTF-8">
  <meta name="referrer" content="origin">
  <title>{q} at DuckDuckGo</title>
  <link rel="stylesheet" media="handheld, all" href="//duckduckgo.com/dist/h.standin.css" type="text/css"/>
</head>
<body class="body--html">
  <a name="top" id="top"></a>
  <form action="/html/" method="post">
    <input type="text" name="state_hidden" id="state_hidden" />
  </form>
  <div>
    <div class="site-wrapper-border"></div>
    <div id="header" class="header cw header--html">
        <a title="DuckDuckGo" href="/html/" class="header__logo-wrap"></a>
    <form name="x" class="header__form" action="/html/" method="post">
      <div class="search search--header">
          <input name="q" autocomplete="off" class="search__input" id="search_form_input_homepage" type="text" value="{q}" />
          <input name="b" id="search_button_homepage" class="search__button search__button--html" value="" title="Search" alt="Search" type="submit" />
      </div>
    </form>
    </div>
      <!-- Web results are present -->
      <div>
        <div class="serp__results">
          <div id="links" class="results">
{body}
          </div>
        </div>
      </div>
  </div>
</body>
</html>
"""


def captcha_page(query: str) -> str:
    """Return the anomaly (bot challenge) page, in the structure of the real one."""
    q = html.escape(query)
    return f"""<!DOCTYPE html>
<html lang="en">
<head><meta http-equiv="content-type" content="text/html; charset=UTF-8"><title> DuckDuckGo </title></head>
<body>
<center id="lite_wrapper">
  <a class="header-url" href="/html/"><span class="header">DuckDuckGo</span></a>
  <form id="challenge-form" action="//duckduckgo.com/anomaly.js?sv=html&amp;cc=sre&amp;q={q}" method="POST">
    <div class="anomaly-modal__mask">
      <div class="anomaly-modal__modal is-ie" data-testid="anomaly-modal">
        <div class="anomaly-modal__title">Unfortunately, bots use DuckDuckGo too.</div>
        <div class="anomaly-modal__description">Please complete the following challenge to confirm this search was made by a human.</div>
        <div class="anomaly-modal__instructions">Select all squares containing a duck:</div>
      </div>
    </div>
  </form>
</center>
</body>
</html>
"""


def query_of(req: Req) -> tuple[str, str]:
    """Return (q, kl) from the POST form or the query string."""
    form = req.form() if req.method == "POST" else {}
    q = (form.get("q") or req.query.get("q") or [""])[0]
    kl = (form.get("kl") or req.query.get("kl") or [""])[0]
    return q, kl


def handle(req: Req, state: dict) -> Response | None:
    if req.host == "duckduckgo.com" and req.path != "/robots.txt":
        return None
    if req.path == "/robots.txt":
        return Response(200, ROBOTS, {"content-type": "text/plain"})
    if req.path not in ("/html", "/html/"):
        return Response(404, "Not Found", {"content-type": "text/html"})
    q, kl = query_of(req)
    key = " ".join(q.lower().split())
    if "benchco" in key:
        return None  # generated benchmark companies: handlers/generated.py
    state.setdefault("ddg_queries", []).append({"q": q, "kl": kl})
    if key in CAPTCHA or state.get("ddg_captcha_all"):
        return html_response(captcha_page(q))
    if key in BUSY_202:
        return Response(202, "", {"content-type": "text/html; charset=utf-8"})
    return html_response(results_page(q, RESULTS.get(key, [])))
