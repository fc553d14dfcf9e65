"""Pinning a company's board or careers page ("Wrong page?"): checked before it is saved.

A pin must name a known ATS that answers with live jobs, or a URL that answers with a readable
page, fetched through the egress guard (no loopback, private or metadata address, each redirect
checked); a refusal is a 422 with a sentence, and the company is left as it was. A saved pin
stores the board key the crawl produces, so the next crawl of the company keeps one card.
"""
from __future__ import annotations

from urllib.parse import urlsplit

import pytest

from api.testing import assert_error_shape
from tests.apptest import backend_app, bearer, close_app, store  # noqa: F401 - store: a fixture
from tests.crawl import run_crawl
from tests.pg import pg_cluster, pg_url, store_backend  # noqa: F401
from tests.test_crawl_monitor import ScriptedCluster
FAKE_DNS = {
    "careers.loopback-pin-standin.com": ["127.0.0.1"],
    "metadata.flaky-standin-co.com": ["169.254.169.254"],
    "intranet.flaky-standin-co.com": ["10.1.2.3"],
}


def fake_resolver(host: str) -> list[str]:
    """Resolver for JOBOS_RESOLVER: the private answers above, a public one for any other name."""
    return FAKE_DNS.get(host, ["93.184.216.34"])


def use_standin(monkeypatch, web) -> None:
    """Send the API's pin checks through the stand-in web, names resolved by fake_resolver."""
    for key, value in web.env().items():
        monkeypatch.setenv(key, value)
    monkeypatch.setenv("JOBOS_RESOLVER", f"{__name__}.fake_resolver")


@pytest.fixture()
def app(store_backend, web, monkeypatch):
    use_standin(monkeypatch, web)
    app = backend_app(store_backend)
    app.extensions["jobos_crawls"].cluster = ScriptedCluster()
    yield app
    close_app(app)


@pytest.fixture()
def admin(app, store):
    return bearer(app, store, "admin@example.org", "admin")


def _wrong_card(store) -> int:
    """A card discovery got wrong: Northwind Traders on someone else's board."""
    return store.upsert_company("Northwind Traders", None, "greenhouse:wrongco",
                                "https://job-boards.greenhouse.io/wrongco", "slug probe")


def _refused(app, admin, cid: int, body: dict) -> dict:
    err = assert_error_shape(app.test_client().patch(f"/api/companies/{cid}", json=body, headers=admin), 422)
    field = next(iter(body))
    assert err["message"].startswith(f"{field}: ") and err["message"].endswith("."), err
    assert err["detail"] == [{"field": field, "reason": err["message"][len(field) + 2:], "location": "body"}]
    assert "Field required" not in err["message"] and "Input should" not in err["message"]
    return err


def _unchanged(store, cid: int) -> None:
    company = store.get_company(cid)
    assert company["board"] == "greenhouse:wrongco" and not company["pinned"], company
    assert company["careers_url"] == "https://job-boards.greenhouse.io/wrongco"


def test_an_unknown_ats_is_refused_with_a_sentence(app, store, admin):
    cid = _wrong_card(store)
    err = _refused(app, admin, cid, {"board": "nosuchats:foo"})
    assert "'nosuchats' is not a job board system JobOS reads" in err["message"]
    assert "greenhouse" in err["message"]  # it names the systems that are known
    _unchanged(store, cid)


def test_a_board_that_does_not_answer_with_jobs_is_refused(app, store, admin, web):
    cid = _wrong_card(store)
    err = _refused(app, admin, cid, {"board": "greenhouse:nosuchboard"})
    assert err["message"] == "board: greenhouse has no board named 'nosuchboard'."
    # It was asked, through the stand-in web, of the board's own API.
    assert any("boards-api.greenhouse.io/v1/boards/nosuchboard" in e["url"] for e in web.requests_seen())
    _unchanged(store, cid)


@pytest.mark.parametrize("url, words", [
    ("http://127.0.0.1:9/careers", "points to this machine"),
    ("https://careers.loopback-pin-standin.com/jobs", "resolves to this machine"),
    ("http://169.254.169.254/latest/meta-data/", "points to a link-local address"),
    ("https://metadata.flaky-standin-co.com/latest/", "resolves to a link-local address"),
    ("https://intranet.flaky-standin-co.com/jobs", "resolves to a private network address"),
])
def test_a_url_to_an_internal_address_is_refused_before_any_request(app, store, admin, web, url, words):
    cid = _wrong_card(store)
    err = _refused(app, admin, cid, {"careers_url": url})
    assert words in err["message"] and "never fetches" in err["message"], err
    host = urlsplit(url).hostname
    assert not [e for e in web.requests_seen() if urlsplit(e["url"]).hostname == host]
    _unchanged(store, cid)


