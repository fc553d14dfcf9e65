"""The web page: server-rendered pages over the store, actions through the JSON API.

Pages read the store directly (validated by the API's own query models); state changes go
through the API's endpoints from `static/app.js` (cookie + X-CSRF-Token double submit), except
signing in and out, which are plain forms here so they work without JavaScript. Every page is
sent with a strict Content-Security-Policy: scripts and styles only from this app, no inline code.
"""
from __future__ import annotations

import datetime as dt
import difflib
import hmac
import html as htmllib
import logging
import re
import secrets
from functools import lru_cache
from typing import Any, Callable
from urllib.parse import urlencode, urljoin, urlsplit

import jwt
import nh3
import pycountry
from flask import (
    Blueprint,
    Response,
    current_app,
    g,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from markupsafe import Markup, escape
from pydantic import ValidationError
from werkzeug.exceptions import TooManyRequests

from api.auth import (ANONYMOUS, Identity, authenticate, current_identity, issue_local_token, revoke,
                      visible_run)
from api.errors import ApiError
from api.models import EMPLOYMENT_TYPES, WORKPLACES, CompaniesQuery, CrawlRun, JobsQuery, LoginRequest
from jobos.store.names import normalize_company

logger = logging.getLogger(__name__)

bp = Blueprint("ui", __name__)

# No inline script or style anywhere: everything the page runs or wears is a file of this app.
CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; font-src 'self'; form-action 'self'; base-uri 'none'; "
    "frame-ancestors 'none'"
)
SECURITY_HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
}
PAGE_SIZE = 25
MAX_BACK = 30  # cursors kept for "Previous page"
FIRST_PAGE = "first"
EXPORT_JSON_LIMIT = 200  # the API's largest page: the JSON export is its first page (CSV has them all)  # the "cursor" of page one in the back stack

# What a description may keep: structure and links; no images (third-party requests), no
# scripts, styles, forms or event handlers.
ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "code", "dd", "div", "dl", "dt", "em", "h1", "h2",
    "h3", "h4", "h5", "h6", "hr", "i", "li", "ol", "p", "pre", "s", "small", "span", "strong",
    "sub", "sup", "table", "tbody", "td", "th", "thead", "tr", "u", "ul",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "td": {"colspan", "rowspan"}, "th": {"colspan", "rowspan"}}

FIELD_LABELS = {
    "title": "Title", "company": "Company", "company_domain": "Company domain", "source": "Source",
    "method": "Method", "external_id": "External id", "url": "Job page", "apply_url": "Apply link",
    "location": "Location", "city": "City", "region": "Region", "country": "Country",
    "workplace": "Workplace", "employment_type": "Employment type", "department": "Department",
    "salary_min": "Salary from", "salary_max": "Salary to", "salary_currency": "Currency",
    "salary_period": "Salary period", "posted_at": "Posted", "description": "Description",
    "description_html": "Description (HTML)", "status": "Status", "closed_at": "Closed",
    "board": "Board", "extraction_pending": "Extraction pending", "scraped_at": "Scraped",
    "first_seen": "First seen", "last_seen": "Last seen",
}
METHOD_LABELS = {
    "api": "the board's API", "jsonld": "JSON-LD on the page", "html": "the page text",
    "llm": "the language model",
}
EMPLOYMENT_LABELS = {
    "FULL_TIME": "Full-time", "PART_TIME": "Part-time", "CONTRACTOR": "Contract",
    "TEMPORARY": "Temporary", "INTERN": "Internship", "VOLUNTEER": "Volunteer",
    "PER_DIEM": "Per diem", "OTHER": "Other",
}
WORKPLACE_LABELS = {"onsite": "On site", "hybrid": "Hybrid", "remote": "Remote"}
PERIOD_LABELS = {"HOUR": "hour", "DAY": "day", "WEEK": "week", "MONTH": "month", "YEAR": "year"}
SORT_LABELS = {
    "posted_at": "Posted date", "first_seen": "First seen", "last_seen": "Last seen",
    "title": "Title", "company": "Company",
}
STATUS_LABELS = {
    "pending": "Waiting for a crawler", "running": "Running", "finished": "Finished",
    "partial": "Finished, but incomplete", "failed": "Failed", "cancelled": "Cancelled",
}
STEP_LABELS = {
    "starting": "Starting", "discovery": "Looking for the career page",
    "board": "Reading the job board", "site": "Reading the career site",
    "extraction": "Structuring descriptions", "storing": "Saving jobs",
}
STEPS = ("discovery", "board", "site", "extraction", "storing")
DONE_STATUSES = ("finished", "partial", "failed", "cancelled")
DONE_LABELS = {"finished": "Done", "partial": "Stopped early", "failed": "Stopped: it failed",
               "cancelled": "Cancelled"}


