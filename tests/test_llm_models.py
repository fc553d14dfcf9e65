"""The chat model factory and config: Ollama default, and the OpenAI-compatible llama.cpp path."""
from __future__ import annotations

import asyncio
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Iterator

import pytest
from langchain_ollama import ChatOllama

from jobos.llm.extract import extract
from jobos.llm.models import LlmConfig, make_chat_model, make_chat_model_from_config
from jobos.llm.schema import JobExtraction

PAGE = "# Welder\n\nLocation: Toledo, OH\n\nPay: $28/hour\n"


class OpenAIStandin:
    """A minimal OpenAI-compatible /v1/chat/completions server (as llama.cpp's), recording bodies."""

    def __init__(self, content: str) -> None:
        self.bodies: list[dict[str, Any]] = []
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:
                pass

            def do_POST(self) -> None:  # noqa: N802
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                outer.bodies.append({"path": self.path, **body})
                data = json.dumps({
                    "id": "chatcmpl-1", "object": "chat.completion", "created": 0, "model": body["model"],
                    "choices": [{"index": 0, "finish_reason": "stop",
                                 "message": {"role": "assistant", "content": content}}],
                    "usage": {"prompt_tokens": 321, "completion_tokens": 45, "total_tokens": 366},
                }).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/v1"

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture()
def openai_server() -> Iterator[OpenAIStandin]:
    answer = {"is_job_posting": True, "title": {"value": "Welder", "quote": "Welder"},
              "salary_min": {"value": 28, "quote": "Pay: $28/hour"},
              "salary_period": {"value": "HOUR", "quote": "$28/hour"}}
    server = OpenAIStandin(json.dumps(answer))
    yield server
    server.close()


def test_openai_provider_constrains_llama_cpp_with_json_object_schema(openai_server: OpenAIStandin) -> None:
    model = make_chat_model("openai", "gemma3-270m", openai_server.url, 10)
    result = asyncio.run(extract(model, PAGE, "https://acme.com/jobs/welder", budget=6000))
    (body,) = openai_server.bodies
    assert body["path"] == "/v1/chat/completions"
    assert body["response_format"] == {"type": "json_object", "schema": JobExtraction.model_json_schema()}
    assert result.status == "ok"
    assert result.accepted == {"title": "Welder", "salary_min": 28, "salary_period": "HOUR"}
    assert (result.input_tokens, result.output_tokens) == (321, 45)


def test_openai_provider_needs_a_base_url(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("JOBOS_LLM_BASE_URL", raising=False)
    with pytest.raises(ValueError, match="JOBOS_LLM_BASE_URL"):
        make_chat_model("openai", "m", None, 5)


def test_config_defaults_need_no_api_key(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("OLLAMA_HOST", "JOBOS_LLM_PROVIDER", "JOBOS_LLM_MODEL", "JOBOS_LLM_BASE_URL",
                 "JOBOS_LLM_TIMEOUT", "JOBOS_LLM_CONCURRENCY", "JOBOS_LLM_TOKEN_BUDGET", "OPENAI_API_KEY"):
        monkeypatch.delenv(name, raising=False)
    config = LlmConfig.load()
    assert (config.provider, config.model, config.base_url) == ("ollama", "qwen2.5:3b", "http://127.0.0.1:11434")
    assert (config.timeout, config.concurrency, config.token_budget) == (60.0, 2, 6000)
    model = make_chat_model_from_config(config)
    assert isinstance(model, ChatOllama) and model.base_url == "http://127.0.0.1:11434"


def test_config_reads_environment_and_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OLLAMA_HOST", "10.1.2.3:11434")
    monkeypatch.setenv("JOBOS_LLM_TOKEN_BUDGET", "1234")
    config = LlmConfig.load({"JOBOS_LLM_MODEL": "llama3.2:1b", "JOBOS_LLM_CONCURRENCY": "4"})
    assert config.model == "llama3.2:1b" and config.concurrency == 4 and config.token_budget == 1234
    assert make_chat_model_from_config(config).base_url == "http://10.1.2.3:11434"
    with pytest.raises(ValueError, match="JOBOS_LLM_PROVIDER"):
        LlmConfig.load({"JOBOS_LLM_PROVIDER": "bard"})
