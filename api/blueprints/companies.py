"""Companies: search, one company, pin or replace its board, refresh (re-crawl)."""
from __future__ import annotations

from typing import Any

from flask import Blueprint, jsonify, url_for

from api.auth import current_identity, require
from api.blueprints.scrape import _unavailable
from api.crawls import CrawlUnavailable
from api.errors import ApiError
from api.ext import audit, crawls, store
from api.models import CompaniesPage, CompaniesQuery, Company, CompanyPatch, CrawlAccepted, RefreshRequest
from api.spec import doc, parse_body, parse_query
from jobos.args import CrawlArgs
from jobos.pin import PinRefused, check_pin

bp = Blueprint("companies", __name__, url_prefix="/api/companies")


def _company_or_404(company_id: int) -> dict[str, Any]:
    company = store().get_company(company_id)
    if not company:
        raise ApiError(404, "not_found", f"No company {company_id}")
    return company


def refresh_args(company: dict[str, Any], country: str | None = None) -> CrawlArgs:
    """Return the crawl arguments that re-crawl a known company on its known board."""
    return CrawlArgs(
        company=company["name"],
        country=country,
        careers_url=company.get("careers_url") or None,
    )


PIN_REASON = "chosen by a person (Wrong page?) and checked live"


def checked_pin(careers_url: str | None, board: str | None) -> dict[str, Any]:
    """Return the pin's fields (board key a crawl will produce, careers page), or raise a 422.

    The board must be a known ATS that answers with live jobs, a URL must answer with a
    readable page; both are fetched through the egress guard (jobos.pin). Saving the board key
    the crawl itself produces is what keeps a later crawl on this company's card.
    """
    try:
        pin = check_pin(careers_url, board)
    except PinRefused as exc:
        raise ApiError(422, "validation_error", f"{exc.field}: {exc}",
                       [{"field": exc.field, "reason": str(exc), "location": "body"}]) from None
    return {"board": pin.board, "careers_url": pin.careers_url, "reason": PIN_REASON}


@bp.get("")
@require(None)
@doc("Search companies by name and country", "companies", query=CompaniesQuery, response=CompaniesPage)
def search():
    query = parse_query(CompaniesQuery)
    try:
        page = store().list_companies(q=query.q, country=query.country, limit=query.limit, cursor=query.cursor)
    except ValueError as exc:
        raise ApiError(422, "validation_error", f"cursor: {exc}",
                       [{"field": "cursor", "reason": str(exc), "location": "query"}]) from None
    if isinstance(page, list):  # a store that returns a bare list has no further pages
        page = {"items": page, "next_cursor": None}
    return jsonify(CompaniesPage(items=page["items"], next_cursor=page.get("next_cursor")).model_dump(mode="json"))


@bp.get("/<id:company_id>")
@require(None)
@doc("One company: board, why it was chosen, last crawl, open jobs", "companies", response=Company)
def get_company(company_id: int):
    return jsonify(Company.model_validate(_company_or_404(company_id)).model_dump(mode="json"))


@bp.patch("/<id:company_id>")
@require("user")
@doc("Pin or replace the company's careers page or board (the user who added it, or an admin)",
     "companies", body=CompanyPatch, response=Company, errors=(403, 409))
def patch_company(company_id: int):
    before = _company_or_404(company_id)
    patch = parse_body(CompanyPatch)
    fields = patch.model_dump(exclude_none=True)
    identity = current_identity()
    # The careers page decides whose jobs a refresh reads: only the user who added the
    # company (the requester of the crawl that found it) or an admin may change it.
    if not identity.at_least("admin") and (not before.get("created_by")
                                           or before.get("created_by") != identity.subject):
        audit("company.update_denied", f"company:{company_id}", {"attempted": fields})
        raise ApiError(403, "forbidden",
                       "Only the user who added this company, or an admin, can change its careers page or board")
    if "careers_url" in fields or "board" in fields:
        fields.update(checked_pin(fields.get("careers_url"), fields.get("board")))
        if "pinned" not in fields:
            fields["pinned"] = True  # a person chose this page: discovery must keep it
    try:
        store().update_company(company_id, **fields)
    except ValueError as exc:  # the board or domain is another company's
        raise ApiError(409, "conflict", f"{exc}: a board or domain identifies one company") from None
    audit("company.pin" if fields.get("pinned") else "company.update", f"company:{company_id}",
          {"before": {k: before.get(k) for k in ("careers_url", "board", "pinned")}, "after": fields})
    return jsonify(Company.model_validate(_company_or_404(company_id)).model_dump(mode="json"))


@bp.post("/<id:company_id>/refresh")
@require("user")
@doc("Re-crawl this company now", "companies", body=RefreshRequest, response=CrawlAccepted, status=202, errors=(503,))
def refresh(company_id: int):
    company = _company_or_404(company_id)
    from flask import request

    options = parse_body(RefreshRequest) if request.get_data() else RefreshRequest()
    args = refresh_args(company, options.country)
    try:
        started = crawls().start(args, requested_by=current_identity().subject, source="api")
    except CrawlUnavailable as exc:
        raise _unavailable(exc) from None
    if not started.existing:
        audit("company.refresh", f"company:{company_id}", {"crawl_id": started.crawl_id})
    body = CrawlAccepted(crawl_id=started.crawl_id, status=started.status, existing=started.existing,
                         url=url_for("scrape.get_run", crawl_id=started.crawl_id))
    return jsonify(body.model_dump(mode="json")), 202