# --- request plumbing ------------------------------------------------------------------------

@bp.after_app_request
def _security_headers(response: Response) -> Response:
    """Add the page's security headers to HTML answers (and nosniff to all) unless already set."""
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    if response.mimetype == "text/html":
        for name, value in SECURITY_HEADERS.items():
            response.headers.setdefault(name, value)
    return response


def _identity() -> Identity:
    """Return the caller, treating an expired or broken cookie token as signed out."""
    if "ui_identity" in g:
        return g.ui_identity
    try:
        identity = current_identity()
    except ApiError:
        identity = ANONYMOUS
        g.ui_clear_cookie = True
    g.ui_identity = identity
    return identity


def _csrf_value() -> str:
    """Return the double-submit CSRF value for this browser (the cookie's, or a new one)."""
    if "ui_csrf" not in g:
        g.ui_csrf = request.cookies.get(current_app.config["CSRF_COOKIE_NAME"]) or secrets.token_urlsafe(24)
    return g.ui_csrf


def _renewed_session(response: Response) -> bool:
    """Set a new token cookie when a signed-in page view finds more than half of the token's
    lifetime used (sliding expiry), never past SESSION_MAX after sign-in; True when set."""
    identity = g.get("ui_identity")
    if (request.method != "GET" or response.mimetype != "text/html" or identity is None
            or identity.kind != "local" or not identity.via_cookie):
        return False
    token = request.cookies.get(current_app.config["COOKIE_NAME"], "")
    try:  # verified by current_identity() in this request; only its times are read here
        claims = jwt.decode(token, options={"verify_signature": False})
        iat, exp = int(claims["iat"]), int(claims["exp"])
        auth_time = int(claims.get("auth_time", iat))
    except (jwt.PyJWTError, KeyError, TypeError, ValueError):
        return False
    now = int(dt.datetime.now(dt.timezone.utc).timestamp())
    if now - iat <= (exp - iat) / 2 or now >= auth_time + int(current_app.config["SESSION_MAX"]):
        return False
    user = _store().get_user(int(identity.subject.removeprefix("user:")))
    if not user:
        return False
    try:
        new_token, ttl = issue_local_token(user, auth_time=auth_time)
    except ApiError:
        return False
    from api.blueprints.auth import _set_cookies  # the API's cookie rules, in one place

    _set_cookies(response, new_token, _csrf_value(), ttl)
    return True


@bp.after_request
def _cookies(response: Response) -> Response:
    cfg = current_app.config
    if g.get("ui_clear_cookie"):
        response.delete_cookie(cfg["COOKIE_NAME"], path="/")
    elif _renewed_session(response):
        return response
    csrf = g.get("ui_csrf")
    if csrf and request.cookies.get(cfg["CSRF_COOKIE_NAME"]) != csrf:
        # Readable by the page's script: it echoes the value in X-CSRF-Token for the API.
        response.set_cookie(cfg["CSRF_COOKIE_NAME"], csrf, httponly=False, secure=bool(cfg["PRODUCTION"]),
                            samesite="Lax", path="/")
    return response


def _form_csrf_ok() -> bool:
    sent = request.form.get("csrf_token", "")
    cookie = request.cookies.get(current_app.config["CSRF_COOKIE_NAME"], "")
    return bool(sent) and bool(cookie) and hmac.compare_digest(sent, cookie)


def _safe_next(value: str | None) -> str:
    """Return a same-site path to go to after signing in (anything else goes home)."""
    if not value or not value.startswith("/") or value.startswith("//") or "\\" in value:
        return url_for("ui.companies")
    parts = urlsplit(value)
    if parts.scheme or parts.netloc:
        return url_for("ui.companies")
    return value


def _page(template: str, http_status: int = 200, **context: Any) -> tuple[str, int]:
    identity = _identity()
    context.setdefault("title", "JobOS")
    html = render_template(
        template, identity=identity, signed_in=identity.kind != "anonymous",
        can_crawl=identity.at_least("user") and identity.kind != "anonymous",
        csrf_token=_csrf_value(), **context,
    )
    return html, http_status


def _error_page(status: int, message: str) -> tuple[str, int]:
    return _page("error.html", http_status=status, title=f"Error {status}", message=message)


