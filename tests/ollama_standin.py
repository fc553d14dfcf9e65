"""A stand-in Ollama server on 127.0.0.1 for tests: the real HTTP API, scripted answers.

It speaks what the `ollama` client (used by langchain-ollama's ChatOllama) sends and expects:

- `POST /api/chat` with `{"model", "messages", "stream", "format", "options", ...}`. With
  `stream` true (ChatOllama's default) the answer is NDJSON: one line per content piece
  `{"model", "created_at", "message": {"role": "assistant", "content": piece}, "done": false}`
  and a last line with `"done": true, "done_reason", "prompt_eval_count", "eval_count"` and the
  durations. With `stream` false it is one JSON object with the whole message.
- `format` is honoured as a real server does: a JSON schema (or "json") constrains the answer,
  so a scripted Python object that does not satisfy the schema is a test bug and answers 500.
  Scripted raw strings are sent as they are (to play a model whose output broke off).
- `GET /api/tags` lists the model; `GET /` answers "Ollama is running".

Answers are scripted per test: `server.answers` is a queue; each entry is an `Answer`, a dict
or list (sent as JSON content), a str (sent raw), or a callable `(request_body) -> entry`.
When the queue is empty, `server.default` is used (a callable or entry; None -> HTTP 500).
Every request is recorded in `server.requests` (path, method, parsed body).
"""
from __future__ import annotations

import json
import socket
import threading
import time
from collections import deque
from dataclasses import dataclass
from datetime import datetime, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Callable


@dataclass
class Answer:
    """One scripted reply: content (object -> JSON, str -> raw), and how to deliver it."""

    content: Any = None
    delay: float = 0.0  # seconds to wait before answering (a slow model)
    status: int = 200  # an HTTP error status answers {"error": ...} instead
    error: str = "internal error"
    done_reason: str = "stop"
    prompt_eval_count: int | None = None  # default: a rough count of the prompt
    eval_count: int | None = None  # default: a rough count of the answer
    stream_error: str | None = None  # an {"error": ...} line in the middle of the stream


