"""Signed unsubscribe tokens: a link in a mail that works without signing in."""
from __future__ import annotations

from itsdangerous import BadSignature, URLSafeSerializer

_SALT = "jobos-alerts-unsubscribe"


def unsubscribe_token(secret_key: str, search_id: int) -> str:
    """Return a token that lets its holder stop the mails of one saved search."""
    return URLSafeSerializer(secret_key, salt=_SALT).dumps({"s": int(search_id)})


def read_unsubscribe_token(secret_key: str, token: str) -> int | None:
    """Return the saved search id a token names, or None when it is not one we signed."""
    try:
        data = URLSafeSerializer(secret_key, salt=_SALT).loads(token)
    except BadSignature:
        return None
    value = data.get("s") if isinstance(data, dict) else None
    return value if isinstance(value, int) else None