def page_view(view: Callable) -> Callable:
    """Decorate a page: sign-in required unless reading is public; errors as HTML pages."""
    import functools

    @functools.wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        identity = _identity()
        if identity.kind == "anonymous" and not current_app.config["PUBLIC_READ"]:
            target = request.full_path.rstrip("?") if request.query_string else request.path
            return redirect(url_for("ui.login", next=target))
        try:
            return view(*args, **kwargs)
        except ApiError as exc:
            return _error_page(exc.status, exc.message)

    return wrapper


def _store() -> Any:
    return current_app.extensions["jobos_store"]


# --- formatting helpers (also template filters) ---------------------------------------------

@lru_cache(maxsize=1)
def countries() -> list[tuple[str, str]]:
    """Return (alpha-2 code, English name) for every ISO 3166-1 country, by name."""
    out = []
    for c in pycountry.countries:
        name = getattr(c, "common_name", None) or c.name
        out.append((c.alpha_2, name))
    return sorted(out, key=lambda pair: pair[1])


def country_name(code: str | None) -> str:
    """Return a country's English name for its code ('' for none; the code when unknown)."""
    if not code:
        return ""
    for alpha2, name in countries():
        if alpha2 == code.upper():
            return name
    return code


def format_date(value: Any, with_time: bool = False) -> str:
    """Return '3 Mar 2024' (or with ' 14:05 UTC') for an ISO date or timestamp; '' for none."""
    if not value:
        return ""
    text = str(value)
    try:
        if len(text) <= 10:
            day = dt.date.fromisoformat(text)
            return f"{day.day} {day:%b %Y}"
        stamp = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return text
    if stamp.tzinfo:
        stamp = stamp.astimezone(dt.timezone.utc)
    out = f"{stamp.day} {stamp:%b %Y}"
    return f"{out} {stamp:%H:%M} UTC" if with_time else out


def _money(value: Any) -> str:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return str(value)
    return f"{number:,.0f}" if number == int(number) else f"{number:,.2f}"


def format_salary(job: dict[str, Any]) -> str:
    """Return '60,000–70,000 EUR a year' from the salary fields ('' when none)."""
    low, high = job.get("salary_min"), job.get("salary_max")
    if low is None and high is None:
        return ""
    if low is not None and high is not None and float(low) != float(high):
        amount = f"{_money(low)}–{_money(high)}"
    elif low is not None:
        amount = _money(low) if high is not None else f"from {_money(low)}"
    else:
        amount = f"up to {_money(high)}"
    parts = [amount]
    if job.get("salary_currency"):
        parts.append(str(job["salary_currency"]))
    period = PERIOD_LABELS.get(str(job.get("salary_period") or ""))
    if period:
        parts.append(f"a {period}" if period != "hour" else "an hour")
    return " ".join(parts)


def format_location(job: dict[str, Any]) -> str:
    """Return the location as published, else city, region and country name."""
    if job.get("location"):
        return str(job["location"])
    parts = [job.get("city"), job.get("region"), country_name(job.get("country"))]
    return ", ".join(p for p in parts if p)


def safe_http_url(value: Any) -> str | None:
    """Return the URL when it is an absolute http(s) URL, else None (no javascript:, data:...)."""
    if not isinstance(value, str):
        return None
    url = value.strip()
    if re.search(r"[\x00-\x20\x7f]", url):
        return None
    parts = urlsplit(url)
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return None
    return url


def _resolve_href(base_url: str | None) -> Callable[[str, str, str], str | None]:
    """Return an nh3 attribute filter: a link made absolute against the job's URL, kept only
    when it is http(s) or mailto (a relative link in a description pointed at this app)."""
    def attribute_filter(element: str, attribute: str, value: str) -> str | None:
        if element != "a" or attribute != "href":
            return value
        if value.lower().startswith("mailto:"):
            return value
        absolute = urljoin(base_url, value) if base_url else value
        return safe_http_url(absolute)
    return attribute_filter


def _same_words(a: str, b: str) -> bool:
    return " ".join(re.findall(r"\w+", a.lower())) == " ".join(re.findall(r"\w+", b.lower()))


_LEADING_HEADING = re.compile(r"^\s*((?:<div>\s*)*)<(h[1-6]|p)>\s*(?:<strong>|<b>)?(.*?)(?:</strong>|</b>)?\s*</\2>", re.S)


