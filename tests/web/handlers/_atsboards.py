"""Shared helpers for the stand-in ATS handlers: board files, 429-once, truncation, robots.txt."""
from __future__ import annotations

import hashlib
import json
from pathlib import Path

from _http import Response, json_response

DATA = Path(__file__).resolve().parent.parent / "data"

ROBOTS_ALLOW = "User-agent: *\nAllow: /\n"


def load_json(ats: str, token: str) -> dict | None:
    """Return a hand-made board file tests/web/data/<ats>/<token>.json, or None."""
    if not token or "/" in token or token.startswith("."):
        return None
    path = DATA / ats / f"{token.lower()}.json"
    return json.loads(path.read_text(encoding="utf-8")) if path.is_file() else None


def rate_limited_once(state: dict, key: str) -> Response | None:
    """Answer 429 with Retry-After the first time a key is asked, counting in the state dict."""
    seen = state.get(key, 0)
    state[key] = seen + 1
    if seen == 0:
        return json_response({"error": "Too Many Requests"}, 429, {"retry-after": "1"})
    return None


def board_answer(board: dict, body: str, state: dict, key: str, ctype: str, req=None) -> Response:
    """Answer a board's body, honouring its flags: rate_limit_once, truncate.

    With state["etags"] (and the request given), the answer has an ETag (a hash of the body)
    and a request whose If-None-Match names it is answered 304 Not Modified, without a body.
    """
    if board.get("rate_limit_once"):
        limited = rate_limited_once(state, key)
        if limited is not None:
            return limited
    if board.get("truncate"):
        body = body[: len(body) // 2]  # a body cut off mid-way, as a dropped connection leaves it
    if state.get("etags") and req is not None:
        etag = '"' + hashlib.sha1(body.encode("utf-8")).hexdigest()[:20] + '"'
        if req.headers.get("if-none-match") == etag:
            return Response(304, b"", {"etag": etag})
        return Response(200, body, {"content-type": ctype, "etag": etag})
    return Response(200, body, {"content-type": ctype})
