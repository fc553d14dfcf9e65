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


def open_state(settings: Any = None) -> Any:
    """Return the store the crawl's settings name (DATABASE_URL, JOBOS_DATA_DIR; else the
    environment's), or a MemoryLlmState when it cannot be opened now (see flush_to_store)."""
    try:
        from jobos.store import open_store
    except ImportError:
        logger.warning("jobos.store is not available: the LLM cache and pending records live in memory only")
        return MemoryLlmState()
    try:
        if settings is not None:
            from jobos.store.pipeline import store_from_settings

            return store_from_settings(settings)
        return open_store()
    except Exception as exc:  # noqa: BLE001 - a crawl without a store still runs
        logger.warning("could not open the store (%s: %s): the LLM cache and pending records are kept"
                       " in memory and written to the store at the end of the crawl if it answers then",
                       type(exc).__name__, exc)
        return MemoryLlmState()


def flush_to_store(state: MemoryLlmState, settings: Any = None) -> bool:
    """Write what a memory state gathered (cache, pending records) to the store; True when done."""
    if not state.cache and not state.pending:
        return True
    store = open_state(settings)
    if isinstance(store, MemoryLlmState):
        logger.error("the store is still unavailable: %d cached answers and %d pending records are lost"
                     " (their jobs are stored with extraction_pending when the store pipeline saves them)",
                     len(state.cache), len(state.pending))
        return False
    try:
        for content_hash, entry in state.cache.items():
            store.llm_cache_put(content_hash, entry["model"], entry["result"])
        for item in state.pending.values():
            store.add_pending(item)
    except Exception:  # noqa: BLE001
        logger.exception("writing the LLM cache and pending records to the store failed")
        return False
    finally:
        store.close()
    logger.info("LLM cache (%d) and pending records (%d) kept in memory are now in the store",
                len(state.cache), len(state.pending))
    return True
