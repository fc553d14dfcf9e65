"""Who is asking: local JWTs, external JWTs (HS256 secret or JWKS), roles, CSRF for cookies."""
from __future__ import annotations

import datetime as dt
import functools
import hashlib
import hmac
import logging
import secrets
import threading
from dataclasses import dataclass
from typing import Any, Callable

import jwt
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from flask import current_app, g, request

from api import limits
from api.errors import ApiError
from api.models import ROLES

logger = logging.getLogger(__name__)

LOCAL_ISSUER = "jobos"
LOCAL_AUDIENCE = "jobos-api"
ROLE_RANK = {role: rank for rank, role in enumerate(ROLES)}
UNSAFE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}
_hasher = PasswordHasher()
# Verifying a wrong password against a real hash keeps login time equal for unknown emails.
_DUMMY_HASH = _hasher.hash(secrets.token_urlsafe(16))


@dataclass(frozen=True)
class Identity:
    """The caller: a subject ('user:3', 'profile:7', 'anonymous') and a role."""

    subject: str
    role: str
    kind: str  # local | external | anonymous
    email: str | None = None
    via_cookie: bool = False

    def at_least(self, role: str) -> bool:
        return ROLE_RANK.get(self.role, -1) >= ROLE_RANK[role]


ANONYMOUS = Identity(subject="anonymous", role="viewer", kind="anonymous")


def hash_password(password: str) -> str:
    """Return an argon2id hash of the password."""
    return _hasher.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    """Return True when the password matches the stored argon2 hash."""
    try:
        return _hasher.verify(password_hash or _DUMMY_HASH, password) and bool(password_hash)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def authenticate(email: str, password: str) -> dict[str, Any]:
    """Return the local account these credentials sign in to, or raise 401/403/429.

    Failed attempts are counted per account (from any address) on top of the per-IP limit; a
    disabled account is said so before its password is checked; an unknown email costs one
    hash verification, as a known one does.
    """
    key = limits.key_of(email)
    if not limits.allowed("RATELIMIT_LOGIN_ACCOUNT", "login-account", key):
        raise limits.too_many("RATELIMIT_LOGIN_ACCOUNT", "login-account", key)
    user = current_app.extensions["jobos_store"].get_user_by_email(email)
    if user and user.get("disabled"):
        raise ApiError(403, "account_disabled", "This account is disabled; an admin can enable it again")
    if not verify_password(user.get("password_hash") if user else None, password) or not user:
        limits.hit("RATELIMIT_LOGIN_ACCOUNT", "login-account", key)
        raise ApiError(401, "invalid_credentials", "Wrong email or password")
    return user


def revoke(identity: Identity) -> bool:
    """Return True after ending every token of the identity's local account (sign-out)."""
    if identity.kind != "local" or not identity.subject.startswith("user:"):
        return False  # an external issuer's tokens are that issuer's to revoke
    current_app.extensions["jobos_store"].revoke_tokens(int(identity.subject[5:]))
    return True


def visible_run(run: dict[str, Any], identity: Identity) -> dict[str, Any]:
    """Return a crawl run as this caller may see it: a viewer sees other users' runs without
    their arguments or who asked for them."""
    if identity.at_least("user") or (identity.kind != "anonymous" and run.get("requested_by") == identity.subject):
        return run
    return {**run, "args": None, "requested_by": None}


def issue_local_token(user: dict[str, Any], auth_time: int | None = None) -> tuple[str, int]:
    """Return a signed short-lived HS256 access token for a local account, and its lifetime.

    auth_time (epoch seconds) is when the session signed in, kept when the page renews the
    token; the token never outlives auth_time + SESSION_MAX.
    """
    now = dt.datetime.now(dt.timezone.utc)
    auth_time = int(now.timestamp()) if auth_time is None else int(auth_time)
    ttl = min(int(current_app.config["TOKEN_TTL"]),
              auth_time + int(current_app.config["SESSION_MAX"]) - int(now.timestamp()))
    if ttl <= 0:
        raise _unauthorized("The session has reached its longest lifetime; sign in again")
    claims = {
        "iss": LOCAL_ISSUER,
        "aud": LOCAL_AUDIENCE,
        "sub": f"user:{user['id']}",
        "email": user.get("email"),
        "role": user.get("role", "viewer"),
        "iat": now,
        "nbf": now,
        "exp": now + dt.timedelta(seconds=ttl),
        "jti": secrets.token_urlsafe(8),
        "auth_time": auth_time,
        # The account's token version: signing out or disabling moves it on, ending this token.
        "ver": int(user.get("token_version") or 0),
    }
    return jwt.encode(claims, current_app.config["SECRET_KEY"], algorithm="HS256"), ttl


