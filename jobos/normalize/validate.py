"""Record validation: the reason a record must be dropped, if any."""
from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from itemadapter import ItemAdapter


def problems(item: Any) -> str | None:
    """Return a drop reason ('no_title', 'no_url', 'bad_url_scheme') or None for a keepable record."""
    adapter = ItemAdapter(item)
    title = adapter.get("title")
    if not isinstance(title, str) or not title.strip():
        return "no_title"
    url = adapter.get("url")
    if not isinstance(url, str) or not url.strip():
        return "no_url"
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return "bad_url_scheme"
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return "bad_url_scheme"
    return None
