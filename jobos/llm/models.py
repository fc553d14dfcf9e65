"""The chat model factory and the LLM settings (provider, model, server, timeout, limits)."""
from __future__ import annotations

import logging
from dataclasses import dataclass
from operator import itemgetter
from typing import Any, Mapping

from langchain_core.language_models import BaseChatModel
from langchain_core.output_parsers import PydanticOutputParser
from langchain_core.runnables import Runnable, RunnableMap, RunnablePassthrough

from jobos.config import env

logger = logging.getLogger(__name__)

DEFAULT_OLLAMA_HOST = "http://127.0.0.1:11434"
DEFAULTS: dict[str, Any] = {
    "JOBOS_LLM_PROVIDER": "ollama",
    "JOBOS_LLM_MODEL": "qwen2.5:3b",
    "JOBOS_LLM_BASE_URL": None,
    "JOBOS_LLM_TIMEOUT": 60.0,
    "JOBOS_LLM_CONCURRENCY": 2,
    "JOBOS_LLM_TOKEN_BUDGET": 6000,
    # tokens one answer may have: a grammar-constrained small model can otherwise fill its
    # whole context with one quote
    "JOBOS_LLM_MAX_TOKENS": 1024,
    # consecutive "server unreachable/slow" answers after which a crawl stops calling the model
    "JOBOS_LLM_BREAKER": 3,
    "JOBOS_LLM_ENABLED": True,
}


@dataclass(frozen=True)
class LlmConfig:
    """The LLM settings, read once (Scrapy settings first, then the environment, then defaults)."""

    provider: str
    model: str
    base_url: str | None
    timeout: float
    concurrency: int
    token_budget: int
    max_tokens: int
    breaker: int
    enabled: bool

    @classmethod
    def load(cls, settings: Mapping[str, Any] | Any | None = None) -> "LlmConfig":
        """Return the config from Scrapy settings (or any mapping) over environment variables."""

        def get(name: str) -> Any:
            value = settings.get(name) if settings is not None else None
            if value in (None, ""):
                value = env(name)
            return DEFAULTS[name] if value in (None, "") else value

        provider = str(get("JOBOS_LLM_PROVIDER")).strip().lower()
        if provider not in ("ollama", "openai"):
            raise ValueError(f"JOBOS_LLM_PROVIDER must be 'ollama' or 'openai', got {provider!r}")
        base_url = get("JOBOS_LLM_BASE_URL")
        if provider == "ollama":
            host_setting = settings.get("OLLAMA_HOST") if settings is not None else None
            base_url = base_url or env("OLLAMA_HOST") or host_setting or DEFAULT_OLLAMA_HOST
        enabled = get("JOBOS_LLM_ENABLED")
        if isinstance(enabled, str):
            enabled = enabled.strip().lower() in ("1", "true", "yes", "on")
        return cls(
            provider=provider,
            model=str(get("JOBOS_LLM_MODEL")),
            base_url=base_url,
            timeout=float(get("JOBOS_LLM_TIMEOUT")),
            concurrency=max(1, int(get("JOBOS_LLM_CONCURRENCY"))),
            token_budget=max(1, int(get("JOBOS_LLM_TOKEN_BUDGET"))),
            max_tokens=max(1, int(get("JOBOS_LLM_MAX_TOKENS"))),
            breaker=max(1, int(get("JOBOS_LLM_BREAKER"))),
            enabled=bool(enabled),
        )


def _ollama_base_url(base_url: str | None) -> str:
    url = base_url or env("OLLAMA_HOST") or DEFAULT_OLLAMA_HOST
    # OLLAMA_HOST may be given as "host:port" (the ollama CLI accepts that).
    return url if "://" in url else f"http://{url}"


def make_chat_model(
    provider: str = "ollama", model: str | None = None, base_url: str | None = None, timeout: float = 60.0,
    max_tokens: int | None = DEFAULTS["JOBOS_LLM_MAX_TOKENS"],
) -> BaseChatModel:
    """Return a chat model for the provider: ChatOllama, or ChatOpenAI for OpenAI-compatible servers.

    The OpenAI-compatible model constrains structured output with llama.cpp's
    `{"type": "json_object", "schema": ...}` response format (llama.cpp ignores `json_schema`).
    """
    model = model or DEFAULTS["JOBOS_LLM_MODEL"]
    if provider == "ollama":
        from langchain_ollama import ChatOllama

        return ChatOllama(
            model=model,
            base_url=_ollama_base_url(base_url),
            temperature=0,
            num_predict=max_tokens,
            client_kwargs={"timeout": timeout},
        )
    if provider == "openai":
        base_url = base_url or env("JOBOS_LLM_BASE_URL")
        if not base_url:
            raise ValueError("JOBOS_LLM_PROVIDER=openai needs JOBOS_LLM_BASE_URL (e.g. http://127.0.0.1:8080/v1)")
        return _json_object_chat_openai()(
            model=model,
            base_url=base_url,
            api_key=env("JOBOS_LLM_API_KEY") or env("OPENAI_API_KEY") or "not-needed",
            temperature=0,
            timeout=timeout,
            max_retries=0,  # retries are ours (extract.py), bounded and only for transport errors
            # "max_tokens" in the body: ChatOpenAI would send max_completion_tokens, which
            # llama.cpp's server does not read.
            extra_body={"max_tokens": max_tokens} if max_tokens else None,
        )
    raise ValueError(f"unknown LLM provider {provider!r}: use 'ollama' or 'openai'")


def make_chat_model_from_config(config: LlmConfig) -> BaseChatModel:
    """Return the chat model the config describes."""
    return make_chat_model(config.provider, config.model, config.base_url, config.timeout, config.max_tokens)


_JSON_OBJECT_CLASS: type | None = None


def _json_object_chat_openai() -> type:
    """Return (once) a ChatOpenAI subclass whose json_schema output uses json_object + schema."""
    global _JSON_OBJECT_CLASS
    if _JSON_OBJECT_CLASS is not None:
        return _JSON_OBJECT_CLASS
    from langchain_openai import ChatOpenAI

    class JsonObjectChatOpenAI(ChatOpenAI):
        """ChatOpenAI for llama.cpp-style servers: the schema goes in a json_object response format."""

        def with_structured_output(self, schema: Any = None, *, method: str = "json_schema",
                                   include_raw: bool = False, **kwargs: Any) -> Runnable:
            if method != "json_schema" or not isinstance(schema, type):
                return super().with_structured_output(schema, method=method, include_raw=include_raw, **kwargs)
            # Sent as a raw body field: ChatOpenAI would turn a `response_format` argument into
            # OpenAI's json_schema envelope (or its beta parse path), which llama.cpp ignores.
            response_format = {"type": "json_object", "schema": schema.model_json_schema()}
            llm = self.bind(extra_body={**(self.extra_body or {}), "response_format": response_format})
            parser = PydanticOutputParser(pydantic_object=schema)
            if not include_raw:
                return llm | parser
            # The same shape LangChain gives: {"raw", "parsed", "parsing_error"}; never raises on
            # a bad answer.
            parse = RunnablePassthrough.assign(parsed=itemgetter("raw") | parser, parsing_error=lambda _: None)
            none = RunnablePassthrough.assign(parsed=lambda _: None)
            return RunnableMap(raw=llm) | parse.with_fallbacks([none], exception_key="parsing_error")

    _JSON_OBJECT_CLASS = JsonObjectChatOpenAI
    return JsonObjectChatOpenAI