class _JwksCache:
    """One PyJWKClient per JWKS URL (it caches keys and refetches on an unknown kid)."""

    def __init__(self) -> None:
        self._clients: dict[str, jwt.PyJWKClient] = {}
        self._lock = threading.Lock()

    def client(self, url: str) -> jwt.PyJWKClient:
        with self._lock:
            if url not in self._clients:
                self._clients[url] = jwt.PyJWKClient(url, cache_keys=True, lifespan=300, timeout=5)
            return self._clients[url]


_jwks = _JwksCache()


def _claim(claims: dict[str, Any], path: str) -> Any:
    value: Any = claims
    for part in path.split("."):
        if not isinstance(value, dict):
            return None
        value = value.get(part)
    return value


def _unauthorized(message: str) -> ApiError:
    return ApiError(401, "unauthorized", message, headers={"WWW-Authenticate": 'Bearer realm="jobos"'})


def _verify_local(token: str) -> Identity:
    cfg = current_app.config
    try:
        claims = jwt.decode(
            token,
            cfg["SECRET_KEY"],
            algorithms=["HS256"],
            audience=LOCAL_AUDIENCE,
            issuer=LOCAL_ISSUER,
            options={"require": ["exp", "sub", "iat"]},
        )
    except jwt.ExpiredSignatureError:
        raise _unauthorized("The token has expired; sign in again") from None
    except jwt.PyJWTError as exc:
        raise _unauthorized(f"The token is not valid: {exc}") from None
    sub = str(claims.get("sub", ""))
    if not sub.startswith("user:") or not sub[5:].isdigit():
        raise _unauthorized("The token is not valid: unknown subject")
    user = current_app.extensions["jobos_store"].get_user(int(sub[5:]))
    if not user or user.get("kind") != "user":
        raise _unauthorized("The token's account no longer exists")
    # Read from the account on every request, so disabling or signing out applies at once.
    if user.get("disabled"):
        raise _unauthorized("This account is disabled")
    try:
        version = int(claims.get("ver", 0))
    except (TypeError, ValueError):
        raise _unauthorized("The token is not valid: bad version") from None
    if version != int(user.get("token_version") or 0):
        raise _unauthorized("The token was revoked (signed out); sign in again")
    # The role is read from the account, so a changed role applies at once.
    return Identity(subject=sub, role=user.get("role", "viewer"), kind="local", email=user.get("email"))


def _verify_external(token: str, header: dict[str, Any]) -> Identity:
    cfg = current_app.config
    alg = header.get("alg")
    options = {"require": ["exp", "sub"]}
    kwargs: dict[str, Any] = {"audience": cfg["JWT_AUDIENCE"], "options": options}
    if cfg.get("JWT_ISSUER"):
        kwargs["issuer"] = cfg["JWT_ISSUER"]
    try:
        if alg == "HS256" and cfg.get("JWT_SECRET"):
            claims = jwt.decode(token, cfg["JWT_SECRET"], algorithms=["HS256"], **kwargs)
        elif alg in ("RS256", "ES256") and cfg.get("JWKS_URL"):
            key = _jwks.client(cfg["JWKS_URL"]).get_signing_key_from_jwt(token)
            claims = jwt.decode(token, key.key, algorithms=["RS256", "ES256"], **kwargs)
        else:
            raise _unauthorized("The token is not valid: no key configured for its algorithm")
    except jwt.ExpiredSignatureError:
        raise _unauthorized("The token has expired") from None
    except jwt.PyJWKClientError as exc:
        logger.warning("JWKS lookup failed: %s", exc)
        raise _unauthorized("The token is not valid: its signing key is unknown") from None
    except jwt.PyJWTError as exc:
        raise _unauthorized(f"The token is not valid: {exc}") from None
    store = current_app.extensions["jobos_store"]
    subject = str(claims["sub"])[:200]
    profile = store.get_or_create_profile(
        subject, claims.get("email"), claims.get("iss"), default_role="viewer"
    )
    claimed = _claim(claims, cfg["JWT_ROLE_CLAIM"]) if cfg.get("JWT_ROLE_CLAIM") else None
    role = claimed if claimed in ROLE_RANK else profile.get("role", "viewer")
    if role not in ROLE_RANK:
        role = "viewer"
    return Identity(
        subject=f"profile:{profile['id']}", role=role, kind="external", email=claims.get("email")
    )


