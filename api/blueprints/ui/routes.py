"""The pages: sign-in and out, companies, crawls, jobs and one job."""
from __future__ import annotations

import logging
import secrets
from typing import Any
from urllib.parse import urlencode

from flask import Response, current_app, g, jsonify, redirect, request, url_for
from pydantic import ValidationError
from werkzeug.exceptions import TooManyRequests

from api.auth import Identity, authenticate, issue_local_token, revoke, visible_run
from api.blueprints.ui import bp
from api.blueprints.ui.formatting import (countries, field_label, field_value, format_location, format_salary,
                                          safe_http_url, sanitize_description)
from api.blueprints.ui.security import (_error_page, _form_csrf_ok, _identity, _page, _safe_next,
                                        _store, page_view)
from api.blueprints.ui.views import STEP_LABELS, STEPS, history_view, provenance_view, run_view
from api.errors import ApiError
from api.models import EMPLOYMENT_TYPES, WORKPLACES, CompaniesQuery, JobsQuery, LoginRequest
from jobos.args import field_of, rule_message
from jobos.store.names import normalize_company
from jobos.scheduler import SOURCE as SCHEDULER

logger = logging.getLogger(__name__)

PAGE_SIZE = 25
MAX_BACK = 30  # cursors kept for "Previous page"
FIRST_PAGE = "first"  # the "cursor" of page one in the back stack
EXPORT_JSON_LIMIT = 200  # the API's largest page: the JSON export is its first page (CSV has them all)
SORT_LABELS = {
    "posted_at": "Posted date", "first_seen": "First seen", "last_seen": "Last seen",
    "title": "Title", "company": "Company",
}


# --- pages -----------------------------------------------------------------------------------

@bp.get("/")
def home() -> Any:
    return redirect(url_for("ui.companies"))


@bp.route("/login", methods=["GET", "POST"])
def login() -> Any:
    """Sign in with a local account: the same token and cookies the API's login sets."""
    next_url = _safe_next(request.values.get("next"))
    if request.method == "GET":
        return _page("login.html", title="Sign in", next_url=next_url, error=None, email="")
    if not _form_csrf_ok():
        return _page("login.html", http_status=403, title="Sign in", next_url=next_url, email="",
                     error="This form has expired. Please try again.")
    limiter = current_app.extensions.get("jobos_limiter")
    try:
        if limiter is not None:
            with limiter.limit(lambda: current_app.config["RATELIMIT_LOGIN"], scope="ui-login",
                               override_defaults=False):
                pass
    except TooManyRequests:
        html, _ = _page("login.html", http_status=429, title="Sign in", next_url=next_url,
                        email=request.form.get("email", ""),
                        error="Too many sign-in attempts. Wait a minute and try again.")
        return Response(html, status=429, mimetype="text/html", headers={"Retry-After": "60"})
    try:
        creds = LoginRequest.model_validate({"email": request.form.get("email", ""),
                                             "password": request.form.get("password", "")})
    except ValidationError:
        return _page("login.html", http_status=422, title="Sign in", next_url=next_url,
                     email=request.form.get("email", ""), error="Enter your email address and password.")
    try:  # the API's sign-in rules: per-account throttle, "disabled" said first, same work for any email
        user = authenticate(creds.email, creds.password)
    except ApiError as exc:
        words = {403: "This account is disabled; an admin can enable it again.",
                 429: "Too many sign-in attempts for this account. Wait a while and try again."}
        html, status = _page("login.html", http_status=exc.status if exc.status in words else 401,
                             title="Sign in", next_url=next_url, email=creds.email,
                             error=words.get(exc.status, "Wrong email or password."))
        headers = {"Retry-After": "900"} if exc.status == 429 else {}
        return Response(html, status=status, mimetype="text/html", headers=headers)
    from api.blueprints.auth import _set_cookies  # the API's cookie rules, in one place

    token, ttl = issue_local_token(user)
    csrf = secrets.token_urlsafe(24)
    response = redirect(next_url, code=303)
    _set_cookies(response, token, csrf, ttl)
    return response


@bp.post("/logout")
def logout() -> Any:
    if not _form_csrf_ok():
        return _error_page(403, "This form has expired. Reload the page and try again.")
    revoke(_identity())  # the token stops working, not only the cookie (as the API's logout)
    cfg = current_app.config
    response = redirect(url_for("ui.login"), code=303)
    response.delete_cookie(cfg["COOKIE_NAME"], path="/")
    g.ui_csrf = None
    response.delete_cookie(cfg["CSRF_COOKIE_NAME"], path="/")
    return response


