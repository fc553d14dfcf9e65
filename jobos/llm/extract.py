"""One extraction: page markdown -> prompt -> model (schema-constrained) -> grounded fields."""
from __future__ import annotations

import asyncio
import hashlib
import logging
from dataclasses import dataclass, field
from typing import Any, Literal

import httpx
from langchain_core.language_models import BaseChatModel
from langchain_core.messages import BaseMessage

from jobos.llm.grounding import Provenance, Rejection, ground
from jobos.llm.prompt import DEFAULT_TOKEN_BUDGET, build_messages
from jobos.llm.schema import JobExtraction

logger = logging.getLogger(__name__)

Status = Literal["ok", "not_job", "bad_answer", "unavailable"]
# Why the server could not answer: "connect" and "timeout" feed the pipeline's circuit breaker.
ErrorKind = Literal["connect", "timeout", "server_error"]

# A sampled model may give a valid answer on a second try; more tries cost more than they gain.
VALIDATION_ATTEMPTS = 2
TRANSPORT_ATTEMPTS = 2


@dataclass
class Extraction:
    """The outcome of one extraction: status, grounded fields, provenance, rejections, usage."""

    status: Status
    accepted: dict[str, Any] = field(default_factory=dict)
    provenance: Provenance = field(default_factory=dict)
    rejected: list[Rejection] = field(default_factory=list)
    input_tokens: int = 0
    output_tokens: int = 0
    calls: int = 0
    result: dict[str, Any] | None = None  # the parsed answer (cached by content hash)
    raw: str | None = None  # the model's text when it could not be parsed
    error: str | None = None
    error_kind: ErrorKind | None = None

    @property
    def is_job(self) -> bool:
        return self.status == "ok"


def content_hash(page_markdown: str) -> str:
    """Return the cache key of a page: sha256 of its markdown (hex)."""
    return hashlib.sha256(page_markdown.encode("utf-8")).hexdigest()


def _worth_retry(exc: BaseException) -> bool:
    """Return True for errors worth one quick retry: no real answer, and not a timeout.

    A timeout is not retried: the server is slow, and a second wait would double the cost.
    """
    return classify_error(exc) in ("connect", "server_error")


def classify_error(exc: BaseException) -> ErrorKind | None:
    """Return why the server gave no answer ('connect', 'timeout', 'server_error'), or None."""
    if isinstance(exc, (asyncio.TimeoutError, TimeoutError, httpx.TimeoutException)):
        return "timeout"
    try:
        import openai

        if isinstance(exc, openai.APITimeoutError):
            return "timeout"
        if isinstance(exc, openai.APIConnectionError):
            return "connect"
        if isinstance(exc, openai.APIStatusError):
            return "server_error"
    except ImportError:  # pragma: no cover
        pass
    if isinstance(exc, (ConnectionError, httpx.ConnectError)):
        return "connect"
    if isinstance(exc, httpx.TransportError):
        return "server_error"
    try:
        import ollama

        if isinstance(exc, ollama.ResponseError):
            return "server_error"
    except ImportError:  # pragma: no cover
        pass
    return None


def _usage(message: Any) -> tuple[int, int]:
    """Return (input, output) tokens of a raw answer, from usage_metadata or Ollama's counts."""
    usage = getattr(message, "usage_metadata", None) or {}
    if usage:
        return int(usage.get("input_tokens") or 0), int(usage.get("output_tokens") or 0)
    meta = getattr(message, "response_metadata", None) or {}
    token_usage = meta.get("token_usage") or {}
    return (
        int(meta.get("prompt_eval_count") or token_usage.get("prompt_tokens") or 0),
        int(meta.get("eval_count") or token_usage.get("completion_tokens") or 0),
    )


def from_result(result: JobExtraction | dict[str, Any], page_markdown: str, url: str) -> Extraction:
    """Return the grounded Extraction for a parsed (or cached) answer."""
    parsed = result if isinstance(result, JobExtraction) else JobExtraction.model_validate(result)
    data = parsed.model_dump()
    if not parsed.is_job_posting:
        return Extraction(status="not_job", result=data)
    accepted, provenance, rejected = ground(parsed, page_markdown, base_url=url)
    return Extraction(status="ok", accepted=accepted, provenance=provenance, rejected=rejected, result=data)


async def extract(
    chat_model: BaseChatModel, page_markdown: str, url: str, *, budget: int = DEFAULT_TOKEN_BUDGET
) -> Extraction:
    """Return the grounded extraction of one page; server failures and bad answers are statuses.

    The chat model is passed in (built by `jobos.llm.models.make_chat_model`). A bad answer is
    recorded (status "bad_answer", raw text kept), a server that cannot be reached or is too
    slow gives "unavailable" so the caller can keep the record for a later run.
    """
    messages: list[BaseMessage] = build_messages(page_markdown, url, budget)
    structured = chat_model.with_structured_output(
        JobExtraction, method="json_schema", include_raw=True
    ).with_retry(
        retry_if_exception_type=_worth_retry,
        stop_after_attempt=TRANSPORT_ATTEMPTS,
        exponential_jitter_params={"multiplier": 0.2, "max": 1.0},  # type: ignore[typeddict-unknown-key]
    )
    input_tokens = output_tokens = calls = 0
    raw_text: str | None = None
    error: str | None = None
    for _attempt in range(VALIDATION_ATTEMPTS):
        calls += 1
        try:
            answer = await structured.ainvoke(messages)
        except asyncio.CancelledError:
            raise
        except Exception as exc:  # noqa: BLE001 - every failure is classified, none escapes
            kind = classify_error(exc)
            if kind is None:
                logger.warning("LLM extraction of %s failed unexpectedly: %r", url, exc)
                return Extraction(status="bad_answer", calls=calls, error=repr(exc),
                                  input_tokens=input_tokens, output_tokens=output_tokens)
            logger.info("LLM server gave no answer for %s (%s): %s", url, kind, exc)
            return Extraction(status="unavailable", error_kind=kind, error=repr(exc), calls=calls,
                              input_tokens=input_tokens, output_tokens=output_tokens)
        raw = answer.get("raw")
        used_in, used_out = _usage(raw)
        input_tokens += used_in
        output_tokens += used_out
        parsed = answer.get("parsed")
        if parsed is not None and answer.get("parsing_error") is None:
            extraction = from_result(parsed, page_markdown, url)
            extraction.input_tokens, extraction.output_tokens, extraction.calls = input_tokens, output_tokens, calls
            return extraction
        raw_text = getattr(raw, "content", None) if raw is not None else None
        error = repr(answer.get("parsing_error"))
        logger.info("LLM answer for %s did not match the schema: %s", url, error)
    return Extraction(status="bad_answer", raw=raw_text if isinstance(raw_text, str) else str(raw_text),
                      error=error, calls=calls, input_tokens=input_tokens, output_tokens=output_tokens)
