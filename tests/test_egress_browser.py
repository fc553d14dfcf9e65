"""A hostile page in the real browser cannot reach inside the machine (issue: SSRF at every hop).

The page (tests/web/handlers/egress.py) runs through the real Chromium and the stand-in web.
Its script aims fetch, iframe, script and beacon requests at a canary server on 127.0.0.1
through 302 and 307 (POST body kept) redirects, posts to a scrapyd's schedule.json and
addversion.json through a 307, opens WebSockets, fetches a name that resolves to the loopback
(the resolver is the test's, given through JOBOS_RESOLVER) and addresses that are not globally
routable. Nothing may arrive at the canary, and the stand-in web (which answers every name)
must never be asked for the loopback name or those addresses. A browser navigation redirected
to the loopback must not be stored as a job.
"""
from __future__ import annotations

import sys
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from tests.canary import Canary
from tests.crawl import run_crawl
from tests.ui.live import require_browser

sys.path.insert(0, str(Path(__file__).resolve().parent / "web" / "handlers"))
from egress import LOOPBACK_NAME, ODD_HOSTS  # noqa: E402  (the stand-in page's own lists)

pytestmark = pytest.mark.slow
SITE = "https://careers.quillon-systems.com"
RESOLVER = f"{__name__}.fake_resolver"


def fake_resolver(host: str) -> list[str]:
    """JOBOS_RESOLVER for these crawls: the loopback name resolves to 127.0.0.1."""
    return ["127.0.0.1"] if host == LOOPBACK_NAME else ["93.184.216.34"]


@pytest.fixture()
def canary(web):
    with Canary() as server:
        web.set_state(canary=server.port)
        yield server


def _crawl(web, path: str, **kw):
    require_browser()
    return run_crawl(web, company="Quillon Systems", careers_url=f"{SITE}{path}",
                     env={"JOBOS_RESOLVER": RESOLVER}, **kw)


def test_script_requests_redirects_websockets_and_odd_addresses_never_leave(web, canary):
    result = _crawl(web, "/app")
    assert result.returncode == 0, result.stderr[-3000:]
    # The page's script ran (it renders the job link after launching every attack).
    assert result.stats.get("jobos/render/pages", 0) >= 1
    assert "Platform engineer (m/f/d)" in result.titles(), (result.titles(), result.log[-3000:])
    assert canary.hits == [], canary.hits
    seen_hosts = {(urlsplit(e["url"]).hostname or "") for e in web.requests_seen()}
    odd = {h.strip("[]") for h in ODD_HOSTS}
    assert not (seen_hosts & (odd | {LOOPBACK_NAME})), seen_hosts
    # Each refusal is said and counted.
    assert result.stats.get("jobos/refused/browser", 0) >= 5, sorted(
        (k, v) for k, v in result.stats.items() if "refused" in k)


@pytest.mark.parametrize("path", ["/nav", "/nav-name"])
def test_browser_navigation_redirected_to_the_loopback_stores_nothing(web, canary, path):
    result = _crawl(web, path, render="always")
    assert result.returncode == 0, result.stderr[-3000:]
    assert canary.hits == [], canary.hits
    assert not [i for i in result.items if "Canary" in (i.get("title") or "")
                or "127.0.0.1" in (i.get("url") or "") or LOOPBACK_NAME in (i.get("url") or "")], result.items
    assert result.stats.get("jobos/refused/browser", 0) >= 1, sorted(
        (k, v) for k, v in result.stats.items() if "refused" in k or "render" in k)
