"""Cornerstone: requisitions in the shape open readers describe, the page context, the token."""
from __future__ import annotations

import base64
import json
from datetime import datetime, timezone

import pytest

from jobos.ats import cornerstone, detect_url
from jobos.ats.base import BadResponse, BoardContext

CTX = BoardContext("Acme", crawl_time=datetime(2026, 7, 1, tzinfo=timezone.utc))
BOARD = detect_url("https://hella.csod.com/ux/ats/careersite/3/home?c=hella&country=ro")


def test_requisition_every_field():
    row = {"requisitionId": 5521, "displayJobTitle": "Quality Engineer",
           "locations": [{"city": "Timisoara", "state": "Timis", "country": "RO"}],
           "postingEffectiveDate": "9/30/2026", "externalDescription": "Own the quality plan."}
    assert dict(cornerstone.parse_requisition(row, BOARD, CTX)) == {
        "company": "Acme", "company_domain": None, "source": "cornerstone", "method": "api",
        "board": "cornerstone:hella/3", "scraped_at": "2026-07-01T00:00:00Z", "extraction_pending": False,
        "external_id": "5521", "title": "Quality Engineer",
        "url": "https://hella.csod.com/ux/ats/careersite/3/home/requisition/5521?c=hella",
        "location": "Timisoara, Timis, RO", "locations": ["Timisoara, Timis, RO"], "city": "Timisoara",
        "region": "Timis", "posted_text": "9/30/2026", "description_html": "Own the quality plan."}


def _jwt(claims: dict) -> str:
    enc = lambda o: base64.urlsafe_b64encode(json.dumps(o).encode()).decode().rstrip("=")  # noqa: E731
    return f"{enc({'alg': 'HS256'})}.{enc(claims)}.sig"


def test_page_context_token_and_session_cookie():
    tok = _jwt({"aud": "8c1f2d3e-aaaa-4bbb-9ccc-000000000003"})
    html = f'<script>csod.context={{"token": "{tok}", "endpoints": {{"cloud": "https://uk.api.csod.com/"}}}};\n</script>'
    assert cornerstone.site_context(html) == (tok, "https://uk.api.csod.com/")
    assert cornerstone.token_audience(tok) == "8c1f2d3e-aaaa-4bbb-9ccc-000000000003"
    request = cornerstone._search(BOARD, CTX, tok, "https://uk.api.csod.com/", 1, 0)
    assert request.headers.get("Authorization") == f"Bearer {tok}".encode()
    assert request.headers.get("Cookie") == b"ASP.NET_SessionId=8c1f2d3e-aaaa-4bbb-9ccc-000000000003"
    assert json.loads(request.body)["careerSitePageId"] == 3
    # the token is never sent to a host that is not Cornerstone's API
    evil = html.replace("https://uk.api.csod.com/", "https://collector.example/")
    with pytest.raises(BadResponse):
        cornerstone.site_context(evil)
    with pytest.raises(BadResponse):
        cornerstone.site_context("<html>no context</html>")


def test_detect_url_forms():
    assert BOARD.token == "hella/3"
    assert detect_url("https://gmv.csod.com/ux/ats/careersite/4/home/requisition/77?c=gmv").token == "gmv/4"
    assert detect_url("https://gmv.csod.com/LMS/catalog/Welcome.aspx") is None
    assert detect_url("https://uk.api.csod.com/rec-job-search/external/jobs") is None
