"""Real corpus pages at their real URLs, for bench/bench_pages.py (inactive unless it asks).

The benchmark writes a JSON list of {"url", "file"} and names it in $JOBOS_BENCH_PAGES before
it starts the stand-in web. Every host of those URLs is then answered here alone: a URL the
corpus holds gets its file, anything else on those hosts 404, as an unknown page would. Two
files recorded at one URL (a page before and after its jobs closed) are told apart by the
crawl's User-Agent, which carries "jobos-bench/<n>" (n: the entry of the page crawled).
"""
from __future__ import annotations

import json
import mimetypes
import os
import re
from urllib.parse import parse_qs, unquote, urlsplit

from _http import Req, Response

PRIORITY = -10  # before every other handler: these hosts are the corpus's alone during a bench

_ENTRIES: list[dict] = []
if os.environ.get("JOBOS_BENCH_PAGES"):
    with open(os.environ["JOBOS_BENCH_PAGES"], encoding="utf-8") as fh:
        _ENTRIES = json.load(fh)
HOSTS = {(urlsplit(e["url"]).hostname or "").lower() for e in _ENTRIES}


def _key(host: str, path: str, query: dict) -> tuple:
    return host.lower(), (path.rstrip("/") or "/"), tuple(sorted((k, tuple(v)) for k, v in query.items()))


_BY_KEY: dict[tuple, list[int]] = {}
for _i, _e in enumerate(_ENTRIES):
    _parts = urlsplit(_e["url"])
    _BY_KEY.setdefault(_key(_parts.hostname or "", unquote(_parts.path) or "/", parse_qs(_parts.query)), []).append(_i)


def handle(req: Req, state: dict) -> Response | None:
    found = _BY_KEY.get(_key(req.host, req.path, req.query))
    if not found:
        return Response(404, "<html><body><h1>Not Found</h1></body></html>", {"content-type": "text/html"})
    wanted = re.search(r"jobos-bench/(\d+)", req.headers.get("user-agent", ""))
    index = found[0]
    if wanted and int(wanted.group(1)) in found:
        index = int(wanted.group(1))
    path = _ENTRIES[index]["file"]
    ctype = mimetypes.guess_type(path)[0] or "text/html"
    if path.endswith(".js"):
        ctype = "application/javascript"
    with open(path, "rb") as fh:
        body = fh.read()
    return Response(200, body, {"content-type": f"{ctype}; charset=utf-8"})
