"""Sign in (local accounts), who am I, users and roles (admin), the audit log (admin)."""
from __future__ import annotations

import secrets

from flask import Blueprint, current_app, jsonify

from api.auth import (
    authenticate,
    check_csrf,
    current_identity,
    hash_password,
    issue_local_token,
    require,
    revoke,
    token_from_request,
)
from api.errors import ApiError
from api.ext import audit, store
from api.models import (
    AccountStatus,
    AuditPage,
    AuditQuery,
    LoginRequest,
    Me,
    Message,
    RoleChange,
    Token,
    User,
    UserCreate,
)
from api.spec import doc, parse_body, parse_query

bp = Blueprint("auth", __name__, url_prefix="/api")


def _set_cookies(resp, token: str, csrf: str, ttl: int) -> None:
    cfg = current_app.config
    secure = bool(cfg["PRODUCTION"])
    resp.set_cookie(cfg["COOKIE_NAME"], token, max_age=ttl, httponly=True, secure=secure, samesite="Lax", path="/")
    # Readable by the page's script, which echoes it in the CSRF header (double submit).
    resp.set_cookie(cfg["CSRF_COOKIE_NAME"], csrf, max_age=ttl, httponly=False, secure=secure, samesite="Lax", path="/")


@bp.post("/auth/login")
@doc("Sign in with a local account: a short-lived token, also set as an HttpOnly cookie", "auth",
     body=LoginRequest, response=Token, errors=(401, 403))
def login():
    creds = parse_body(LoginRequest)
    user = authenticate(creds.email, creds.password)
    token, ttl = issue_local_token(user)
    csrf = secrets.token_urlsafe(24)
    body = Token(access_token=token, expires_in=ttl, role=user["role"], csrf_token=csrf)
    resp = jsonify(body.model_dump(mode="json"))
    _set_cookies(resp, token, csrf, ttl)
    return resp


@bp.post("/auth/logout")
@doc("Sign out: ends every token of the account (a cookie sign-out needs the CSRF header) and "
     "clears the cookies", "auth", response=Message, errors=(403,))
def logout():
    cfg = current_app.config
    token, via_cookie = token_from_request()
    if via_cookie:
        check_csrf()  # else any site could sign its visitors out with a form
    identity = None
    if token is not None:
        try:
            identity = current_identity()
        except ApiError:  # an expired or revoked token: nothing left to end
            identity = None
    if identity is not None and revoke(identity):
        audit("user.logout", identity.subject)
    resp = jsonify(Message(message="signed out").model_dump())
    resp.delete_cookie(cfg["COOKIE_NAME"], path="/")
    resp.delete_cookie(cfg["CSRF_COOKIE_NAME"], path="/")
    return resp


@bp.get("/auth/me")
@require("viewer")
@doc("The caller's identity and role", "auth", response=Me)
def me():
    identity = current_identity()
    return jsonify(Me(subject=identity.subject, email=identity.email, role=identity.role, kind=identity.kind).model_dump())


@bp.post("/users")
@require("admin")
@doc("Create a local account", "users", body=UserCreate, response=User, status=201, errors=(409,))
def create_user():
    new = parse_body(UserCreate)
    if store().get_user_by_email(new.email):
        raise ApiError(409, "conflict", "An account with this email exists")
    user_id = store().create_user(new.email, hash_password(new.password), new.role)
    audit("user.create", f"user:{user_id}", {"email": new.email, "role": new.role})
    user = store().get_user(user_id)
    return jsonify(User.model_validate(user).model_dump(mode="json")), 201


@bp.put("/users/<id:principal_id>/role")
@require("admin")
@doc("Change the role of an account or external profile", "users", body=RoleChange, response=Message)
def change_role(principal_id: int):
    change = parse_body(RoleChange)
    if not store().set_role(principal_id, change.role):
        raise ApiError(404, "not_found", f"No account or profile {principal_id}")
    audit("role.change", f"principal:{principal_id}", {"role": change.role})
    return jsonify(Message(message=f"role set to {change.role}").model_dump())


@bp.put("/users/<id:user_id>/disabled")
@require("admin")
@doc("Disable (or enable) a local account: its tokens stop working at once", "users",
     body=AccountStatus, response=Message, errors=(409,))
def set_disabled(user_id: int):
    change = parse_body(AccountStatus)
    if current_identity().subject == f"user:{user_id}" and change.disabled:
        raise ApiError(409, "conflict", "You cannot disable your own account")
    if not store().set_user_disabled(user_id, change.disabled):
        raise ApiError(404, "not_found", f"No local account {user_id}")
    audit("user.disable" if change.disabled else "user.enable", f"user:{user_id}")
    return jsonify(Message(message="account disabled" if change.disabled else "account enabled").model_dump())


@bp.get("/audit")
@require("admin")
@doc("The audit log: who triggered, cancelled, pinned or changed a role, and when", "audit",
     query=AuditQuery, response=AuditPage)
def audit_log():
    query = parse_query(AuditQuery)
    return jsonify(AuditPage(items=store().list_audit(limit=query.limit)).model_dump(mode="json"))
