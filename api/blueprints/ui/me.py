"""The signed-in user's own pages: saved searches and followed companies (with "new since your
last visit"), their alert settings, resumes and the jobs that fit one.

Plain forms with the CSRF token (they work without JavaScript); every read and change goes
through the same store calls and request models as the API (`api.blueprints.alerts`,
`api.blueprints.resumes`), so the page and the API cannot disagree on a rule. Another user's
saved search or resume is as absent as a missing one (404), as in the API.
"""
from __future__ import annotations

import functools
from typing import Any, Callable
from urllib.parse import urlencode

from flask import redirect, request, url_for
from pydantic import ValidationError
from werkzeug.exceptions import RequestEntityTooLarge

from api.blueprints.alerts import (SavedQuery, SavedSearchCreate, SavedSearchPatch, _out as search_out,
                                   _own_or_404, _owner_id, apply_patch, new_since_visit)
from api.blueprints.resumes import MatchesQuery, _resume_or_404, allow_resume_body, ranked_matches, store_upload
from api.blueprints.ui import bp
from api.blueprints.ui.formatting import countries, field_label, field_value
from api.blueprints.ui.security import _error_page, _form_csrf_ok, _identity, _page, _store
from api.errors import ApiError
from jobos.resumes.extract import max_bytes
from jobos.resumes.match import resume_level

EXPIRED = "This form has expired. Reload the page and try again."
EVENTS_SHOWN = 100
CHANGE_LABELS = {"new": "New", "changed": "Changed", "closed": "Closed"}
LEVEL_LABELS = {"intern": "internship", "junior": "junior", "mid": "mid-level", "senior": "senior",
                "lead": "lead"}
SENIORITY_WORDS = {"same": "Same level as your resume", "job above": "A step up from your resume",
                   "job below": "Below your resume's level"}
LOCATION_WORDS = {"remote": "Remote", "same city": "In a city your resume names",
                  "same country": "In a country your resume names",
                  "elsewhere": "Outside the countries your resume names", "unknown": "Place not compared"}

def own_page(view: Callable) -> Callable:
    """Decorate a page of one's own: signed in with at least the 'user' role (public reading
    does not open these); API errors become HTML pages."""
    @functools.wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        identity = _identity()
        if identity.kind == "anonymous":
            target = request.full_path.rstrip("?") if request.query_string else request.path
            if request.method != "GET":  # after signing in, come back to the page, not to a form's target
                target = url_for("ui.me_resumes" if request.path.startswith("/me/resumes") else "ui.me_searches")
            return redirect(url_for("ui.login", next=target))
        if not identity.at_least("user"):
            return _error_page(403, "Saved searches, alerts and resumes need a user account.")
        if request.endpoint == "ui.me_upload_resume":
            allow_resume_body()  # before the form is read (for the CSRF token)
        try:
            if request.method == "POST" and not _form_csrf_ok():
                return _error_page(403, EXPIRED)
        except RequestEntityTooLarge:
            return _error_page(413, f"The upload is larger than {max_bytes() // (1024 * 1024)} MB; "
                                    "a resume must be smaller.")
        try:
            return view(*args, **kwargs)
        except ApiError as exc:
            return _error_page(exc.status, exc.message)

    return wrapper


def _sentence(exc: ValidationError) -> str:
    """Return a request model's first complaint as a sentence ("Webhook URL: must be ...")."""
    first = exc.errors(include_input=False)[0]
    loc = [str(p) for p in first.get("loc", ()) if p != "query"]
    reason = str(first.get("msg", "is not valid")).removeprefix("Value error, ")
    return f"{field_label(loc[-1]) if loc else 'This form'}: {reason}."


# --- saved searches and follows -------------------------------------------------------------

def _searches_page(http_status: int = 200, error: str | None = None, notice: str | None = None) -> Any:
    owner = _owner_id()
    searches, follows = [], []
    for search in _store().list_saved_searches(owner):
        view = search_out(search)
        view["new_count"] = new_since_visit(search, _store().list_alert_events(search["id"], limit=EVENTS_SHOWN))
        view["jobs_url"] = url_for("ui.me_search_jobs", search_id=search["id"])
        view["query_rows"] = [("Words" if k == "q" else field_label(k), field_value(k, v))
                              for k, v in (search.get("query") or {}).items()]
        (follows if search["kind"] == "company" else searches).append(view)
    return _page("me_searches.html", http_status=http_status, title="Saved searches", searches=searches,
                 follows=follows, error=error, notice=notice)