@bp.get("/companies")
@page_view
def companies() -> Any:
    """Company search: known companies by name and country, with board, reason and counts."""
    q = (request.args.get("q") or "").strip()
    country_text = (request.args.get("country") or "").strip()
    error = None
    items: list[dict[str, Any]] = []
    country = None
    try:
        query = CompaniesQuery.model_validate({"q": q or None, "country": country_text or None, "limit": 50})
        country = query.country
        items = _store().list_companies(q=query.q, country=query.country, limit=query.limit)["items"]
        # A card's "Find jobs" re-crawls with the company's own last country, not the search filter.
        last = _store().last_crawl_countries([c["name"] for c in items])
        identity = _identity()
        for c in items:
            c["crawl_country"] = last.get(normalize_company(c["name"]))
            # "Wrong page?" only for whom the API lets pin: admins and the user who added it.
            c["can_pin"] = identity.at_least("admin") or (
                identity.at_least("user") and bool(c.get("created_by")) and c.get("created_by") == identity.subject)
    except ValidationError as exc:
        first = exc.errors(include_input=False)[0]
        error = f"{field_label(field_of(first, 'search'))}: {rule_message(first)}"  # the API's wording
    return _page("companies.html", title="Companies", q=q, country_text=country_text, country=country,
                 items=items, error=error, countries=countries(), searched=bool(q or country_text))


CRAWL_LIST_SIZE = 50


def _starter(run: dict[str, Any], identity: Identity, names: dict[str, str]) -> str:
    """Return who started a crawl in words: 'scheduled' (its source is the refresh scheduler),
    'you', an account's email, the command line, or '—'."""
    if run.get("source") == SCHEDULER:
        return "scheduled"
    requested_by = run.get("requested_by")
    if not requested_by:
        return "—"
    if requested_by == identity.subject:
        return "you"
    if requested_by not in names:
        kind, _, number = requested_by.partition(":")
        user = _store().get_user(int(number)) if kind == "user" and number.isdigit() else None
        names[requested_by] = (user or {}).get("email") or requested_by
    return names[requested_by]


@bp.get("/crawls")
@page_view
def crawls() -> Any:
    """Running and recent crawls (or one company's crawl history): status, counts, who, links."""
    company = (request.args.get("company") or "").strip()[:200]
    identity = _identity()
    wanted = normalize_company(company) if company else None
    runs = _store().list_crawl_runs(limit=500 if wanted else CRAWL_LIST_SIZE)
    names: dict[str, str] = {}
    items = []
    for run in runs:
        view = run_view(visible_run(run, identity))  # a viewer does not see other users' arguments
        # Matched on what this caller may see, so a hidden crawl is not revealed by the filter.
        if wanted and normalize_company(view.get("company") or "") != wanted:
            continue
        view["started_by"] = _starter(view, identity, names)
        items.append(view)
        if len(items) >= CRAWL_LIST_SIZE:
            break
    running = [r for r in items if not r["done"]]
    recent = [r for r in items if r["done"]]
    title = f"Crawls of {company}" if company else "Crawls"
    return _page("crawls.html", title=title, company=company, running=running, recent=recent)


@bp.get("/crawls/<id:crawl_id>")
@page_view
def crawl(crawl_id: int) -> Any:
    """A crawl's live progress (the script polls the API and updates it in place)."""
    run = _store().get_crawl_run(crawl_id)
    if not run:
        return _error_page(404, f"There is no crawl {crawl_id}.")
    run = visible_run(run, _identity())  # a viewer does not see other users' crawl arguments
    return _page("crawl.html", title="Crawl progress", run=run_view(run), steps=STEPS, step_labels=STEP_LABELS)


@bp.get("/crawls/<id:crawl_id>/explain")
@page_view
def crawl_explain(crawl_id: int) -> Any:
    """The crawl's status and problems in words (JSON for the page's script)."""
    run = _store().get_crawl_run(crawl_id)
    if not run:
        raise ApiError(404, "not_found", f"No crawl run {crawl_id}")
    view = run_view(run)
    return jsonify({k: view[k] for k in ("id", "status", "status_label", "step_label", "messages", "done",
                                         "step_states", "found")})


def _jobs_query() -> tuple[JobsQuery | None, str | None, dict[str, str]]:
    """Return the validated search, an error sentence, and the raw form values."""
    raw = {k: (request.args.get(k) or "").strip() for k in
           ("q", "company", "country", "workplace", "employment_type", "posted_since", "status", "sort", "order")}
    params: dict[str, Any] = {k: v for k, v in raw.items() if v}
    params["limit"] = PAGE_SIZE
    if request.args.get("cursor"):
        params["cursor"] = request.args["cursor"]
    try:
        return JobsQuery.model_validate(params), None, raw
    except ValidationError as exc:
        first = exc.errors(include_input=False)[0]
        return None, f"{field_label(field_of(first, 'search'))}: {rule_message(first)}", raw  # the API's wording