def sanitize_description(html: str | None, base_url: str | None = None, title: str | None = None) -> Markup | None:
    """Return the description HTML sanitized again at render time (safe to insert), or None.

    Links are resolved against the job's URL (base_url); a first heading that only repeats the
    job's title is dropped (the page shows the title already).
    """
    if not html:
        return None
    clean = nh3.clean(
        str(html), tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"}, link_rel="noopener noreferrer nofollow",
        strip_comments=True, attribute_filter=_resolve_href(safe_http_url(base_url)),
    )
    match = _LEADING_HEADING.match(clean)
    if title and match and "<" not in match.group(3) and _same_words(htmllib.unescape(match.group(3)), title):
        clean = match.group(1) + clean[match.end():]
    return Markup(clean)  # noqa: S704 - nh3 output with a strict allowlist


_URL_IN_TEXT = re.compile(r"https?://[^\s<>\"']+")


def linkify_text(text: str | None, title: str | None = None) -> Markup:
    """Return plain text escaped, with its http(s) URLs as links (a first line repeating the
    job's title dropped); nothing else of the text becomes markup."""
    text = str(text or "")
    first, sep, rest = text.lstrip().partition("\n")
    if title and sep and _same_words(first.lstrip("# "), title):
        text = rest.lstrip("\n")
    out, last = [], 0
    for match in _URL_IN_TEXT.finditer(text):
        url = match.group().rstrip(".,;:!?)")
        end = match.start() + len(url)
        out.append(escape(text[last:match.start()]))
        out.append(Markup('<a href="{0}" rel="noopener noreferrer nofollow">{0}</a>').format(url))
        last = end
    out.append(escape(text[last:]))
    return Markup("").join(out)


def field_value(field: str, value: Any) -> str:
    """Return a field's value as text a person reads."""
    if value is None or value == "":
        return "—"
    if field == "workplace":
        return WORKPLACE_LABELS.get(str(value), str(value))
    if field == "employment_type":
        return EMPLOYMENT_LABELS.get(str(value), str(value))
    if field == "country":
        return f"{country_name(value)} ({value})"
    if field == "method":
        return METHOD_LABELS.get(str(value), str(value))
    if field in ("salary_min", "salary_max"):
        return _money(value)
    if field == "salary_period":
        return PERIOD_LABELS.get(str(value), str(value))
    if field == "posted_at":
        return format_date(value)
    if field in ("first_seen", "last_seen", "closed_at", "scraped_at"):
        return format_date(value, with_time=True)
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


@bp.app_template_global()
def field_label(field: str) -> str:
    return FIELD_LABELS.get(field, field.replace("_", " ").capitalize())


for _name, _fn in (("date", format_date), ("salary", format_salary), ("location", format_location),
                   ("country_name", country_name), ("field_value", lambda v, f: field_value(f, v)),
                   ("workplace", lambda v: WORKPLACE_LABELS.get(v or "", v or "")),
                   ("employment", lambda v: EMPLOYMENT_LABELS.get(v or "", v or "")),
                   ("linkify", linkify_text)):
    bp.add_app_template_filter(_fn, _name)


# --- crawl runs in words ---------------------------------------------------------------------

def _summary_parts(summary: str | None) -> list[tuple[str, str]]:
    """Return (key, value) pairs of an error summary like 'failed: x; http_429: 2'."""
    out = []
    for part in (summary or "").split(";"):
        part = part.strip()
        if not part:
            continue
        key, sep, value = part.partition(":")
        out.append((key.strip().lower(), value.strip()) if sep else ("", part))
    return out


def _count(value: str) -> int:
    match = re.match(r"\d+", value or "")
    return int(match.group()) if match else 1


