"""Crawl runs: start one or many, follow, cancel."""
from __future__ import annotations

import csv
import io
import logging
from typing import Any

from flask import Blueprint, jsonify, request, url_for
from pydantic import ValidationError

from api.auth import current_identity, require, visible_run
from api.crawls import CrawlUnavailable
from api.errors import ApiError, validation_detail
from api.ext import audit, crawls, store
from api.models import (
    BatchAccepted,
    BatchItemResult,
    BatchRequest,
    CrawlAccepted,
    CrawlRun,
    CrawlRunList,
    CrawlRunsQuery,
    ErrorDetail,
    ScrapeCompanyRequest,
)
from api.spec import doc, parse_body, parse_query

logger = logging.getLogger(__name__)
bp = Blueprint("scrape", __name__, url_prefix="/api/scrape")

CSV_FIELDS = ("company", "country", "careers_url", "max_jobs", "render")


def _run_or_404(crawl_id: int) -> dict[str, Any]:
    run = store().get_crawl_run(crawl_id)
    if not run:
        raise ApiError(404, "not_found", f"No crawl run {crawl_id}")
    return run


def _unavailable(exc: CrawlUnavailable) -> ApiError:
    return ApiError(
        503, "scrapyd_unavailable",
        "No scrapyd node is available, so the crawl could not start; the crawl run is marked failed. "
        "Start scrapyd (jobos serve) or check JOBOS_SCRAPYD_URLS.",
        {"crawl_id": exc.crawl_id, "reason": exc.message},
        headers={"Retry-After": "30"},
    )


@bp.post("/company")
@require("user")
@doc("Start a crawl of one company (or get the one already running)", "scrape",
     body=ScrapeCompanyRequest, response=CrawlAccepted, status=202, errors=(503,))
def start_company():
    args = parse_body(ScrapeCompanyRequest)
    identity = current_identity()
    try:
        started = crawls().start(args, requested_by=identity.subject, source="api")
    except CrawlUnavailable as exc:
        audit("crawl.trigger_failed", f"crawl:{exc.crawl_id}", {"company": args.company, "country": args.country})
        raise _unavailable(exc) from None
    if not started.existing:
        audit("crawl.trigger", f"crawl:{started.crawl_id}", {"company": args.company, "country": args.country})
    body = CrawlAccepted(
        crawl_id=started.crawl_id, status=started.status, existing=started.existing,
        url=url_for("scrape.get_run", crawl_id=started.crawl_id),
    )
    return jsonify(body.model_dump(mode="json")), 202


def _batch_items() -> list[Any]:
    """Return the batch's raw entries from a JSON list/object or a CSV body."""
    if request.mimetype in ("text/csv", "application/csv"):
        try:
            text = request.get_data().decode("utf-8-sig")
        except UnicodeDecodeError:
            raise ApiError(400, "bad_request", "The CSV body must be UTF-8") from None
        reader = csv.DictReader(io.StringIO(text, newline=""))
        try:
            if not reader.fieldnames or "company" not in [f.strip() for f in reader.fieldnames]:
                raise ApiError(
                    422, "validation_error", "csv: needs a header row with a 'company' column",
                    [{"field": "company", "reason": "missing column", "location": "body"}],
                )
            rows = []
            for row in reader:
                rows.append({k.strip(): (v or "").strip() for k, v in row.items()
                             if k and k.strip() in CSV_FIELDS and isinstance(v, str) and v})
        except csv.Error as exc:  # a malformed body is the caller's mistake: 422, never 500
            raise ApiError(422, "validation_error", f"csv: the body is not readable CSV ({exc})",
                           [{"field": "body", "reason": "not readable CSV", "location": "body"}]) from None
        return rows
    if not request.is_json:
        raise ApiError(415, "unsupported_media_type", "Send JSON (a list, or {\"companies\": [...]}) or text/csv")
    data = request.get_json(silent=True)
    if isinstance(data, dict):
        data = data.get("companies")
    if not isinstance(data, list):
        raise ApiError(
            422, "validation_error", "companies: must be a list of companies",
            [{"field": "companies", "reason": "must be a list", "location": "body"}],
        )
    return data


