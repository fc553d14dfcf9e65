"""mitmproxy addon: the stand-in web. Answers every request locally; nothing leaves the machine.

Order: the control channel (http://standin.control/), handler modules (handlers/*.py), static
files (sites/<host>/<path>), else the connection is killed as for an unreachable host.
"""
from __future__ import annotations

import importlib.util
import json
import mimetypes
import sys
import asyncio
import threading
from pathlib import Path
from urllib.parse import parse_qs, unquote

from mitmproxy import http

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE / "handlers"))

from _http import Req, Response, host_matches  # noqa: E402

CONTROL_HOST = "standin.control"


def _load_handlers():
    """Load handlers/*.py (not _*.py), ordered by their PRIORITY (default 100), then name.

    Each is registered in sys.modules as standin_<name>, so a handler may reach another's data
    (the benchmark's generated boards do).
    """
    handlers = []
    for path in sorted((HERE / "handlers").glob("*.py")):
        if path.name.startswith("_"):
            continue
        name = f"standin_{path.stem}"
        spec = importlib.util.spec_from_file_location(name, path)
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
        handlers.append(module)
    handlers.sort(key=lambda m: getattr(m, "PRIORITY", 100))
    return handlers


class StandinWeb:
    def __init__(self):
        self.handlers = _load_handlers()
        self.state: dict = {}
        self.log: list[dict] = []
        self.lock = threading.Lock()

    # --- helpers -------------------------------------------------------------------------
    def _req(self, flow: http.HTTPFlow) -> Req:
        r = flow.request
        return Req(
            method=r.method,
            scheme=r.scheme,
            host=(r.pretty_host or r.host).lower(),
            path=unquote(r.path.split("?", 1)[0]) or "/",
            query=parse_qs(r.path.split("?", 1)[1]) if "?" in r.path else {},
            headers={k.lower(): v for k, v in r.headers.items()},
            body=r.raw_content or b"",
        )

    def _control(self, req: Req) -> Response:
        if req.path == "/state" and req.method == "POST":
            with self.lock:
                self.state.update(req.json() or {})
            return Response(200, json.dumps(self.state), {"content-type": "application/json"})
        if req.path == "/state":
            return Response(200, json.dumps(self.state), {"content-type": "application/json"})
        if req.path == "/reset" and req.method == "POST":
            with self.lock:
                self.state.clear()
                self.log.clear()
            return Response(200, "{}", {"content-type": "application/json"})
        if req.path == "/log":
            with self.lock:
                return Response(200, json.dumps(self.log), {"content-type": "application/json"})
        return Response(404, "no such control endpoint")

    def _static(self, req: Req) -> Response | None:
        root = HERE / "sites" / req.host
        if not root.is_dir():
            return None
        rel = req.path.lstrip("/")
        candidate = (root / rel).resolve()
        if root.resolve() not in candidate.parents and candidate != root.resolve():
            return Response(403, "forbidden")
        if candidate.is_dir():
            candidate = candidate / "index.html"
        elif not candidate.exists() and candidate.with_suffix(".html").exists():
            candidate = candidate.with_suffix(".html")
        if not candidate.is_file():
            return Response(404, "<html><body><h1>Not Found</h1></body></html>",
                            {"content-type": "text/html"})
        ctype = mimetypes.guess_type(candidate.name)[0] or "application/octet-stream"
        if ctype.startswith("text/") or ctype in ("application/json", "application/xml"):
            ctype += "; charset=utf-8"
        return Response(200, candidate.read_bytes(), {"content-type": ctype})

    def _answer(self, req: Req) -> Response | None:
        if req.host == CONTROL_HOST:
            return self._control(req)
        for module in self.handlers:
            if host_matches(req.host, getattr(module, "HOSTS", ())):
                resp = module.handle(req, self.state)
                if resp is not None:
                    return resp
        return self._static(req)

    # --- mitmproxy hook ------------------------------------------------------------------
    async def request(self, flow: http.HTTPFlow) -> None:
        req = self._req(flow)
        entry: dict = {}
        if req.host != CONTROL_HOST:
            entry = {"method": req.method, "url": flow.request.pretty_url,
                     "ua": req.headers.get("user-agent", "")}
            with self.lock:
                self.log.append(entry)
        try:
            resp = self._answer(req)
        except Exception as exc:  # a handler bug must show up as a 500, not hang the test
            resp = Response(500, f"stand-in handler error: {exc!r}")
        if resp is None or resp.kill:
            entry["status"] = "killed"
            flow.kill()
            return
        entry["status"] = resp.status  # what was served, so tests can see a 429 then its retry
        if resp.delay:
            await asyncio.sleep(resp.delay)
        flow.response = http.Response.make(resp.status, resp.data(), resp.headers)


addons = [StandinWeb()]
