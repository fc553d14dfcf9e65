"""A hostile careers site for the egress tests (tests/test_egress_browser.py).

careers.quillon-systems.com/app is an app shell: its script, run by the browser, aims every
kind of browser request at the canary on 127.0.0.1 (port in state["canary"]): fetch, iframe,
script and beacon through 302 and 307 (keeping a POST body) redirects, a 307 to a scrapyd's
schedule.json and addversion.json, a WebSocket, a name that resolves to the loopback, and
addresses that are not globally routable. Then it shows one real job. /nav redirects the
browser's navigation itself to the canary. Stdlib only (runs inside mitmproxy).
"""
from __future__ import annotations

import json

from _http import Req, Response, html_response

HOSTS = {"careers.quillon-systems.com", ".quillon-systems.com"}
# Addresses a page may name that are not globally routable (issue: is_private is false for some).
ODD_HOSTS = ["100.64.0.1", "192.0.0.8", "[2002:7f00:1::]", "[64:ff9b::7f00:1]", "[::ffff:7f00:1]"]
LOOPBACK_NAME = "loopback-alias.quillon-systems.com"

SCRIPT = """
const C = "http://127.0.0.1:%(port)d";
const R = (to, code) => "/r?code=" + code + "&to=" + encodeURIComponent(to);
const quiet = (p) => p.catch(() => null);
quiet(fetch(R(C + "/fetch-302", 302)));
quiet(fetch(R(C + "/fetch-307-post", 307), {method: "POST", body: "secret=1", mode: "no-cors"}));
quiet(fetch(R(C + "/schedule.json", 307), {method: "POST", mode: "no-cors",
  headers: {"Content-Type": "application/x-www-form-urlencoded"},
  body: "project=jobos&spider=careers&company=x&setting=JOBOS_ALLOW_PRIVATE%%3D1"}));
const egg = new FormData(); egg.append("project", "jobos"); egg.append("version", "1");
egg.append("egg", new Blob(["not an egg"]), "x.egg");
quiet(fetch(R(C + "/addversion.json", 307), {method: "POST", mode: "no-cors", body: egg}));
const frame = document.createElement("iframe"); frame.src = R(C + "/iframe", 302); document.body.appendChild(frame);
const script = document.createElement("script"); script.src = R(C + "/script", 302); document.body.appendChild(script);
try { navigator.sendBeacon(R(C + "/beacon", 307), "beacon-body"); } catch (e) {}
try { new WebSocket("ws://127.0.0.1:%(port)d/ws"); } catch (e) {}
try { new WebSocket("wss://careers.quillon-systems.com/ws"); } catch (e) {}
quiet(fetch("https://%(name)s:%(port)d/name", {mode: "no-cors"}));
for (const h of %(odd)s) quiet(fetch("https://" + h + "/odd", {mode: "no-cors"}));
document.getElementById("root").innerHTML =
  '<h1>Open roles</h1><ul><li><a href="/jobs/platform-engineer">Platform engineer (m/f/d)</a></li></ul>';
"""

APP = """<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Quillon careers</title></head>
<body><div id="root"></div><script>%s</script></body></html>"""

JOB = """<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Platform engineer</title>
<script type="application/ld+json">{"@context": "https://schema.org", "@type": "JobPosting",
"title": "Platform engineer (m/f/d)", "identifier": "qs-1", "datePosted": "2026-11-02",
"description": "Run our platform.", "hiringOrganization": {"name": "Quillon Systems"},
"jobLocation": {"@type": "Place", "address": {"addressLocality": "Hamburg", "addressCountry": "DE"}}}</script>
</head><body><h1>Platform engineer (m/f/d)</h1><p>Run our platform.</p></body></html>"""


def handle(req: Req, state: dict) -> Response | None:
    port = int(state.get("canary") or 9)
    if req.path == "/r":
        code = int(req.arg("code", "302") or 302)
        return Response(code, "", {"location": req.arg("to", "/")})
    if req.path == "/app":
        script = SCRIPT % {"port": port, "name": LOOPBACK_NAME, "odd": json.dumps(ODD_HOSTS)}
        return html_response(APP % script)
    if req.path == "/nav":
        return Response(302, "", {"location": f"http://127.0.0.1:{port}/karriere/"})
    if req.path == "/nav-name":
        return Response(302, "", {"location": f"http://{LOOPBACK_NAME}:{port}/karriere/"})
    if req.path == "/jobs/platform-engineer":
        return html_response(JOB)
    if req.path == "/robots.txt":
        return Response(200, "User-agent: *\nAllow: /\n", {"content-type": "text/plain"})
    return None