@bp.get("/me/searches")
@own_page
def me_searches() -> Any:
    """Saved searches (with how many alerts are new since the last visit) and followed companies."""
    return _searches_page(notice={"saved": "Search saved.", "deleted": "Deleted.",
                                  "followed": "You follow this company now."}.get(request.args.get("done", "")))


@bp.post("/me/searches")
@own_page
def me_save_search() -> Any:
    """Save the jobs list's current query (its filters come as hidden fields) under a name."""
    form = request.form
    query = {k: (form.get(k) or "").strip() or None for k in SavedQuery.model_fields}
    name = (form.get("name") or "").strip() or _default_name(query)
    try:
        body = SavedSearchCreate.model_validate({"kind": "search", "name": name,
                                                 "query": {k: v for k, v in query.items() if v}})
    except ValidationError as exc:
        return _searches_page(422, error=f"The search was not saved. {_sentence(exc)}")
    _store().create_saved_search(_owner_id(), "search", body.name, body.query.model_dump(exclude_none=True))
    return redirect(url_for("ui.me_searches", done="saved"), code=303)


def _default_name(query: dict[str, Any]) -> str:
    parts = [query.get("q"), query.get("company"), query.get("country"), query.get("workplace")]
    return (" · ".join(p for p in parts if p) or "All open jobs")[:100]


@bp.post("/me/follows")
@own_page
def me_follow() -> Any:
    """Follow a company: alerts for its new, changed and closed jobs."""
    company = (request.form.get("company") or "").strip()
    try:
        body = SavedSearchCreate.model_validate({"kind": "company", "name": company or "-",
                                                 "query": {"company": company or None}})
    except ValidationError as exc:
        return _searches_page(422, error=f"Not followed. {_sentence(exc)}")
    _store().create_saved_search(_owner_id(), "company", body.name, body.query.model_dump(exclude_none=True))
    return redirect(url_for("ui.me_searches", done="followed"), code=303)


@bp.post("/me/searches/<id:search_id>/delete")
@own_page
def me_delete_search(search_id: int) -> Any:
    if not _store().delete_saved_search(search_id, _owner_id()):
        return _error_page(404, f"There is no saved search {search_id}.")
    return redirect(url_for("ui.me_searches", done="deleted"), code=303)


@bp.get("/me/searches/<id:search_id>/jobs")
@own_page
def me_search_jobs(search_id: int) -> Any:
    """Open a saved search in the jobs list (this is a visit: its new alerts are seen)."""
    search = _own_or_404(search_id)
    _store().mark_search_visited(search_id)
    return redirect(url_for("ui.jobs") + "?" + urlencode(search.get("query") or {}), code=303)


def _search_page(search: dict[str, Any], http_status: int = 200, error: str | None = None,
                 notice: str | None = None, secret: str | None = None) -> Any:
    events = _store().list_alert_events(search["id"], limit=EVENTS_SHOWN)
    last = search.get("last_visit_at")
    for event in events:
        event["is_new"] = last is None or (event.get("created_at") or "") > last
        event["change_label"] = CHANGE_LABELS.get(event["change"], event["change"])
    view = search_out(search)
    view["jobs_url"] = url_for("ui.me_search_jobs", search_id=search["id"])
    html = _page("me_search.html", http_status=http_status, title=search["name"], search=view, events=events,
                 new_count=sum(1 for e in events if e["is_new"]), error=error, notice=notice, secret=secret,
                 smtp=_smtp_configured())
    _store().mark_search_visited(search["id"])  # after reading: this page shows what was new
    return html


def _smtp_configured() -> bool:
    """Return whether mails can go out (JOBOS_SMTP_HOST set), so the page can say when not."""
    from jobos.alerts.settings import AlertSettings

    try:
        return bool(AlertSettings.from_env().smtp_host)
    except ValueError:
        return False