def test_a_redirect_to_a_private_address_is_refused(app, store, admin, web):
    cid = _wrong_card(store)
    # The stand-in page answers 302 to the cloud metadata address.
    err = _refused(app, admin, cid, {"careers_url": "https://www.flaky-standin-co.com/jobs/moved-2/"})
    assert "http://169.254.169.254/latest/meta-data/ points to a link-local address" in err["message"], err
    seen = {urlsplit(e["url"]).hostname for e in web.requests_seen()}
    assert "www.flaky-standin-co.com" in seen and "169.254.169.254" not in seen
    _unchanged(store, cid)


def test_a_page_that_is_not_there_is_refused(app, store, admin):
    cid = _wrong_card(store)
    err = _refused(app, admin, cid, {"careers_url": "https://www.northwind.dk/no-such-page"})
    assert "answered HTTP 404" in err["message"]
    _unchanged(store, cid)


def test_a_live_board_is_saved_and_the_next_crawl_keeps_one_card(app, store, admin, web, store_backend):
    cid = _wrong_card(store)
    resp = app.test_client().patch(f"/api/companies/{cid}", json={"board": "greenhouse:northwind"}, headers=admin)
    assert resp.status_code == 200, resp.get_json()
    company = resp.get_json()
    # The board key the crawl produces, and the board's page for the card's "Find jobs".
    assert company["board"] == "greenhouse:northwind" and company["pinned"] is True
    assert company["careers_url"] == "https://job-boards.greenhouse.io/northwind"
    # The card's re-crawl: its name and careers page, into the same store.
    env = {"DATABASE_URL": store_backend["database_url"]} if store_backend["database_url"] else {}
    result = run_crawl(web, company="Northwind Traders", careers_url=company["careers_url"],
                       data_dir=store_backend["data_dir"], env=env)
    assert result.returncode == 0, result.stderr[-2000:]
    assert len(result.items) == 4
    cards = store.list_companies(q="northwind")["items"]
    assert [c["id"] for c in cards] == [cid], cards
    assert cards[0]["open_jobs"] == 4 and cards[0]["board"] == "greenhouse:northwind"


def test_a_page_that_embeds_a_board_keeps_one_card_on_the_next_crawl(app, store, admin, web, store_backend):
    cid = store.upsert_company("Fjord Labs", None, "greenhouse:wrongco", "https://job-boards.greenhouse.io/wrongco")
    page = "https://www.fjordlabs.no/karriere/"  # the company's page; it embeds its Greenhouse board
    resp = app.test_client().patch(f"/api/companies/{cid}", json={"careers_url": page}, headers=admin)
    assert resp.status_code == 200, resp.get_json()
    assert resp.get_json()["board"] == "greenhouse:fjordlabs" and resp.get_json()["careers_url"] == page
    env = {"DATABASE_URL": store_backend["database_url"]} if store_backend["database_url"] else {}
    result = run_crawl(web, company="Fjord Labs", careers_url=page, data_dir=store_backend["data_dir"], env=env)
    assert result.returncode == 0 and result.items, result.stderr[-2000:]
    cards = store.list_companies(q="fjord")["items"]
    assert [c["id"] for c in cards] == [cid], cards
    assert cards[0]["open_jobs"] == len(result.items)


def test_a_board_url_is_checked_through_its_api_and_a_site_gets_its_site_board(app, store, admin, web):
    cid = _wrong_card(store)
    client = app.test_client()
    resp = client.patch(f"/api/companies/{cid}", json={"careers_url": "https://jobs.eu.lever.co/kitewave"},
                        headers=admin)
    assert resp.status_code == 200, resp.get_json()
    assert resp.get_json()["board"] == "lever:kitewave"
    assert any(urlsplit(e["url"]).hostname == "api.eu.lever.co" for e in web.requests_seen())
    resp = client.patch(f"/api/companies/{cid}", json={"careers_url": "https://www.northwind.dk/"}, headers=admin)
    assert resp.status_code == 200, resp.get_json()
    assert resp.get_json()["board"] == "website:northwind.dk/northwind traders"
    assert resp.get_json()["careers_url"] == "https://www.northwind.dk/"


def test_a_user_who_did_not_add_the_company_cannot_pin_and_nothing_is_fetched(app, store, web):
    other = bearer(app, store, "other@example.org", "user")
    cid = _wrong_card(store)
    assert_error_shape(app.test_client().patch(f"/api/companies/{cid}", json={"board": "greenhouse:northwind"},
                                               headers=other), 403)
    assert not web.requests_seen()
    _unchanged(store, cid)