def free_port() -> int:
    """Return a TCP port on 127.0.0.1 that was free a moment ago."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def schema_errors(value: Any, schema: dict, root: dict | None = None, path: str = "$") -> list[str]:
    """Return why value does not satisfy a JSON schema (the subset pydantic emits), or []."""
    root = root or schema
    if "$ref" in schema:
        name = schema["$ref"].rsplit("/", 1)[-1]
        return schema_errors(value, root.get("$defs", {}).get(name, {}), root, path)
    if "anyOf" in schema:
        options = [schema_errors(value, option, root, path) for option in schema["anyOf"]]
        return [] if any(not o for o in options) else [f"{path}: matches no anyOf option"]
    if "enum" in schema and value not in schema["enum"]:
        return [f"{path}: {value!r} not in enum"]
    kind = schema.get("type")
    checks = {
        "object": lambda v: isinstance(v, dict),
        "array": lambda v: isinstance(v, list),
        "string": lambda v: isinstance(v, str),
        "number": lambda v: isinstance(v, (int, float)) and not isinstance(v, bool),
        "integer": lambda v: isinstance(v, int) and not isinstance(v, bool),
        "boolean": lambda v: isinstance(v, bool),
        "null": lambda v: v is None,
    }
    if kind and not checks[kind](value):
        return [f"{path}: expected {kind}, got {type(value).__name__}"]
    errors: list[str] = []
    if kind == "object":
        for name in schema.get("required", []):
            if name not in value:
                errors.append(f"{path}.{name}: required")
        for name, sub in schema.get("properties", {}).items():
            if name in value:
                errors.extend(schema_errors(value[name], sub, root, f"{path}.{name}"))
    if kind == "array" and "items" in schema:
        for i, item in enumerate(value):
            errors.extend(schema_errors(item, schema["items"], root, f"{path}[{i}]"))
    return errors


class OllamaStandin:
    """A scripted Ollama API server in a thread; use as a context manager."""

    def __init__(self, model: str = "qwen2.5:3b") -> None:
        self.model = model
        self.answers: deque[Any] = deque()
        self.default: Any = None
        self.requests: list[dict[str, Any]] = []
        self.unmatched: list[str] = []
        self._stopping = threading.Event()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler_class())
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    @property
    def chat_requests(self) -> list[dict[str, Any]]:
        """Return the bodies of the /api/chat requests received so far."""
        return [r["body"] for r in self.requests if r["path"] == "/api/chat"]

    def script(self, *entries: Any) -> "OllamaStandin":
        """Queue answers for the next chat requests, in order."""
        self.answers.extend(entries)
        return self

    def answer_by_content(self, *pairs: tuple[str, Any]) -> "OllamaStandin":
        """Answer each chat request by what it asks about, not by arrival order.

        `pairs` are (text, answer): a request gets the answer of the first text found in its
        messages (the page), so concurrent calls pair with their own pages in any order.
        A request none of the texts matches gets a 500 and is recorded as unmatched.
        """
        def pick(body: dict[str, Any]) -> Any:
            text = "\n".join(str(m.get("content", "")) for m in body.get("messages") or [])
            for needle, entry in pairs:
                if needle in text:
                    return entry
            self.unmatched.append(text)
            return None

        self.default = pick
        return self

    def __enter__(self) -> "OllamaStandin":
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def stop(self) -> None:
        """Stop serving (slow answers in progress give up) and free the port."""
        self._stopping.set()
        self._server.shutdown()
        self._server.server_close()

    # -- answering --------------------------------------------------------------------------

    def _next_answer(self, body: dict[str, Any]) -> Answer:
        entry = self.answers.popleft() if self.answers else self.default
        if callable(entry):
            entry = entry(body)
        if entry is None:
            return Answer(status=500, error="stand-in: no scripted answer")
        return entry if isinstance(entry, Answer) else Answer(content=entry)

    def _content_text(self, answer: Answer, body: dict[str, Any]) -> str:
        if isinstance(answer.content, str):
            return answer.content
        fmt = body.get("format")
        if isinstance(fmt, dict):
            problems = schema_errors(answer.content, fmt)
            if problems:
                raise ValueError(f"scripted answer violates the requested format: {problems}")
        return json.dumps(answer.content)

    def _handler_class(self) -> type[BaseHTTPRequestHandler]:
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: Any) -> None:  # keep test output clean
                pass

            def _send_json(self, status: int, payload: Any) -> None:
                data = json.dumps(payload).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json; charset=utf-8")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_GET(self) -> None:  # noqa: N802 - http.server's naming
                server.requests.append({"method": "GET", "path": self.path, "body": None})
                if self.path == "/api/tags":
                    self._send_json(200, {"models": [server._model_entry()]})
                elif self.path in ("/", ""):
                    data = b"Ollama is running"
                    self.send_response(200)
                    self.send_header("Content-Type", "text/plain; charset=utf-8")
                    self.send_header("Content-Length", str(len(data)))
                    self.end_headers()
                    self.wfile.write(data)
                else:
                    self._send_json(404, {"error": "404 page not found"})

            def do_POST(self) -> None:  # noqa: N802
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length) if length else b""
                try:
                    body = json.loads(raw or b"{}")
                except json.JSONDecodeError:
                    self._send_json(400, {"error": "invalid JSON body"})
                    return
                server.requests.append({"method": "POST", "path": self.path, "body": body})
                if self.path != "/api/chat":
                    self._send_json(404, {"error": "404 page not found"})
                    return
                if body.get("model") != server.model:
                    self._send_json(404, {"error": f"model '{body.get('model')}' not found"})
                    return
                answer = server._next_answer(body)
                if answer.delay and server._stopping.wait(answer.delay):
                    return
                if answer.status != 200:
                    self._send_json(answer.status, {"error": answer.error})
                    return
                try:
                    content = server._content_text(answer, body)
                except ValueError as exc:
                    self._send_json(500, {"error": str(exc)})
                    return
                final = server._final_fields(answer, body, content)
                if body.get("stream", True):
                    self._stream(content, final, answer)
                else:
                    self._send_json(200, {**server._base(), "message": {"role": "assistant", "content": content},
                                          **final})

            def _stream(self, content: str, final: dict[str, Any], answer: Answer) -> None:
                self.send_response(200)
                self.send_header("Content-Type", "application/x-ndjson")
                self.send_header("Transfer-Encoding", "chunked")
                self.end_headers()
                size = max(1, len(content) // 4)
                pieces = [content[i:i + size] for i in range(0, len(content), size)] or [""]
                for number, piece in enumerate(pieces):
                    if answer.stream_error and number == len(pieces) // 2:
                        self._chunk({"error": answer.stream_error})
                        break
                    self._chunk({**server._base(), "message": {"role": "assistant", "content": piece},
                                 "done": False})
                else:
                    self._chunk({**server._base(), "message": {"role": "assistant", "content": ""}, **final})
                self.wfile.write(b"0\r\n\r\n")

            def _chunk(self, payload: dict[str, Any]) -> None:
                line = json.dumps(payload).encode() + b"\n"
                self.wfile.write(f"{len(line):x}\r\n".encode() + line + b"\r\n")
                self.wfile.flush()

        return Handler

    def _base(self) -> dict[str, Any]:
        return {"model": self.model, "created_at": datetime.now(timezone.utc).isoformat().replace("+00:00", "Z")}

    def _final_fields(self, answer: Answer, body: dict[str, Any], content: str) -> dict[str, Any]:
        prompt_chars = sum(len(m.get("content") or "") for m in body.get("messages", []))
        return {
            "done": True,
            "done_reason": answer.done_reason,
            "total_duration": 1_000_000,
            "load_duration": 10_000,
            "prompt_eval_count": answer.prompt_eval_count if answer.prompt_eval_count is not None
            else max(1, prompt_chars // 4),
            "prompt_eval_duration": 500_000,
            "eval_count": answer.eval_count if answer.eval_count is not None else max(1, len(content) // 4),
            "eval_duration": 400_000,
        }

    def _model_entry(self) -> dict[str, Any]:
        return {
            "name": self.model,
            "model": self.model,
            "modified_at": "2025-01-01T00:00:00Z",
            "size": 1_929_912_432,
            "digest": "0" * 64,
            "details": {"format": "gguf", "family": "qwen2", "parameter_size": "3.1B",
                        "quantization_level": "Q4_K_M"},
        }


def wait_until(predicate: Callable[[], bool], timeout: float = 5.0) -> bool:
    """Return True once predicate() holds, False after timeout seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.02)
    return predicate()