@bp.get("/me/searches/<id:search_id>")
@own_page
def me_search(search_id: int) -> Any:
    """One saved search: its alerts (new ones marked), its feed and its alert settings."""
    return _search_page(_own_or_404(search_id))


@bp.post("/me/searches/<id:search_id>/alerts")
@own_page
def me_search_alerts(search_id: int) -> Any:
    """Change where a saved search's alerts go: email (off, immediately, daily digest), webhook."""
    search = _own_or_404(search_id)
    form = request.form
    fields: dict[str, Any] = {"email": (form.get("email") or "").strip() or None,
                              "email_mode": form.get("email_mode") or "off"}
    webhook = (form.get("webhook_url") or "").strip()
    if webhook != (search.get("webhook_url") or ""):
        fields["webhook_url"] = webhook
    try:
        patch = SavedSearchPatch.model_validate(fields)
    except ValidationError as exc:
        return _search_page(search, 422, error=f"The settings were not saved. {_sentence(exc)}")
    if patch.email_mode not in (None, "off") and not patch.email:
        return _search_page(search, 422, error="The settings were not saved. Email: give the address "
                                               "the alerts should go to, or switch email alerts off.")
    updated, secret = apply_patch(search, patch)
    return _search_page(updated, notice="Alert settings saved.", secret=secret)


# --- resumes ---------------------------------------------------------------------------------

def _resumes_page(http_status: int = 200, error: str | None = None, notice: str | None = None) -> Any:
    return _page("me_resumes.html", http_status=http_status, title="Resumes",
                 resumes=_store().list_resumes(_owner_id()), error=error, notice=notice)


@bp.get("/me/resumes")
@own_page
def me_resumes() -> Any:
    """Your resumes and the upload form."""
    return _resumes_page(notice="Resume deleted." if request.args.get("done") == "deleted" else None)


@bp.post("/me/resumes")
@own_page
def me_upload_resume() -> Any:
    """Upload a resume (PDF, DOCX or text, read by content) and show the jobs that fit it."""
    try:
        resume = store_upload(_owner_id())
    except ApiError as exc:
        return _resumes_page(exc.status, error=f"The resume was not uploaded: {exc.message.rstrip('.')}.")
    return redirect(url_for("ui.me_resume", resume_id=resume["id"]), code=303)


@bp.get("/me/resumes/<id:resume_id>")
@own_page
def me_resume(resume_id: int) -> Any:
    """The open jobs that fit a resume, best first, each with why."""
    resume = _resume_or_404(resume_id, with_text=True)
    raw = {k: (request.args.get(k) or "").strip() for k in ("country", "search_id")}
    error, matches = None, []
    try:
        query = MatchesQuery.model_validate({k: v for k, v in raw.items() if v})
        matches = ranked_matches(resume, country=query.country, search_id=query.search_id, limit=query.limit)
    except ValidationError as exc:
        error = _sentence(exc)
    for match in matches:
        why = match["explanation"]
        why["seniority_words"] = SENIORITY_WORDS.get(why.get("seniority") or "")
        why["location_words"] = LOCATION_WORDS.get(why.get("location") or "unknown")
        why["job_level_words"] = LEVEL_LABELS.get(why.get("job_level") or "mid")
    searches = [s for s in _store().list_saved_searches(_owner_id()) if s["kind"] == "search"]
    return _page("me_resume.html", title=f"Jobs for {resume['filename']}", resume=resume, matches=matches,
                 error=error, filters=raw, countries=countries(), searches=searches,
                 resume_level=LEVEL_LABELS.get(resume_level(resume["text"]) or ""))


@bp.post("/me/resumes/<id:resume_id>/delete")
@own_page
def me_delete_resume(resume_id: int) -> Any:
    """Delete a resume with its text (another user's is a 404, as in the API)."""
    _resume_or_404(resume_id)
    _store().delete_resume(resume_id)
    from api.ext import audit

    audit("resume.delete", f"resume:{resume_id}")
    return redirect(url_for("ui.me_resumes", done="deleted"), code=303)
