"""Dynamic endpoints of the hand-made company sites: ?page=, a JSON API a JS page calls, "load more".

Stdlib only (runs inside mitmproxy). Everything else on these hosts is a static file under
tests/web/sites/<host>/.
"""
from __future__ import annotations

from pathlib import Path

from _http import Req, Response, html_response, json_response

SITES = Path(__file__).resolve().parent.parent / "sites"
HOSTS = {"karriere.nordlicht-logistik.de", "jobs.kestrel-analytique.fr", "www.tidewater-robotica.es"}

# Kestrel Analytique's app (assets/app.js) renders its list from this API.
KESTREL = [{"ref": "KA-31", "intitule": "Ingénieur données confirmé (H/F)", "ville": "Lyon"}, {"ref": "KA-32", "intitule": "Développeuse front-end React (F/H)", "ville": "Paris"}, {"ref": "KA-33", "intitule": "Chef de projet analytique (H/F)", "ville": "Nantes"}]

# Tidewater Robótica: the first three are in the page's HTML; "Cargar más" loads the rest.
TIDEWATER = [{"slug": "ingeniero-vision-artificial", "titulo": "Ingeniero/a de visión artificial", "ciudad": "Valencia"}, {"slug": "tecnico-mantenimiento", "titulo": "Técnico/a de mantenimiento de robots", "ciudad": "Zaragoza"}, {"slug": "desarrollador-ros", "titulo": "Desarrollador/a ROS 2", "ciudad": "Valencia"}, {"slug": "responsable-calidad", "titulo": "Responsable de calidad", "ciudad": "Bilbao"}, {"slug": "becario-mecatronica", "titulo": "Becario/a de mecatrónica", "ciudad": "Valencia"}, {"slug": "comercial-industria", "titulo": "Comercial técnico industria 4.0", "ciudad": "Madrid"}, {"slug": "analista-datos", "titulo": "Analista de datos de producción", "ciudad": "Sevilla"}]


def _int(value: str | None, default: int) -> int:
    try:
        return max(0, int(value or default))
    except ValueError:
        return default


# SSRF cases (tests/test_guard.py): a redirect to the loopback, a "load more" button whose
# endpoint is the cloud metadata address, a job link to a private address.
SSRF_PAGE = """<!DOCTYPE html><html lang="de"><head><meta charset="utf-8"><title>Stellen</title></head>
<body><main><h1>Stellenangebote</h1><ul>
<li><a href="/stellen/disponent-nahverkehr"><h3>Disponent Nahverkehr (m/w/d)</h3></a></li>
</ul>
<button class="load-more" data-url="http://169.254.169.254/latest/meta-data/">Mehr laden</button>
</main></body></html>"""


def handle(req: Req, state: dict) -> Response | None:
    if req.host == "karriere.nordlicht-logistik.de" and req.path == "/ssrf/umzug":
        return Response(302, "", {"location": "http://127.0.0.1:9/karriere/"})
    if req.host == "karriere.nordlicht-logistik.de" and req.path == "/ssrf/mehr":
        return html_response(SSRF_PAGE)
    if req.host == "karriere.nordlicht-logistik.de" and req.path == "/" and req.arg("page") == "2":
        return html_response((SITES / req.host / "_seite2.html").read_text(encoding="utf-8"))
    if req.host == "jobs.kestrel-analytique.fr" and req.path == "/api/offres":
        return json_response({"total": len(KESTREL), "resultats": KESTREL})
    if req.host == "www.tidewater-robotica.es" and req.path == "/api/vacantes":
        offset, limit = _int(req.arg("offset"), 0), _int(req.arg("limit"), 3) or 3
        chunk = TIDEWATER[offset:offset + limit]
        end = offset + len(chunk)
        nxt = f"/api/vacantes?offset={end}&limit={limit}" if end < len(TIDEWATER) else None
        return json_response({
            "vacantes": [{"titulo": v["titulo"], "ciudad": v["ciudad"], "url": f"/empleo/{v['slug']}/"} for v in chunk],
            "siguiente": nxt,
            "hasMore": nxt is not None,
        })
    return None
