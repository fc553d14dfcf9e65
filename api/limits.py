"""Rate limits checked by hand (beside Flask-Limiter's decorators): failed sign-ins per account,
requests to no route, answered as the one 429 shape with Retry-After."""
from __future__ import annotations

import hashlib
import math
import time

from flask import current_app
from limits import parse

from api.errors import ApiError


def _limiter():
    limiter = current_app.extensions.get("jobos_limiter")
    return limiter if limiter is not None and limiter.enabled else None


def key_of(text: str) -> str:
    """Return a short hash to key a counter by (an email is not kept in the counter store)."""
    return hashlib.sha256(text.encode("utf-8", "replace")).hexdigest()[:32]


def too_many(config_key: str, scope: str, key: str) -> ApiError:
    """Return the 429 ApiError for the limit in config_key, with Retry-After from its window."""
    item = parse(current_app.config[config_key])
    wait = item.get_expiry()
    limiter = _limiter()
    if limiter is not None:
        reset_at = limiter.limiter.get_window_stats(item, scope, key).reset_time
        wait = min(max(1, math.ceil(reset_at - time.time())), item.get_expiry())
    return ApiError(
        429, "rate_limited", f"Too many requests: the limit is {item}; retry later",
        {"limit": str(item), "retry_after": wait}, headers={"Retry-After": str(wait)},
    )


def allowed(config_key: str, scope: str, key: str) -> bool:
    """Return False when the limit is used up (counts nothing)."""
    limiter = _limiter()
    return limiter is None or limiter.limiter.test(parse(current_app.config[config_key]), scope, key)


def hit(config_key: str, scope: str, key: str) -> bool:
    """Count one against the limit; return False when it was already used up."""
    limiter = _limiter()
    return limiter is None or limiter.limiter.hit(parse(current_app.config[config_key]), scope, key)
