"""Extracting the records saved as pending while the model server was down."""
from __future__ import annotations

import logging
from typing import Any

from langchain_core.language_models import BaseChatModel

from jobos.llm.extract import Extraction, extract, from_result
from jobos.llm.prompt import DEFAULT_TOKEN_BUDGET
from jobos.llm.record import apply_extraction, cache_key, page_text
from jobos.llm.state import cached_result

logger = logging.getLogger(__name__)

BATCH = 100  # records read from the store at a time


def _normalize(record: dict[str, Any]) -> None:
    """Normalize a completed record like the crawl's pipelines would (when that module exists)."""
    try:
        from jobos.normalize.record import normalize_item
    except ImportError:
        return
    try:
        normalize_item(record, record.get("scraped_at"))
    except Exception:  # noqa: BLE001 - an odd value must not stop the run; the store validates
        logger.warning("could not normalize %s after extraction", record.get("url"), exc_info=True)


async def extract_pending(store: Any, chat_model: BaseChatModel, limit: int | None = None, *,
                          budget: int = DEFAULT_TOKEN_BUDGET, model_name: str = "") -> dict[str, int]:
    """Return counts after extracting pending records and upserting the completed ones.

    Stops early (leaving the rest pending) when the server is still unreachable. A page the
    model says is not a job is resolved without an upsert; a bad answer resolves the record
    as it is, so one unreadable page does not stay pending for ever.
    """
    counts = {"pending": 0, "extracted": 0, "not_a_job": 0, "bad_answer": 0, "still_pending": 0,
              "cache_hits": 0, "calls": 0, "input_tokens": 0, "output_tokens": 0, "rejected": 0}
    seen: set[tuple[str, str]] = set()
    while limit is None or counts["pending"] < limit:
        batch = [r for r in store.list_pending(min(BATCH, limit - counts["pending"]) if limit else BATCH)
                 if (str(r.get("board")), str(r.get("external_id"))) not in seen]
        if not batch:
            break
        seen.update((str(r.get("board")), str(r.get("external_id"))) for r in batch)
        counts["pending"] += len(batch)
        if not await _extract_batch(store, chat_model, batch, counts, budget, model_name):
            break
    logger.info("pending extraction: %s", counts)
    return counts


async def _extract_batch(store: Any, chat_model: BaseChatModel, records: list[dict[str, Any]],
                         counts: dict[str, int], budget: int, model_name: str) -> bool:
    """Extract one batch of pending records; return False when the server is unavailable."""
    for number, record in enumerate(records):
        record.pop("_pending", None)  # the store's bookkeeping, not part of the record
        url = str(record.get("url") or "")
        key = cache_key(record)
        extraction: Extraction | None = None
        cached = cached_result(store.llm_cache_get(key)) if key else None
        if cached:
            try:
                extraction = from_result(cached, page_text(record), url)
                counts["cache_hits"] += 1
            except ValueError:
                extraction = None
        if extraction is None:
            if key is None:
                extraction = Extraction(status="bad_answer", error="no page text")
            else:
                extraction = await extract(chat_model, page_text(record), url, budget=budget)
                counts["calls"] += extraction.calls
                counts["input_tokens"] += extraction.input_tokens
                counts["output_tokens"] += extraction.output_tokens
                if extraction.status in ("ok", "not_job") and extraction.result is not None:
                    store.llm_cache_put(key, model_name, extraction.result)
        if extraction.status == "unavailable":
            counts["still_pending"] = len(records) - number
            logger.warning("LLM server still unavailable (%s): the pending records stay pending",
                           extraction.error)
            return False
        board, external_id = str(record.get("board")), str(record.get("external_id"))
        if extraction.status == "not_job":
            counts["not_a_job"] += 1
            store.resolve_pending(board, external_id)
            continue
        if extraction.status == "ok":
            counts["rejected"] += len(extraction.rejected)
            apply_extraction(record, extraction)
            _normalize(record)
            counts["extracted"] += 1
        else:
            counts["bad_answer"] += 1
            record["extraction_pending"] = False
        store.upsert_jobs([record], None)
        store.resolve_pending(board, external_id)
    return True