def explain_run(run: dict[str, Any]) -> list[dict[str, str]]:
    """Return the crawl's problems as sentences a person understands: [{level, text}].

    Reads the run's status and its error summary (the crawl's `jobos/errors/...` counts and
    notes such as `discovery/search/blocked/captcha: 1` or `failed: <reason>`). Unknown codes
    are kept, worded plainly, so nothing the crawler reported is hidden.
    """
    messages: list[dict[str, str]] = []
    seen: set[str] = set()

    def say(level: str, text: str) -> None:
        if text not in seen:
            seen.add(text)
            messages.append({"level": level, "text": text})

    summary = str(run.get("error_summary") or "")
    retrying = summary.startswith("retrying after:")
    if retrying:
        say("warning", "The first attempt failed; JobOS is trying once more.")
        summary = summary.removeprefix("retrying after:")
    for key, value in _summary_parts(summary):
        text = f"{key} {value}".lower()
        if key == "failed" or key.startswith("failed"):
            if any(w in text for w in ("argument", "must ", "unknown", "invalid")):
                say("error", f"The crawl could not start: {value}")
            else:
                say("error", f"The crawl failed: {value}")
        elif "scrapyd is unavailable" in text or "no scrapyd node" in text or "scrapyd" in key:
            say("error", "No crawler is running to take this crawl. Start the crawler "
                         "(jobos serve) and try again.")
        elif "captcha" in text or "anomaly" in text:
            say("info", "DuckDuckGo asked for a CAPTCHA; tried the company's domain instead.")
        elif "search" in key and ("blocked" in key or "http" in text):
            say("info", "DuckDuckGo refused the search for now; tried the company's domain instead.")
        elif "search" in key and "failed" in key:
            say("info", "The web search could not be reached; tried the company's domain instead.")
        elif "budget" in text:
            say("warning", "The crawl reached its request budget and stopped early; some jobs "
                           "may be missing, so no job was marked closed.")
        elif "not_found" in key or "no career page" in text:
            say("error", "No career page or job board was found for this company. If you know "
                         "its careers page, give it in \u201cCareers page\u201d next to Find jobs "
                         "and start the crawl again.")
        elif "board_not_found" in key or "unknown board" in text:
            say("error", "The job board was not found (it may have moved or closed).")
        elif key.startswith("llm") and any(w in key for w in ("pending", "unavailable", "breaker")):
            say("info", "The language model server is not reachable; descriptions will be "
                        "structured later.")
        elif "429" in text:
            say("warning", f"The site asked us to slow down ({_count(value)} times); "
                           "JobOS waited and retried.")
        elif "timeout" in text:
            say("warning", f"{_count(value)} requests timed out.")
        elif "store" in key:
            say("warning", "Saving to the database failed for a while; unsaved jobs were kept "
                           "and retried.")
        elif "bad_response" in key or "truncated" in text or "unreadable" in text:
            say("warning", f"{_count(value)} answers from the site could not be read.")
        elif "max_jobs" in text:
            say("info", "Stopped at the maximum number of jobs asked for.")
        elif key:
            say("warning", _failure_sentence(key, value))
        else:
            say("warning", value)
    status = run.get("status")
    if status == "partial" and not any(m["level"] != "info" for m in messages):
        say("warning", "The crawl ended early, so some jobs may be missing and none was marked closed.")
    if status == "cancelled":
        say("info", "The crawl was cancelled.")
    if status == "failed" and not any(m["level"] == "error" for m in messages):
        say("error", "The crawl failed.")
    return messages


def _failure_sentence(key: str, value: str) -> str:
    """Say a counted failure ('guess downloadfailederror: 4') as a person would, no internal names."""
    from jobos.report import FAILURE_WORDS

    words = {name.lower(): text for name, text in FAILURE_WORDS.items()}
    kind = key.replace("/", " ").split()[-1] if key.split() else key
    where = {"guess": "while trying the company's likely web addresses",
             "probe": "while looking for the company's job board",
             "search": "while searching the web", "page": "while reading job pages",
             "api": "while reading the job board", "listing": "while reading the career site"}
    place = next((text for tier, text in where.items() if key.startswith(tier)), "")
    reason = words.get(kind)
    n = _count(value)
    if reason:
        return f"{n} request{'s' if n != 1 else ''} failed {place}: {reason}.".replace("  ", " ").replace(" :", ":")
    return f"{n} request{'s' if n != 1 else ''} failed {place}.".replace(" .", ".")


def step_states(step: str | None, status: str, found: int) -> dict[str, str]:
    """Return each step's state for the page: done, current, failed, skipped or waiting.

    Steps before the one the crawl reached are done. While the crawl runs the reached step is
    current. When it has ended the reached step is done when the crawl finished (or found jobs),
    failed otherwise; steps after it never ran and are skipped, so a crawl whose discovery
    failed does not show every step as done.
    """
    done = status in DONE_STATUSES
    order = list(STEPS)
    reached = order.index(step) if step in order else (-1 if not done else 0)
    states: dict[str, str] = {}
    for i, name in enumerate(order):
        if i < reached:
            states[name] = "done"
        elif i == reached:
            if not done:
                states[name] = "current"
            else:
                states[name] = "done" if status == "finished" or (status == "partial" and found) else "failed"
        else:
            states[name] = "skipped" if done else "waiting"
    return states


