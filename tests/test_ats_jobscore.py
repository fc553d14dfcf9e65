"""JobScore: the feed parser on an answer in the documented shape, detect(), probes.

No recorded answer exists in the corpus; the feed follows JobScore's documented job feed as open
code reads it, so this module is not yet checked against a real response.
"""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from scrapy.http import TextResponse

from jobos.ats import detect_url, jobscore
from jobos.ats.base import BadResponse, BoardContext

CTX = BoardContext(company="Acme")
FEED = json.loads((Path(__file__).parent / "web" / "data" / "jobscore" / "orchardvet.json").read_text())["feed"]
COMMON = {"company": "Acme", "company_domain": None, "source": "jobscore", "method": "api",
          "extraction_pending": False, "board": "jobscore:orchardvet"}
J = "https://careers.jobscore.com/careers/orchardvet/jobs/"


def test_every_job_every_field():
    items = jobscore.parse_feed_json(FEED, jobscore.board_for("orchardvet"), CTX)
    got = [{k: v for k, v in i.items() if k != "scraped_at"} for i in items]
    assert got == [
        {**COMMON, "external_id": "aB3dE5fG7h", "title": "Veterinary Technician",
         "url": J + "veterinary-technician-aB3dE5fG7h", "location": "Portland, OR", "locations": ["Portland, OR"],
         "city": "Portland", "region": "OR", "country": "US", "remote_flag": "onsite", "employment_type": "Full Time",
         "department": "Clinical", "posted_at": "2026-10-12",
         "description_html": "<p>Care for our patients. Learn about us at https://www.orchardvet.com/team</p>",
         "salary_min": 22.0, "salary_max": 28.0, "salary_currency": "USD", "salary_period": "HOUR"},
        {**COMMON, "external_id": "cD4eF6gH8i", "title": "Practice Operations Analyst",
         "url": J + "practice-operations-analyst-cD4eF6gH8i", "location": "Remote - USA", "locations": ["Remote - USA"],
         "country": "US", "remote_flag": "remote", "employment_type": "Full Time", "department": "Operations",
         "posted_at": "2026-11-03", "description_html": "<p>Make our clinics run smoothly.</p>",
         "salary_min": 70000.0, "salary_max": 85000.0, "salary_currency": "USD", "salary_period": "YEAR"},
        {**COMMON, "external_id": "eF5gH7iJ9k", "title": "Relief Veterinarian",
         "url": J + "relief-veterinarian-eF5gH7iJ9k", "location": "Vancouver, BC", "locations": ["Vancouver, BC"],
         "city": "Vancouver", "region": "BC", "country": "CA", "remote_flag": "hybrid", "employment_type": "Contract",
         "department": "Clinical", "posted_at": "2026-09-20",
         "description_html": "<p>Cover shifts across our BC clinics.</p>"},
    ]


def test_yen_amounts_are_whole():
    job = {"id": "y1", "title": "Engineer", "public_salary_minimum": 10000000, "currency_code": "JPY",
           "public_compensation_interval": "year"}
    item = jobscore.parse_job(job, jobscore.board_for("acme"), CTX)
    assert (item["salary_min"], item.get("salary_max"), item["salary_period"]) == (10000000, None, "YEAR")


@pytest.mark.parametrize("url", ["https://careers.jobscore.com/careers/orchardvet",
                                 "https://careers.jobscore.com/careers/OrchardVet/jobs/veterinary-technician-aB3dE5fG7h",
                                 "https://careers.jobscore.com/jobs/orchardvet/feed.json"])
def test_detect_url_forms(url):
    board = jobscore.detect(url)
    assert (board.key, board.url) == ("jobscore:orchardvet", "https://careers.jobscore.com/careers/orchardvet")
    assert detect_url(url) == board


@pytest.mark.parametrize("url", ["https://www.jobscore.com/", "https://careers.jobscore.com/",
                                 "https://careers.jobscore.com/apply_flow/x"])
def test_detect_refuses_other_urls(url):
    assert jobscore.detect(url) is None


def test_start_probe_and_bad_bodies():
    (req,) = list(jobscore.start(jobscore.board_for("orchardvet"), CTX))
    assert req.url == "https://careers.jobscore.com/jobs/orchardvet/feed.json"
    body = json.dumps(FEED).encode()
    resp = lambda r, b, status=200: TextResponse(r.url, status=status, body=b, request=r)  # noqa: E731
    preq = jobscore.probe("Orchard Vet", CTX)
    (res,) = list(preq.callback(resp(preq, body), **preq.cb_kwargs))
    assert (res.job_count, res.names) == (3, ["Orchard Veterinary Partners"])
    assert "orchardvet.com" in res.domains
    (res,) = list(preq.callback(resp(preq, b'{"error": "not found"}', 404), **preq.cb_kwargs))
    assert res.job_count == 0
    with pytest.raises(BadResponse):
        list(req.callback(resp(req, body[:70]), **req.cb_kwargs))
    with pytest.raises(BadResponse):
        list(req.callback(resp(req, b"[]"), **req.cb_kwargs))
