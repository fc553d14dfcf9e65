"""HiBob (bob) careers sites: the public job-ad feed ({company}.careers.hibob.com/api/job-ad).

Format from open code that reads it (several open job collectors, one checked against a live
board): GET /api/job-ad with the `companyIdentifier: <company>` header (and a same-origin
Referer) answers {filterGroups, jobAdDetails: [{id, title, department, employmentType, site,
country, description, requirements, responsibilities, benefits, sectionLabels, publishedAt,
workspaceTypeId (remote, hybrid, on_site), payTransparencyMinSalary/MaxSalary/SalaryCurrency/
SalaryPayPeriod}]}; an unknown company answers 401. Every job with its text in one request; no
paging. A job's page is /jobs/<id>, its application /jobs/<id>/apply. Not yet checked against a
recorded answer.
"""
from __future__ import annotations

import logging
import re
from html import escape
from typing import Any, Iterable
from urllib.parse import quote, urlsplit

import scrapy
from scrapy.http import Response

from jobos.ats import base
from jobos.ats.base import Board, BoardContext
from jobos.items import JobItem
from jobos.normalize.countries import country_code

logger = logging.getLogger(__name__)

NAME = "hibob"
HOSTS = (".careers.hibob.com",)
URL_SHAPES = (
    "https://acme.careers.hibob.com/jobs",
    "https://acme.careers.hibob.com/jobs/12345",
    "https://acme.careers.hibob.com/api/job-ad",
)
PATHS: tuple[str, ...] = ()
EMBED_MARKERS: tuple[tuple[str, str], ...] = ()
FIELDS = ("external_id", "title", "url", "apply_url", "location", "country", "workplace",
          "employment_type", "department", "salary_min", "salary_max", "salary_currency",
          "salary_period", "posted_at", "description_html")

_SUB = re.compile(r"^[a-z0-9][a-z0-9-]*$")
_PERIODS = {"YEARLY": "YEAR", "ANNUAL": "YEAR", "YEAR": "YEAR", "MONTHLY": "MONTH", "MONTH": "MONTH",
            "WEEKLY": "WEEK", "WEEK": "WEEK", "DAILY": "DAY", "DAY": "DAY", "HOURLY": "HOUR", "HOUR": "HOUR"}
_SECTIONS = ("responsibilities", "requirements", "benefits")


def board_for(sub: str) -> Board | None:
    """Return the Board of a HiBob careers subdomain, or None."""
    sub = (sub or "").lower()
    if not _SUB.match(sub) or sub in ("www", "app", "api"):
        return None
    host = f"{sub}.careers.hibob.com"
    return Board(NAME, sub, f"https://{host}/jobs", host=host)


def detect(url: str) -> Board | None:
    """Return the Board of a HiBob careers, job or feed URL, or None."""
    try:
        host = (urlsplit(url.strip()).hostname or "").lower()
    except ValueError:
        return None
    if host.endswith(HOSTS[0]) and host.count(".") == 3:
        return board_for(host.split(".", 1)[0])
    return None


def start(board: Board, ctx: BoardContext) -> Iterable[scrapy.Request]:
    """Yield the one request that lists every job ad (the feed wants the company named)."""
    request = base.api_request(f"https://{board.host}/api/job-ad", parse_feed, board, ctx,
                               headers={"companyIdentifier": board.token,
                                        "Referer": f"https://{board.host}/"})
    request.meta["handle_httpstatus_list"] = [401]
    yield request


def _description(ad: dict[str, Any]) -> str | None:
    labels = base.as_dict(ad.get("sectionLabels"))
    parts = [base.as_str(ad.get("description"))]
    for key in _SECTIONS:
        body = base.as_str(ad.get(key))
        if not body:
            continue
        label = base.as_str(labels.get(key), strip=True) or key.capitalize()
        parts += [f"<h3>{escape(label, quote=False)}</h3>", body]
    return "\n".join(p for p in parts if p) or None


def _salary(ad: dict[str, Any]) -> dict[str, Any]:
    low = base.as_number(ad.get("payTransparencyMinSalary"))
    high = base.as_number(ad.get("payTransparencyMaxSalary"))
    if low is None and high is None:
        return {}
    period = str(ad.get("payTransparencySalaryPayPeriod") or "").upper()
    return {"salary_min": low, "salary_max": high,
            "salary_currency": base.as_str(ad.get("payTransparencySalaryCurrency"), strip=True),
            "salary_period": _PERIODS.get(period)}


def parse_ad(ad: Any, board: Board, ctx: BoardContext) -> JobItem | None:
    """Return the JobItem of one job ad, or None without id or title."""
    if not isinstance(ad, dict):
        return None
    ad_id, title = base.as_str(ad.get("id"), strip=True), base.as_str(ad.get("title"), strip=True)
    if not ad_id or not title:
        return None
    site, country = base.as_str(ad.get("site"), strip=True), base.as_str(ad.get("country"), strip=True)
    location = ", ".join(dict.fromkeys(p for p in (site, country) if p)) or None
    url = f"https://{board.host}/jobs/{quote(ad_id, safe='-')}"
    return base.new_job(
        board, ctx,
        external_id=ad_id,
        title=title,
        url=url,
        apply_url=f"{url}/apply",
        location=location,
        locations=[location] if location else None,
        country=country_code(country),
        remote_flag=base.as_str(ad.get("workspaceTypeId"), strip=True),
        employment_type=base.as_str(ad.get("employmentType"), strip=True),
        department=base.as_str(ad.get("department"), strip=True),
        posted_at=base.as_str(ad.get("publishedAt"), strip=True),
        description_html=_description(ad),
        **_salary(ad),
    )


def parse_feed_json(data: Any, board: Board, ctx: BoardContext) -> list[JobItem]:
    """Return the JobItems of a job-ad answer."""
    if not isinstance(data, dict) or not isinstance(data.get("jobAdDetails"), list):
        raise base.BadResponse("HiBob answer has no jobAdDetails list")
    return base.parse_each(data["jobAdDetails"], lambda ad: parse_ad(ad, board, ctx), board, ctx,
                           what="job ad")


def parse_feed(response: Response, board: Board, ctx: BoardContext) -> Iterable[JobItem]:
    """Yield every job ad of the careers site."""
    if response.status == 401:
        logger.info("hibob %s: the feed answered 401 (no such company)", board.key)
        return
    yield from parse_feed_json(base.load_json(response), board, ctx)