def run_view(run: dict[str, Any]) -> dict[str, Any]:
    """Return a crawl run as the page shows it: the API's fields plus words and a done flag."""
    data = CrawlRun.model_validate(run).model_dump(mode="json")
    step = data.get("step") or ("starting" if data["status"] == "pending" else None)
    data["status_label"] = STATUS_LABELS.get(data["status"], data["status"])
    data["step_label"] = STEP_LABELS.get(step or "", step or "")
    data["messages"] = explain_run(run)
    data["done"] = data["status"] in DONE_STATUSES
    data["step_states"] = step_states(step, data["status"], int(data.get("found") or 0))
    if data["done"]:
        data["step_label"] = DONE_LABELS.get(data["status"], data["status_label"])
    args = data.get("args") or {}
    data["company"] = args.get("company")
    data["country"] = args.get("country")
    return data


# --- job history as a diff -------------------------------------------------------------------

def _text(value: Any) -> str:
    return "" if value is None else str(value)


def _inline_diff(old: str, new: str) -> list[tuple[str, str]]:
    """Return [(kind, text)] word runs of old -> new; kind is 'same', 'del' or 'ins'."""
    a, b = re.findall(r"\s+|[^\s]+", old), re.findall(r"\s+|[^\s]+", new)
    out: list[tuple[str, str]] = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes():
        if op == "equal":
            out.append(("same", "".join(a[i1:i2])))
            continue
        if i2 > i1:
            out.append(("del", "".join(a[i1:i2])))
        if j2 > j1:
            out.append(("ins", "".join(b[j1:j2])))
    return out


def history_view(job: dict[str, Any]) -> list[dict[str, Any]]:
    """Return the job's changes, newest first: [{when, crawl_id, changes: [{field, old, new, diff}]}].

    Each history row holds the values before one change; the value after it is the next
    change's old value for that field, or the job's current value.
    """
    history = list(job.get("history") or [])
    out = []
    for index, entry in enumerate(history):
        old_values = entry.get("old_values") or {}
        changes = []
        for field in entry.get("changed_fields") or list(old_values):
            if field == "description_html":
                continue  # the markdown description shows the same change readably
            new_value: Any = job.get(field)
            for later in history[index + 1:]:
                if field in (later.get("old_values") or {}):
                    new_value = later["old_values"][field]
                    break
            old_text, new_text = field_value(field, old_values.get(field)), field_value(field, new_value)
            long = field == "description" or len(_text(old_values.get(field))) > 80 or len(_text(new_value)) > 80
            changes.append({
                "field": field, "label": field_label(field), "old": old_text, "new": new_text,
                "diff": _inline_diff(_text(old_values.get(field)), _text(new_value)) if long else None,
            })
        out.append({"when": entry.get("changed_at"), "crawl_id": entry.get("crawl_id"), "changes": changes})
    return list(reversed(out))


def provenance_view(job: dict[str, Any]) -> list[dict[str, Any]]:
    """Return [{field, label, source, quote}] for every field the provenance names."""
    prov = job.get("provenance") or {}
    rows = []
    for field, info in prov.items():
        if not isinstance(info, dict):
            info = {"method": str(info)}
        method = str(info.get("method") or "")
        rows.append({
            "field": field, "label": field_label(field),
            "source": METHOD_LABELS.get(method, method or "unknown"),
            "quote": info.get("quote"),
        })
    order = list(FIELD_LABELS)
    return sorted(rows, key=lambda r: order.index(r["field"]) if r["field"] in order else len(order))


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
        for c in items:
            c["crawl_country"] = last.get(normalize_company(c["name"]))
    except ValidationError as exc:
        first = exc.errors(include_input=False)[0]
        field = ".".join(str(p) for p in first.get("loc", ())) or "search"
        error = f"{field}: {str(first.get('msg', 'invalid')).removeprefix('Value error, ')}"
    return _page("companies.html", title="Companies", q=q, country_text=country_text, country=country,
                 items=items, error=error, countries=countries(), searched=bool(q or country_text))


CRAWL_LIST_SIZE = 50


def _starter(requested_by: str | None, identity: Identity, names: dict[str, str]) -> str:
    """Return who started a crawl in words: 'you', an account's email, the command line, or '—'."""
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
        view["started_by"] = _starter(view.get("requested_by"), identity, names)
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
        field = ".".join(str(p) for p in first.get("loc", ())) or "search"
        reason = str(first.get("msg", "invalid")).removeprefix("Value error, ")
        return None, f"{field_label(field)}: {reason}", raw


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
