"""The one JSON error shape, {"error": {"code", "message", "detail"}}, for every error."""
from __future__ import annotations

import logging
import math
import time
from typing import Any

from flask import Flask, current_app, jsonify
from pydantic import ValidationError
from werkzeug.exceptions import HTTPException

from jobos.args import field_of, rule_message

logger = logging.getLogger(__name__)


class ApiError(Exception):
    """An error answered as the one JSON shape with an HTTP status."""

    def __init__(
        self,
        status: int,
        code: str,
        message: str,
        detail: Any = None,
        headers: dict[str, str] | None = None,
    ):
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.detail = detail
        self.headers = headers or {}


def error_response(status: int, code: str, message: str, detail: Any = None, headers=None):
    """Return a Flask response in the one error shape."""
    resp = jsonify({"error": {"code": code, "message": message, "detail": detail}})
    resp.status_code = status
    for key, value in (headers or {}).items():
        resp.headers[key] = value
    return resp


def validation_detail(exc: ValidationError, location: str) -> list[dict[str, str]]:
    """Return one {field, reason, location} per problem; the rejected input is never echoed."""
    out = []
    for err in exc.errors(include_input=False, include_url=False):
        # The one wording of each rule, shared with the CLI and the page (jobos.args).
        out.append({"field": field_of(err, location), "reason": rule_message(err), "location": location})
    return out


def validation_error(exc: ValidationError, location: str) -> ApiError:
    """Return the 422 ApiError for a pydantic ValidationError."""
    detail = validation_detail(exc, location)
    first = detail[0] if detail else {"field": location, "reason": "invalid"}
    return ApiError(422, "validation_error", f"{first['field']}: {first['reason']}", detail)


_CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    406: "not_acceptable",
    409: "conflict",
    413: "payload_too_large",
    415: "unsupported_media_type",
    422: "validation_error",
    429: "rate_limited",
    500: "internal_error",
    503: "unavailable",
}


def _retry_after() -> str:
    limiter = current_app.extensions.get("jobos_limiter")
    try:
        current = limiter.current_limit if limiter else None
        if current is not None:
            wait = max(1, math.ceil(current.reset_at - time.time()))
            # reset_at is a whole second; never ask for more than the limit's own window.
            window = current.limit.get_expiry()
            return str(min(wait, window) if window else wait)
    except Exception:  # the header must not turn a 429 into a 500
        logger.debug("could not compute Retry-After", exc_info=True)
    return "60"


def register_error_handlers(app: Flask) -> None:
    """Route every error (ours, HTTP, validation, unexpected) into the one shape."""

    @app.errorhandler(ApiError)
    def _api_error(exc: ApiError):
        return error_response(exc.status, exc.code, exc.message, exc.detail, exc.headers)

    @app.errorhandler(ValidationError)
    def _validation(exc: ValidationError):
        err = validation_error(exc, "body")
        return error_response(err.status, err.code, err.message, err.detail)

    @app.errorhandler(HTTPException)
    def _http(exc: HTTPException):
        status = exc.code or 500
        headers: dict[str, str] = {}
        detail = None
        if status == 429:
            headers["Retry-After"] = _retry_after()
            detail = {"limit": exc.description, "retry_after": int(headers["Retry-After"])}
            message = f"Too many requests: the limit is {exc.description}; retry later"
        elif status == 405:
            allowed = getattr(exc, "valid_methods", None) or []
            if allowed:
                headers["Allow"] = ", ".join(sorted(allowed))
            detail = {"allowed": sorted(allowed)} if allowed else None
            message = "This method is not allowed on this URL"
        elif status == 404:
            message = "No such resource"
        elif status == 413:
            limit = current_app.config.get("MAX_CONTENT_LENGTH")
            message = f"The request body is larger than the {limit} bytes this API accepts"
            detail = {"max_bytes": limit}
        else:
            message = exc.description or exc.name
            # Our own HTTPExceptions (an id out of range) carry the field that failed.
            detail = getattr(exc, "jobos_detail", None)
        return error_response(status, _CODES.get(status, exc.name.lower().replace(" ", "_")), message, detail, headers)

    @app.errorhandler(Exception)
    def _unexpected(exc: Exception):
        logger.exception("unhandled error")
        return error_response(500, "internal_error", "Internal error; it has been logged", None)