def token_from_request() -> tuple[str | None, bool]:
    """Return the caller's token (Authorization header first, then the cookie) and whether it
    came from the cookie."""
    header = request.headers.get("Authorization", "")
    if header:
        scheme, _, value = header.partition(" ")
        if scheme.lower() != "bearer" or not value.strip():
            raise _unauthorized("The Authorization header must be 'Bearer <token>'")
        return value.strip(), False
    cookie = request.cookies.get(current_app.config["COOKIE_NAME"])
    return (cookie, True) if cookie else (None, False)


def check_csrf() -> None:
    """Raise 403 csrf_failed unless the CSRF header equals the CSRF cookie (double submit)."""
    cfg = current_app.config
    sent = request.headers.get(cfg["CSRF_HEADER"], "")
    expected = request.cookies.get(cfg["CSRF_COOKIE_NAME"], "")
    if not sent or not expected or not hmac.compare_digest(sent, expected):
        raise ApiError(
            403,
            "csrf_failed",
            f"Cookie-authenticated {request.method} requests need the {cfg['CSRF_HEADER']} header "
            f"equal to the {cfg['CSRF_COOKIE_NAME']} cookie",
        )


def current_identity() -> Identity:
    """Return the caller's identity (cached per request); ANONYMOUS without a token."""
    if "jobos_identity" in g:
        return g.jobos_identity
    token, via_cookie = token_from_request()
    if token is None:
        identity = ANONYMOUS
    else:
        try:
            header = jwt.get_unverified_header(token)
            unverified = jwt.decode(token, options={"verify_signature": False})
        except jwt.PyJWTError:
            raise _unauthorized("The token is not a valid JWT") from None
        if unverified.get("iss") == LOCAL_ISSUER and header.get("alg") == "HS256":
            identity = _verify_local(token)
        else:
            identity = _verify_external(token, header)
        if via_cookie:
            identity = Identity(**{**identity.__dict__, "via_cookie": True})
    g.jobos_identity = identity
    return identity


def token_key() -> str:
    """Return the rate-limit key for the caller's token (a hash), or the IP without one."""
    header = request.headers.get("Authorization", "")
    token = header.partition(" ")[2] if header else request.cookies.get(current_app.config["COOKIE_NAME"], "")
    if token:
        return "tok:" + hashlib.sha256(token.encode("utf-8", "replace")).hexdigest()[:32]
    return "ip:" + (request.remote_addr or "unknown")


def require(role: str | None) -> Callable:
    """Decorate a view: role None means a read (open when PUBLIC_READ), else at least `role`."""

    def decorator(view: Callable) -> Callable:
        @functools.wraps(view)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            identity = current_identity()
            if identity.via_cookie and request.method in UNSAFE_METHODS:
                check_csrf()
            needed = role or "viewer"
            if identity.kind == "anonymous":
                if role is None and current_app.config["PUBLIC_READ"]:
                    return view(*args, **kwargs)
                raise _unauthorized("Sign in: this endpoint needs a token (Authorization: Bearer ...)")
            if not identity.at_least(needed):
                raise ApiError(403, "forbidden", f"This needs the role {needed!r}; you have {identity.role!r}")
            return view(*args, **kwargs)

        wrapper._jobos_role = role or "viewer"  # type: ignore[attr-defined]
        return wrapper

    return decorator