@bp.post("/batch")
@require("user")
@doc("Start one crawl per company, from a JSON list or a CSV file", "scrape",
     body=BatchRequest, response=BatchAccepted, status=202,
     body_content={"text/csv": {"schema": {"type": "string", "description": "Header: company,country,careers_url"}}})
def start_batch():
    from flask import current_app

    raw = _batch_items()
    limit = int(current_app.config["BATCH_MAX"])
    if not raw:
        raise ApiError(422, "validation_error", "companies: the list is empty",
                       [{"field": "companies", "reason": "empty", "location": "body"}])
    if len(raw) > limit:
        raise ApiError(422, "validation_error", f"companies: at most {limit} per batch",
                       [{"field": "companies", "reason": f"at most {limit}", "location": "body"}])
    # Validate all first: a batch with a bad row starts nothing, and says which rows are bad.
    parsed, problems = [], []
    for index, entry in enumerate(raw):
        try:
            if not isinstance(entry, dict):
                raise ValueError("must be an object")
            parsed.append(ScrapeCompanyRequest.model_validate(entry))
        except ValidationError as exc:
            for d in validation_detail(exc, "body"):
                problems.append({**d, "field": f"companies.{index}.{d['field']}"})
        except (TypeError, ValueError):
            problems.append({"field": f"companies.{index}", "reason": "must be an object", "location": "body"})
    if problems:
        raise ApiError(422, "validation_error", f"{problems[0]['field']}: {problems[0]['reason']}", problems)
    identity = current_identity()
    results: list[BatchItemResult] = []
    for args in parsed:
        try:
            started = crawls().start(args, requested_by=identity.subject, source="api")
        except CrawlUnavailable as exc:
            results.append(BatchItemResult(
                company=args.company, country=args.country, crawl_id=exc.crawl_id, status="failed",
                error=ErrorDetail(code="scrapyd_unavailable", message=exc.message),
            ))
            continue
        if not started.existing:
            audit("crawl.trigger", f"crawl:{started.crawl_id}", {"company": args.company, "country": args.country, "batch": True})
        results.append(BatchItemResult(
            company=args.company, country=args.country, crawl_id=started.crawl_id,
            existing=started.existing, status=started.status,
        ))
    if results and all(r.error for r in results):
        raise ApiError(503, "scrapyd_unavailable", "No scrapyd node is available; every crawl run is marked failed",
                       BatchAccepted(crawls=results).model_dump(mode="json"))
    return jsonify(BatchAccepted(crawls=results).model_dump(mode="json")), 202


@bp.get("")
@require(None)
@doc("List recent crawl runs", "scrape", query=CrawlRunsQuery, response=CrawlRunList)
def list_runs():
    query = parse_query(CrawlRunsQuery)
    runs = store().list_crawl_runs(status=query.status, limit=query.limit)
    identity = current_identity()
    items = [CrawlRun.model_validate(visible_run(r, identity)) for r in runs]
    return jsonify(CrawlRunList(items=items).model_dump(mode="json"))


@bp.get("/<id:crawl_id>")
@require(None)
@doc("Status, progress counts, errors, scrapyd job id and node of a crawl run", "scrape", response=CrawlRun)
def get_run(crawl_id: int):
    run = visible_run(_run_or_404(crawl_id), current_identity())
    return jsonify(CrawlRun.model_validate(run).model_dump(mode="json"))


@bp.delete("/<id:crawl_id>")
@require("user")
@doc("Cancel a crawl run (your own; admins any)", "scrape", response=CrawlRun)
def cancel_run(crawl_id: int):
    run = _run_or_404(crawl_id)
    identity = current_identity()
    if run.get("requested_by") != identity.subject and not identity.at_least("admin"):
        raise ApiError(403, "forbidden", "Only the person who started this crawl, or an admin, can cancel it")
    before = run["status"]
    crawls().cancel(run)
    if before in ("pending", "running"):
        audit("crawl.cancel", f"crawl:{crawl_id}", {"previous_status": before})
    return jsonify(CrawlRun.model_validate(store().get_crawl_run(crawl_id)).model_dump(mode="json"))
