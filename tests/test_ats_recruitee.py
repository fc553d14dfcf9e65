"""Recruitee: the parser on the real corpus offers, detect() on URL forms, probes."""
from __future__ import annotations

import json

import pytest
from scrapy.http import TextResponse

from jobos.ats import detect_url, recruitee
from jobos.ats.base import BadResponse, BoardContext
from tests.corpus import corpus_files

CTX = BoardContext(company="Acme")


def _files():
    try:
        return corpus_files("recruitee", ".json")
    except (pytest.skip.Exception, pytest.fail.Exception):
        return []


def test_corpus_has_recruitee_files():
    assert corpus_files("recruitee", ".json")


@pytest.mark.parametrize("path", _files(), ids=lambda p: p.name)
def test_every_offer_is_parsed(path):
    data = json.loads(path.read_text(encoding="utf-8"))
    board = recruitee.detect("https://acme.recruitee.com/")
    items = recruitee.parse_offers_json(data, board, CTX)
    assert len(items) == len(data["offers"])
    for item, offer in zip(items, data["offers"]):
        assert item["external_id"] == str(offer["id"])
        assert item["title"] == offer["title"].strip()
        assert item["url"] == offer["careers_url"]
        assert item["apply_url"] == offer["careers_apply_url"]
        assert item["location"] == offer["location"]
        assert item["country"] == offer["country_code"]
        assert item["city"] == offer["city"]
        assert item["employment_type"] == offer["employment_type_code"]
        assert item["department"] == offer["department"]
        assert item["posted_at"].startswith(offer["published_at"][:10]) and "T" in item["posted_at"]
        assert offer["description"] in item["description_html"]
        expected_flag = ("remote" if offer["remote"] else "hybrid" if offer["hybrid"]
                         else "onsite" if offer["on_site"] else None)
        assert item.get("remote_flag") == expected_flag
        if offer.get("salary") and offer["salary"].get("min"):
            assert item["salary_min"] == float(offer["salary"]["min"])
            assert item["salary_max"] == float(offer["salary"]["max"])
            assert item["salary_currency"] == offer["salary"]["currency"]
            assert item["salary_period"] == offer["salary"]["period"].upper()


@pytest.mark.parametrize("url,sub", [
    ("https://acme.recruitee.com/", "acme"),
    ("https://acme.recruitee.com/o/senior-financial-accountant", "acme"),
    ("https://acme.recruitee.com/api/offers/", "acme"),
    ("https://Acme-Labs.recruitee.com/o/x/c/new", "acme-labs"),
])
def test_detect_url_forms(url, sub):
    board = recruitee.detect(url)
    assert board.token == sub and board.host == f"{sub}.recruitee.com"
    assert detect_url(url) == board


@pytest.mark.parametrize("url", [
    "https://careers-analytics.recruitee.com/x",  # seen on a real Recruitee page: a service host
    "https://recruitee.com/", "https://www.recruitee.com/en/", "https://careers.recruiteecdn.com/image/x.png",
    "https://careers.hostaway.com/o/account-executive",  # custom domain: no slug in the URL
])
def test_detect_refuses_service_hosts(url):
    assert recruitee.detect(url) is None


def _response(req, body, status=200):
    return TextResponse(req.url, status=status, body=body, request=req,
                        headers={"Content-Type": "application/json"})


def test_start_probe_and_bad_bodies():
    path = _files()[0]
    board = recruitee.detect("https://acme.recruitee.com")
    (req,) = list(recruitee.start(board, CTX))
    assert req.url == "https://acme.recruitee.com/api/offers/"
    preq = recruitee.probe("Acme", CTX)
    (res,) = list(preq.callback(_response(preq, path.read_bytes()), **preq.cb_kwargs))
    data = json.loads(path.read_text())
    assert res.job_count == len(data["offers"])
    assert res.names == sorted({o["company_name"] for o in data["offers"]})
    assert "acme.com" in res.domains  # careers_url on the company's own domain
    (res,) = list(preq.callback(_response(preq, b"<html>Not found</html>", 404), **preq.cb_kwargs))
    assert res.job_count == 0
    with pytest.raises(BadResponse):
        list(req.callback(_response(req, b'{"offers": [{"id": 1'), **req.cb_kwargs))
