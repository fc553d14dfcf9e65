"""JOIN: company page and jobs API parsers on answers in the documented shape, detect().

No recorded JOIN answer exists in the corpus; the shapes follow open job collectors that read
join.com, so this module is not yet checked against a real response.
"""
from __future__ import annotations

import json

import pytest
from scrapy.http import HtmlResponse, TextResponse

from jobos.ats import detect_url, join
from jobos.ats.base import BadResponse, BoardContext

CTX = BoardContext(company="Acme")
COMMON = {"company": "Acme", "company_domain": None, "source": "join", "method": "api",
          "extraction_pending": False, "board": "join:nordwerk"}


def _next_page(props) -> str:
    return ('<html><script id="__NEXT_DATA__" type="application/json">'
            + json.dumps({"props": {"pageProps": props}}) + "</script></html>")


def test_company_page():
    assert join.company_id(_next_page({"initialState": {"company": {"id": 424242, "name": "N"}}})) == "424242"
    assert join.company_id(_next_page({"statusCode": 410})) is None
    for bad in ("<html>no data</html>", _next_page({"initialState": {}}),
                '<script id="__NEXT_DATA__">{"props": </script>'):
        with pytest.raises(BadResponse):
            join.company_id(bad)


def test_jobs_page_every_field():
    data = {"items": [
        {"id": 9100002, "idParam": "9100002-senior-backend-engineer", "title": "Senior Backend Engineer (m/w/d)",
         "city": {"cityName": "München", "regionName": "Bayern", "countryName": "Germany"},
         "category": {"id": 101, "name": "Engineering"}, "employmentType": {"id": 1, "name": "Full-time"},
         "workplaceType": "ONSITE", "createdAt": "2026-10-11T09:00:00.000Z",
         "salaryAmountFrom": {"amount": 6500000, "currency": "EUR"},
         "salaryAmountTo": {"amount": 8000000, "currency": "EUR"}},
        {"id": 9100001, "idParam": "9100001-werkstudent-marketing", "title": "Werkstudent Marketing (m/w/d)",
         "city": {"cityName": "Berlin", "regionName": "Berlin", "countryName": "Germany"},
         "category": {"name": "Marketing"}, "employmentType": {"name": "Working Student"},
         "workplaceType": "HYBRID", "createdAt": "2026-10-10T09:00:00.000Z",
         "salaryAmountFrom": None, "salaryAmountTo": None},
        {"id": 9100009, "title": "Fahrer", "city": None},
        {"id": 9100010},
    ], "pagination": {"page": 1, "pageSize": 5, "pageCount": 3, "rowCount": 12}}
    items, pages = join.parse_jobs_json(data, join.board_for("nordwerk"), CTX)
    assert pages == 3
    got = [{k: v for k, v in i.items() if k != "scraped_at"} for i in items]
    assert got == [
        {**COMMON, "external_id": "9100002", "title": "Senior Backend Engineer (m/w/d)",
         "url": "https://join.com/companies/nordwerk/9100002-senior-backend-engineer",
         "location": "München, Bayern, Germany", "locations": ["München, Bayern, Germany"],
         "city": "München", "region": "Bayern", "country": "DE", "remote_flag": "ONSITE",
         "employment_type": "Full-time", "department": "Engineering", "posted_at": "2026-10-11T09:00:00.000Z",
         "salary_min": 65000.0, "salary_max": 80000.0, "salary_currency": "EUR"},
        {**COMMON, "external_id": "9100001", "title": "Werkstudent Marketing (m/w/d)",
         "url": "https://join.com/companies/nordwerk/9100001-werkstudent-marketing",
         "location": "Berlin, Berlin, Germany", "locations": ["Berlin, Berlin, Germany"],
         "city": "Berlin", "region": "Berlin", "country": "DE", "remote_flag": "HYBRID",
         "employment_type": "Working Student", "department": "Marketing",
         "posted_at": "2026-10-10T09:00:00.000Z"},
        {**COMMON, "external_id": "9100009", "title": "Fahrer", "url": "https://join.com/companies/nordwerk/9100009"},
    ]
    with pytest.raises(BadResponse):
        join.parse_jobs_json({"data": []}, join.board_for("nordwerk"), CTX)


@pytest.mark.parametrize("url", ["https://join.com/companies/nordwerk",
                                 "https://join.com/companies/Nordwerk/9100002-senior-backend-engineer",
                                 "https://www.join.com/companies/nordwerk?pid=1"])
def test_detect_url_forms(url):
    board = join.detect(url)
    assert (board.key, board.url) == ("join:nordwerk", "https://join.com/companies/nordwerk")
    assert detect_url(url) == board


@pytest.mark.parametrize("url", ["https://join.com/", "https://join.com/companies/embed",
                                 "https://join.com/api/public/companies/42/jobs", "https://joinus.com/companies/x"])
def test_detect_refuses_other_urls(url):
    assert join.detect(url) is None


def test_requests_paging_and_max_jobs():
    (req,) = list(join.start(join.board_for("nordwerk"), CTX))
    assert req.url == "https://join.com/companies/nordwerk"
    page = HtmlResponse(req.url, body=_next_page({"initialState": {"company": {"id": 42}}}).encode(), request=req)
    (api,) = list(req.callback(page, **req.cb_kwargs))
    assert api.url == "https://join.com/api/public/companies/42/jobs?locale=en-us&page=1&pageSize=5"
    body = json.dumps({"items": [{"id": 1, "title": "A"}], "pagination": {"pageCount": 3}}).encode()
    out = list(api.callback(TextResponse(api.url, body=body, request=api), **api.cb_kwargs))
    assert [o["title"] for o in out[:1]] == ["A"]
    assert [o.url for o in out[1:]] == [api.url.replace("page=1", "page=2"), api.url.replace("page=1", "page=3")]
    later = out[1]
    assert list(later.callback(TextResponse(later.url, body=body, request=later), **later.cb_kwargs))[1:] == []
    (api,) = list(join.parse_company_page(page, join.board_for("nordwerk"), BoardContext(company="A", max_jobs=5)))
    assert len(list(api.callback(TextResponse(api.url, body=body, request=api), **api.cb_kwargs))) == 1
