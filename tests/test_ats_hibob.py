"""HiBob: the job-ad feed parser on an answer in the documented shape, detect(), the request.

No recorded answer exists in the corpus; the feed follows the shape open job collectors read
(one checked against a live board), so this module is not yet checked against a real response.
"""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from scrapy.http import TextResponse

from jobos.ats import detect_url, hibob
from jobos.ats.base import BadResponse, BoardContext

CTX = BoardContext(company="Acme")
FEED = json.loads((Path(__file__).parent / "web" / "data" / "hibob" / "fromagerie.json").read_text())["feed"]
COMMON = {"company": "Acme", "company_domain": None, "source": "hibob", "method": "api",
          "extraction_pending": False, "board": "hibob:fromagerie"}
J = "https://fromagerie.careers.hibob.com/jobs/"


def test_every_ad_every_field():
    items = hibob.parse_feed_json(FEED, hibob.board_for("fromagerie"), CTX)
    got = {i["external_id"]: {k: v for k, v in i.items() if k != "scraped_at"} for i in items}
    a, b, c = "11111111-aaaa-4aaa-8aaa-111111111111", "22222222-bbbb-4bbb-8bbb-222222222222", "33333333-cccc-4ccc-8ccc-333333333333"
    assert got[a] == {**COMMON, "external_id": a, "title": "Développeur Full Stack", "url": J + a,
                      "apply_url": J + a + "/apply", "location": "Lyon, France", "locations": ["Lyon, France"],
                      "country": "FR", "remote_flag": "hybrid", "employment_type": "Full-time",
                      "department": "Produit & Tech", "posted_at": "2026-10-28T09:00:00.000Z",
                      "salary_min": 45000.0, "salary_max": 55000.0, "salary_currency": "EUR", "salary_period": "YEAR",
                      "description_html": "<p>Rejoignez notre équipe produit.</p>\n<h3>Missions</h3>\n"
                                          "<ul><li>Construire nos outils</li></ul>\n<h3>Profil recherché</h3>\n"
                                          "<ul><li>3 ans d'expérience</li></ul>\n<h3>Avantages</h3>\n<p>Tickets restaurant</p>"}
    assert got[b] == {**COMMON, "external_id": b, "title": "Account Manager DACH", "url": J + b,
                      "apply_url": J + b + "/apply", "location": "Berlin, Germany", "locations": ["Berlin, Germany"],
                      "country": "DE", "remote_flag": "remote", "employment_type": "Full-time", "department": "Sales",
                      "posted_at": "2026-11-02T09:00:00.000Z",
                      "description_html": "<p>Grow our cheese shops in Germany.</p>"}
    assert got[c] == {**COMMON, "external_id": c, "title": "Affineur (H/F)", "url": J + c,
                      "apply_url": J + c + "/apply", "location": "Annecy, France", "locations": ["Annecy, France"],
                      "country": "FR", "remote_flag": "on_site", "employment_type": "Part-time",
                      "department": "Production", "posted_at": "2026-09-15T09:00:00.000Z",
                      "salary_min": 14.5, "salary_max": 16.0, "salary_currency": "EUR", "salary_period": "HOUR",
                      "description_html": "<p>Soignez nos meules.</p>"}


@pytest.mark.parametrize("url", ["https://fromagerie.careers.hibob.com/",
                                 "https://Fromagerie.careers.hibob.com/jobs/cd4065b4-630c-40e2-a7ed-d19bba19adbf/apply",
                                 "https://fromagerie.careers.hibob.com/api/job-ad"])
def test_detect_url_forms(url):
    board = hibob.detect(url)
    assert (board.key, board.url) == ("hibob:fromagerie", "https://fromagerie.careers.hibob.com/jobs")
    assert detect_url(url) == board


@pytest.mark.parametrize("url", ["https://careers.hibob.com/", "https://fromagerie.hibob.com/",
                                 "https://fromagerie.careers.hibob.com.evil.example/", "https://www.hibob.com/careers"])
def test_detect_refuses_other_urls(url):
    assert hibob.detect(url) is None


def test_request_names_the_company_and_odd_answers():
    (req,) = list(hibob.start(hibob.board_for("fromagerie"), CTX))
    assert req.url == "https://fromagerie.careers.hibob.com/api/job-ad"
    assert req.headers["companyIdentifier"] == b"fromagerie"
    assert req.headers["Referer"] == b"https://fromagerie.careers.hibob.com/"
    resp = lambda body, status=200: TextResponse(req.url, status=status, body=body, request=req)  # noqa: E731
    assert list(req.callback(resp(b"<html>401</html>", 401), **req.cb_kwargs)) == []
    with pytest.raises(BadResponse):
        list(req.callback(resp(b'{"nope": 1}'), **req.cb_kwargs))
    with pytest.raises(BadResponse):
        list(req.callback(resp(json.dumps(FEED).encode()[:80]), **req.cb_kwargs))
