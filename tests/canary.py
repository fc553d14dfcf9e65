"""A canary HTTP server on 127.0.0.1 that records every request reaching it.

It stands for what a hostile page aims at inside the machine (a local admin service, a
scrapyd, a metadata endpoint): any request, WebSocket upgrade or raw connection that arrives
is recorded, and tests assert that nothing did. It answers GETs with a job posting, so a page
stored from it would show up as a job too.
"""
from __future__ import annotations

import threading
from socketserver import BaseRequestHandler, ThreadingTCPServer

JOB_PAGE = (
    b"<!DOCTYPE html><html><head><title>Canary secret job</title>"
    b'<script type="application/ld+json">{"@context": "https://schema.org", "@type": "JobPosting",'
    b' "title": "Canary secret job", "description": "internal data", "identifier": "canary-1",'
    b' "datePosted": "2026-01-01", "hiringOrganization": {"name": "Canary"}}</script></head>'
    b"<body><h1>Canary secret job</h1><p>internal data</p></body></html>"
)


class _Handler(BaseRequestHandler):
    def handle(self) -> None:
        self.request.settimeout(3)
        data = b""
        try:
            while b"\r\n\r\n" not in data and len(data) < 65536:
                chunk = self.request.recv(4096)
                if not chunk:
                    break
                data += chunk
            head, _, body = data.partition(b"\r\n\r\n")
            lower = head.lower()
            if b"content-length:" in lower:
                length = int(lower.split(b"content-length:", 1)[1].split(b"\r\n", 1)[0].strip() or 0)
                while len(body) < min(length, 1 << 20):
                    chunk = self.request.recv(65536)
                    if not chunk:
                        break
                    body += chunk
            elif b"chunked" in lower:
                while not body.endswith(b"0\r\n\r\n"):
                    chunk = self.request.recv(65536)
                    if not chunk:
                        break
                    body += chunk
            data = head + b"\r\n\r\n" + body
        except OSError:
            pass
        self.server.canary.record(data)  # type: ignore[attr-defined]
        body = JOB_PAGE
        try:
            self.request.sendall(
                b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n"
                b"Content-Length: " + str(len(body)).encode() + b"\r\nConnection: close\r\n\r\n" + body)
        except OSError:
            pass


class Canary:
    """Context manager: a TCP/HTTP server on 127.0.0.1:<free port>; `.hits` lists request heads."""

    def __init__(self) -> None:
        ThreadingTCPServer.allow_reuse_address = True
        self.server = ThreadingTCPServer(("127.0.0.1", 0), _Handler)
        self.server.daemon_threads = True
        self.server.canary = self  # type: ignore[attr-defined]
        self.port = self.server.server_address[1]
        self.hits: list[str] = []  # request heads
        self.bodies: list[bytes] = []
        self._lock = threading.Lock()
        self._thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def record(self, head: bytes) -> None:
        head, _, body = head.partition(b"\r\n\r\n")
        with self._lock:
            self.hits.append(head.decode("latin-1"))
            self.bodies.append(body)

    def __enter__(self) -> "Canary":
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()


