"""Where the LLM tier keeps its cache and pending records: the store, or memory as a fallback."""
from __future__ import annotations

import copy
import logging
from typing import Any

logger = logging.getLogger(__name__)


class MemoryLlmState:
    """An in-memory LLM cache and pending list with the store's method names (lost at exit)."""

    def __init__(self) -> None:
        self.cache: dict[str, dict[str, Any]] = {}
        self.pending: dict[tuple[str, str], dict[str, Any]] = {}
        self.upserted: list[dict[str, Any]] = []

    def llm_cache_get(self, content_hash: str) -> dict[str, Any] | None:
        entry = self.cache.get(content_hash)
        return copy.deepcopy(entry) if entry else None

    def llm_cache_put(self, content_hash: str, model: str, result: dict[str, Any]) -> None:
        self.cache[content_hash] = {"model": model, "result": copy.deepcopy(result), "created_at": None}

    def add_pending(self, item: dict[str, Any]) -> None:
        key = (str(item.get("board")), str(item.get("external_id") or item.get("url")))
        self.pending[key] = copy.deepcopy(dict(item))

    def list_pending(self, limit: int = 100) -> list[dict[str, Any]]:
        return [copy.deepcopy(i) for i in self.pending.values()][: max(1, int(limit))]

    def resolve_pending(self, board: str, external_id: str) -> None:
        self.pending.pop((str(board), str(external_id)), None)

    def upsert_jobs(self, items: list[dict[str, Any]], crawl_run: Any = None) -> Any:
        self.upserted.extend(copy.deepcopy(items))


def cached_result(entry: dict[str, Any] | None) -> dict[str, Any] | None:
    """Return the model answer inside a cache entry ({model, result, created_at}), or None."""
    if not entry:
        return None
    result = entry.get("result") if "is_job_posting" not in entry else entry
    return result if isinstance(result, dict) else None


def open_state() -> Any:
    """Return the store (jobos.store.open_store()), or a MemoryLlmState when it cannot be opened."""
    try:
        from jobos.store import open_store
    except ImportError:
        logger.warning("jobos.store is not available: the LLM cache and pending records live in memory only")
        return MemoryLlmState()
    try:
        return open_store()
    except Exception:  # noqa: BLE001 - a crawl without a store still runs; only the cache is lost
        logger.warning("could not open the store: the LLM cache and pending records live in memory only",
                       exc_info=True)
        return MemoryLlmState()
