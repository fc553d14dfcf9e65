"""JOBOS_LOG_FORMAT=json: the API logs one JSON object per line."""
from __future__ import annotations

import io
import json
import logging

from api.logs import JsonFormatter
from tests.apptest import close_app, make_app


def test_access_log_is_one_json_object_per_line(tmp_path, monkeypatch):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    app = make_app(tmp_path)
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    access = logging.getLogger("api.access")
    access.addHandler(handler)
    access.setLevel(logging.INFO)
    try:
        client = app.test_client()
        client.get("/api/jobs", headers={"X-Request-ID": "req-123"})
        client.get("/nope\"quoted")
    finally:
        access.removeHandler(handler)
        close_app(app)
    lines = stream.getvalue().splitlines()
    records = [json.loads(line) for line in lines]
    assert len(records) == 2
    assert records[0]["status"] == 401 and records[0]["path"] == "/api/jobs" and records[0]["request_id"] == "req-123"
    assert records[1]["status"] == 404 and records[1]["path"] == '/nope"quoted'
    assert all({"ts", "level", "logger", "message", "duration_ms"} <= set(r) for r in records)
