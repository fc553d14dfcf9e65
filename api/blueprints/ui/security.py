"""The page's security plumbing: headers, who is asking, CSRF, sliding sessions, page views."""
from __future__ import annotations

import datetime as dt
import functools
import hmac
import secrets
from typing import Any, Callable
from urllib.parse import urlsplit

import jwt
from flask import Response, current_app, g, redirect, render_template, request, url_for

from api.auth import ANONYMOUS, Identity, current_identity, issue_local_token
from api.blueprints.ui import bp
from api.errors import ApiError

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
