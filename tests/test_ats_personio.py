"""Personio: the XML feed parser on every real corpus feed, detect() on URL forms, probes."""
from __future__ import annotations

import pytest
from lxml import etree
from scrapy.http import XmlResponse

from jobos.ats import detect_url, personio
from jobos.ats.base import BadResponse, BoardContext
from tests.corpus import corpus_files

CTX = BoardContext(company="Acme")


def _files():
    try:
        return corpus_files("personio", ".xml")
    except (pytest.skip.Exception, pytest.fail.Exception):
        return []


def test_corpus_has_personio_files():
    assert len(corpus_files("personio", ".xml")) >= 2


@pytest.mark.parametrize("path", _files(), ids=lambda p: p.name)
def test_every_position_is_parsed(path):
    positions = etree.parse(str(path)).getroot().findall("position")  # README: <position>
    board = personio.detect("https://acme.jobs.personio.de/")
    items = personio.parse_feed_xml(path.read_bytes(), board, CTX)
    assert len(items) == len(positions)
    for item, pos in zip(items, positions):
        job_id = pos.findtext("id").strip()
        assert item["external_id"] == job_id
        assert item["title"] == pos.findtext("name").strip()
        assert item["url"] == f"https://acme.jobs.personio.de/job/{job_id}?language=en"
        assert item["location"] == pos.findtext("office").strip()
        for extra in pos.findall("additionalOffices/office"):
            assert extra.text.strip() in item["locations"]
        assert item.get("department") == ((pos.findtext("department") or "").strip() or None)
        assert item["posted_at"] == pos.findtext("createdAt").strip()
        names = [d.findtext("name").strip() for d in pos.findall("jobDescriptions/jobDescription")]
        for name in names:
            assert f"<h2>{name}</h2>" in item["description_html"]
        salary = pos.find("salaryInformation")
        if salary is not None and (salary.findtext("min") or "").strip():
            assert item["salary_min"] == float(salary.findtext("min"))
            assert item["salary_currency"] == salary.findtext("currencyCode").strip()
            periods = {"yearly": "YEAR", "monthly": "MONTH", "hourly": "HOUR"}
            assert item["salary_period"] == periods.get(salary.findtext("type").strip())


@pytest.mark.parametrize("url,sub,host", [
    ("https://acme.jobs.personio.de/", "acme", "acme.jobs.personio.de"),
    ("https://acme.jobs.personio.com/job/1834171?language=en&display=en", "acme", "acme.jobs.personio.com"),
    ("https://acme-gmbh.jobs.personio.de/xml?language=de", "acme-gmbh", "acme-gmbh.jobs.personio.de"),
])
def test_detect_url_forms(url, sub, host):
    board = personio.detect(url)
    assert (board.token, board.host) == (sub, host)
    assert detect_url(url) == board


@pytest.mark.parametrize("url", ["https://acme.personio.de/login", "https://www.personio.de/",
                                 "https://jobs.personio.de/"])
def test_detect_refuses_non_boards(url):
    assert personio.detect(url) is None


def _response(req, body, status=200):
    return XmlResponse(req.url, status=status, body=body, request=req)


def test_language_follows_the_country_and_probe_reads_subcompanies():
    board = personio.detect("https://acme.jobs.personio.de")
    (req,) = list(personio.start(board, BoardContext(company="Acme", country="DE")))
    assert req.url == "https://acme.jobs.personio.de/xml?language=de"
    path = [p for p in _files() if "positions" in p.name][0]
    preq = personio.probe("acme", CTX)
    (res,) = list(preq.callback(_response(preq, path.read_bytes()), **preq.cb_kwargs))
    subs = {(p.findtext("subcompany") or "").strip() for p in etree.parse(str(path)).getroot().findall("position")}
    assert res.job_count == len(res.items) > 0 and set(res.names) == subs - {""}
    (res,) = list(preq.callback(_response(preq, b"<html><body>Page not found</body></html>", 404), **preq.cb_kwargs))
    assert res.job_count == 0


@pytest.mark.parametrize("body", [
    b"<workzag-jobs><position><id>1</id><name>Cut",
    b"<html><body>maintenance</body></html>",
    b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]><workzag-jobs><position><id>1</id><name>&a;</name></position></workzag-jobs>',
])
def test_malformed_or_hostile_feeds(body):
    board = personio.detect("https://acme.jobs.personio.de")
    (req,) = list(personio.start(board, CTX))
    try:
        items = list(req.callback(_response(req, body), **req.cb_kwargs))
    except BadResponse:
        return
    assert all("aaaa" not in (i.get("title") or "") for i in items)  # entities never expanded
