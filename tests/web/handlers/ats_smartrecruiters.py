"""Stand-in SmartRecruiters Posting API (hand-made boards in tests/web/data/smartrecruiters/).

GET /v1/companies/{id}/postings?offset=&limit=(<=100)&country= and
GET /v1/companies/{id}/postings/{postingId}. An unknown company answers an empty listing, as
the real API does; one board answers 429 once; one posting's detail is truncated JSON.
"""
from __future__ import annotations

import json
import re
from pathlib import Path

from _http import Req, Response, json_response

HOSTS = {"api.smartrecruiters.com", "jobs.smartrecruiters.com", "careers.smartrecruiters.com"}
BOARDS = json.loads((Path(__file__).resolve().parent.parent / "data" / "smartrecruiters" /
                     "boards.json").read_text(encoding="utf-8"))
_LOWER = {k.lower(): k for k in BOARDS}
TITLES = {"companyDescription": "Company Description", "jobDescription": "Job Description",
          "qualifications": "Qualifications", "additionalInformation": "Additional Information"}


def _slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")


def _posting(cid: str, board: dict, p: dict, detail: bool = False) -> dict:
    out = {"id": p["id"], "name": p["name"], "uuid": f"{p['id'][-8:]}-0000-4000-8000-{p['id'][-12:]}",
           "refNumber": f"REF{p['id'][-4:]}", "company": {"identifier": cid, "name": board["name"]},
           "releasedDate": p["releasedDate"],
           "location": {"city": p["city"], "region": p["region"], "country": p["country"],
                        "remote": p["remote"], "hybrid": p["hybrid"], "fullLocation": p["fullLocation"]},
           "department": {"id": str(sum(map(ord, p["department"])) * 1009), "label": p["department"]},
           "typeOfEmployment": {"id": _slug(p["typeOfEmployment"]), "label": p["typeOfEmployment"]},
           "visibility": "PUBLIC",
           "ref": f"https://api.smartrecruiters.com/v1/companies/{cid.lower()}/postings/{p['id']}",
           "language": {"code": "en", "label": "English"}}
    if detail:
        url = f"https://jobs.smartrecruiters.com/{cid}/{p['id']}-{_slug(p['name'])}"
        out.update({"postingUrl": url, "applyUrl": url + "?oga=true", "active": True,
                    "jobAd": {"sections": {k: {"title": TITLES[k], "text": v}
                                           for k, v in p["sections"].items()}}})
    return out


def handle(req: Req, state: dict) -> Response | None:
    if req.path == "/robots.txt":
        if req.host == "api.smartrecruiters.com":
            return Response(200, "User-agent: *\nAllow: /\n", {"content-type": "text/plain"})
        return Response(200, "User-agent: *\nDisallow: /oneclick-ui/\nDisallow: /*?oga=\n",
                        {"content-type": "text/plain"})
    if req.host != "api.smartrecruiters.com":
        return None
    m = re.match(r"^/v1/companies/([^/]+)/postings(?:/([^/]+))?/?$", req.path)
    if not m:
        return json_response({"message": "Not Found"}, 404)
    cid = _LOWER.get(m.group(1).lower())
    board = BOARDS.get(cid) if cid else None
    if board is None:
        if m.group(2):
            return json_response({"message": "Posting not found"}, 404)
        return json_response({"offset": 0, "limit": 100, "totalFound": 0, "content": []})
    if board.get("rate_limit_once") and not state.get(f"sr429:{cid}"):
        state[f"sr429:{cid}"] = True
        return json_response({"message": "Rate limit exceeded"}, 429, {"Retry-After": "1"})
    if m.group(2):
        for p in board["postings"]:
            if p["id"] == m.group(2):
                text = json.dumps(_posting(cid, board, p, detail=True))
                if p["id"] in (board.get("malformed_detail") or []):
                    return Response(200, text[:300], {"content-type": "application/json"})
                return Response(200, text, {"content-type": "application/json"})
        return json_response({"message": "Posting not found"}, 404)
    limit = int(req.arg("limit", "10"))
    offset = int(req.arg("offset", "0"))
    if limit > 100:
        return json_response({"message": "limit must be <= 100"}, 400)
    country = (req.arg("country") or "").lower()
    selected = [p for p in board["postings"] if not country or p["country"] == country]
    return json_response({"offset": offset, "limit": limit, "totalFound": len(selected),
                          "content": [_posting(cid, board, p) for p in selected[offset:offset + limit]]})