@bp.get("/jobs")
@page_view
def jobs() -> Any:
    """The job viewer: full text, filters, sorting, pages of 25 with a total."""
    query, error, raw = _jobs_query()
    page: dict[str, Any] = {"items": [], "total": "0", "next_cursor": None}
    back = [c for c in request.args.getlist("back") if c][-MAX_BACK:]
    if query is not None:
        try:
            page = _store().search_jobs(
                q=query.q, company=query.company, country=query.country, workplace=query.workplace,
                employment_type=query.employment_type, posted_since=query.posted_since,
                status=query.status, sort=query.sort, order=query.order, cursor=query.cursor,
                limit=query.limit,
            )
        except ValueError:
            error = "That page of results is no longer valid; showing the first page."
            page = _store().search_jobs(
                q=query.q, company=query.company, country=query.country, workplace=query.workplace,
                employment_type=query.employment_type, posted_since=query.posted_since,
                status=query.status, sort=query.sort, order=query.order, limit=query.limit,
            )
            back = []
    filters = {k: v for k, v in raw.items() if v}
    page_number = len(back) + 1
    start = (page_number - 1) * PAGE_SIZE + 1 if page["items"] else 0
    next_url = prev_url = None
    if page.get("next_cursor"):
        cur = [query.cursor] if query and query.cursor else [FIRST_PAGE]
        next_url = url_for("ui.jobs") + "?" + urlencode(
            [*filters.items(), ("cursor", page["next_cursor"]), *[("back", b) for b in back + cur]])
    if back:
        prev_cursor = back[-1]
        pairs = list(filters.items())
        if prev_cursor != FIRST_PAGE:
            pairs.append(("cursor", prev_cursor))
        pairs += [("back", b) for b in back[:-1]]
        prev_url = url_for("ui.jobs") + ("?" + urlencode(pairs) if pairs else "")
    try:
        companies_known = [c["name"] for c in _store().list_companies(limit=200)["items"] if c.get("name")]
    except Exception:  # noqa: BLE001 - the suggestions are a convenience, never a reason to fail
        logger.warning("company suggestions failed", exc_info=True)
        companies_known = []
    export_urls = {fmt: url_for("jobs.search") + "?" + urlencode(
        [*filters.items(), ("format", fmt), *([("limit", EXPORT_JSON_LIMIT)] if fmt == "json" else [])])
        for fmt in ("csv", "json")}
    return _page(
        "jobs.html", title="Jobs", export_urls=export_urls, export_json_limit=EXPORT_JSON_LIMIT, items=page["items"], total=page["total"], start=start,
        end=start + len(page["items"]) - 1 if page["items"] else 0, next_url=next_url,
        prev_url=prev_url, filters=raw, error=error, countries=countries(), workplaces=WORKPLACES,
        employment_types=EMPLOYMENT_TYPES, sorts=SORT_LABELS, companies_known=companies_known,
        active_filters=len([k for k in filters if k not in ("sort", "order")]),
    )


DETAIL_FIELDS = (
    "company", "company_domain", "location", "city", "region", "country", "workplace",
    "employment_type", "department", "posted_at", "status", "first_seen", "last_seen", "closed_at",
)
# How the crawler got the job: for admins only, in a details block.
ADMIN_FIELDS = ("source", "method", "board", "external_id", "extraction_pending", "scraped_at")


@bp.get("/jobs/<id:job_id>")
@page_view
def job(job_id: int) -> Any:
    """One job: every field, the description, apply link, provenance and history."""
    record = _store().get_job(job_id)
    if not record:
        return _error_page(404, f"There is no job {job_id}.")
    fields = [(f, field_label(f), field_value(f, record.get(f))) for f in DETAIL_FIELDS]
    # The place in the one display format; the text as published beside it when it differs.
    place = format_location(record)
    at = DETAIL_FIELDS.index("location")
    fields[at] = ("location", field_label("location"), place or field_value("location", None))
    if record.get("location") and str(record["location"]) != place:
        fields.insert(at + 1, ("location_published", "Location as published", str(record["location"])))
    admin_fields = ([(f, field_label(f), field_value(f, record.get(f))) for f in ADMIN_FIELDS]
                    if _identity().at_least("admin") else [])
    title = str(record.get("title") or "Job")
    job_url = safe_http_url(record.get("url"))
    return _page(
        "job.html", title=title, job=record, fields=fields, admin_fields=admin_fields,
        salary=format_salary(record),
        description_html=sanitize_description(record.get("description_html"), base_url=job_url, title=title),
        apply_url=safe_http_url(record.get("apply_url")) or job_url,
        job_url=job_url, listed_apply_url=safe_http_url(record.get("apply_url")),
        provenance=provenance_view(record), history=history_view(record),
    )
