"""Tiny request/response types for stand-in web handlers (stdlib only: runs inside mitmproxy)."""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from urllib.parse import parse_qs


@dataclass
class Req:
    method: str
    scheme: str
    host: str
    path: str  # without the query string
    query: dict[str, list[str]]
    headers: dict[str, str]  # lower-case names
    body: bytes = b""

    def arg(self, name: str, default: str | None = None) -> str | None:
        values = self.query.get(name)
        return values[0] if values else default

    def json(self):
        return json.loads(self.body or b"null")

    def form(self) -> dict[str, list[str]]:
        return parse_qs(self.body.decode("utf-8", "replace"))


@dataclass
class Response:
    status: int = 200
    body: bytes | str = b""
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0  # seconds to stall before answering
    kill: bool = False  # drop the connection instead of answering (reset)

    def data(self) -> bytes:
        return self.body.encode("utf-8") if isinstance(self.body, str) else self.body


def json_response(obj, status: int = 200, headers: dict[str, str] | None = None) -> Response:
    hdrs = {"content-type": "application/json; charset=utf-8"}
    hdrs.update(headers or {})
    return Response(status, json.dumps(obj), hdrs)


def html_response(text: str, status: int = 200, headers: dict[str, str] | None = None) -> Response:
    hdrs = {"content-type": "text/html; charset=utf-8"}
    hdrs.update(headers or {})
    return Response(status, text, hdrs)


def not_found(what: str = "Not Found") -> Response:
    return json_response({"error": what}, status=404)


def host_matches(host: str, hosts) -> bool:
    """True when host is one of hosts, or ends with an entry that starts with a dot."""
    host = host.lower()
    for entry in hosts:
        if entry.startswith(".") and (host.endswith(entry) or host == entry[1:]):
            return True
        if host == entry:
            return True
    return False
