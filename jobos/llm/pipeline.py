"""The LLM extraction item pipeline: html-only records -> grounded fields, cached, non-blocking."""
from __future__ import annotations

import asyncio
import logging
from typing import Any

from itemadapter import ItemAdapter
from langchain_core.language_models import BaseChatModel
from scrapy.exceptions import NotConfigured

from jobos.llm.extract import Extraction, extract, from_result
from jobos.llm.models import LlmConfig, make_chat_model_from_config
from jobos.llm.record import apply_extraction, cache_key, page_text
from jobos.llm.state import MemoryLlmState, cached_result, flush_to_store, open_state

logger = logging.getLogger(__name__)

STATS = "jobos/llm"
BREAKER_KINDS = ("connect", "timeout")


class LlmExtractionPipeline:
    """Fill the missing fields of `method == "html"` records with grounded LLM output.

    ATS and JSON-LD records pass untouched. Answers are cached by the page's content hash in the
    store, so unchanged pages are never sent twice. A server that is down or slow does not stop
    the crawl: the record goes on with what it has, marked `extraction_pending`, and is saved
    for `jobos extract-pending`; after `JOBOS_LLM_BREAKER` consecutive connection failures or
    timeouts the crawl stops calling the server (each later record goes straight to pending).
    """

    def __init__(self, config: LlmConfig, *, stats: Any = None, chat_model: BaseChatModel | None = None,
                 store: Any = None) -> None:
        self.config = config
        self.stats = stats
        self.chat_model = chat_model
        self.store = store
        self._own_store = False
        self._semaphore = asyncio.Semaphore(config.concurrency)
        self._consecutive_down = 0
        self.breaker_open = False

    @classmethod
    def from_crawler(cls, crawler: Any) -> "LlmExtractionPipeline":
        """Return the pipeline configured from the crawler's settings (JOBOS_LLM_*)."""
        config = LlmConfig.load(crawler.settings)
        if not config.enabled:
            raise NotConfigured("LLM extraction is off (JOBOS_LLM_ENABLED=0)")
        pipeline = cls(config, stats=crawler.stats)
        pipeline.crawler = crawler
        return pipeline

    def open_spider(self) -> None:
        if self.chat_model is None:
            self.chat_model = make_chat_model_from_config(self.config)
        if self.store is None:
            # The store the crawl's settings name (-s DATABASE_URL=...), as the store pipeline's.
            crawler = getattr(self, "crawler", None)
            self.store, self._own_store = open_state(crawler.settings if crawler else None), True
            if isinstance(self.store, MemoryLlmState):
                self._inc("store_unavailable")
        logger.info("LLM extraction: %s model %s at %s (budget %d tokens, %d at once)", self.config.provider,
                    self.config.model, self.config.base_url, self.config.token_budget, self.config.concurrency)

    def close_spider(self) -> None:
        if not self._own_store:
            return
        if isinstance(self.store, MemoryLlmState):
            # The store was down when the crawl opened: nothing gathered may be lost if it is back.
            crawler = getattr(self, "crawler", None)
            flush_to_store(self.store, crawler.settings if crawler else None)
        elif hasattr(self.store, "close"):
            self.store.close()

    def _inc(self, key: str, count: int = 1) -> None:
        if self.stats is not None and count:
            self.stats.inc_value(f"{STATS}/{key}", count)

    async def process_item(self, item: Any) -> Any:
        """Return the item with missing fields filled, or marked pending; never dropped."""
        adapter = ItemAdapter(item)
        if adapter.get("method") != "html":
            return item
        key = cache_key(adapter)
        if key is None:
            self._inc("skipped_no_text")
            return item
        if self.store is None:  # used without open_spider (plain tests)
            self.open_spider()
        url = str(adapter.get("url") or "")
        extraction = self._from_cache(key, adapter, url)
        if extraction is None:
            if self.breaker_open:
                return self._mark_pending(item, adapter, "breaker open")
            extraction = await self._call(adapter, url)
            self._count_call(extraction)
            if extraction.status in ("ok", "not_job") and extraction.result is not None:
                self._cache_put(key, extraction.result)
        return self._apply(item, adapter, extraction, url)

    def _from_cache(self, key: str, adapter: ItemAdapter, url: str) -> Extraction | None:
        try:
            cached = cached_result(self.store.llm_cache_get(key))
        except Exception:  # noqa: BLE001 - a cache problem must not stop the crawl
            logger.warning("LLM cache read failed for %s", url, exc_info=True)
            return None
        if not cached:
            return None
        try:
            extraction = from_result(cached, page_text(adapter), url)
        except ValueError:  # an entry written by an older schema: ask again
            logger.info("ignoring an unreadable LLM cache entry for %s", url)
            return None
        self._inc("cache_hits")
        return extraction

    def _cache_put(self, key: str, result: dict[str, Any]) -> None:
        try:
            self.store.llm_cache_put(key, self.config.model, result)
        except Exception:  # noqa: BLE001
            logger.warning("LLM cache write failed", exc_info=True)

    async def _call(self, adapter: ItemAdapter, url: str) -> Extraction:
        async with self._semaphore:
            if self.breaker_open:  # opened while this record waited for its turn
                return Extraction(status="unavailable", error_kind="connect", error="breaker open")
            try:
                extraction = await asyncio.wait_for(
                    extract(self.chat_model, page_text(adapter), url, budget=self.config.token_budget),
                    timeout=self.config.timeout,
                )
            except asyncio.TimeoutError:
                extraction = Extraction(status="unavailable", error_kind="timeout", calls=1,
                                        error=f"no answer within {self.config.timeout:g} s")
        if extraction.status == "unavailable" and extraction.error_kind in BREAKER_KINDS:
            self._consecutive_down += 1
            if self._consecutive_down >= self.config.breaker and not self.breaker_open:
                self.breaker_open = True
                self._inc("breaker_open")
                logger.warning("LLM server at %s failed %d times in a row (%s); no more LLM calls in this "
                               "crawl, records are kept for `jobos extract-pending`", self.config.base_url,
                               self._consecutive_down, extraction.error)
        elif extraction.status != "unavailable":
            self._consecutive_down = 0
        return extraction

    def _count_call(self, extraction: Extraction) -> None:
        self._inc("calls", extraction.calls)
        self._inc("input_tokens", extraction.input_tokens)
        self._inc("output_tokens", extraction.output_tokens)
        if extraction.status in ("bad_answer", "unavailable"):
            self._inc("failures")
            self._inc("bad_answers" if extraction.status == "bad_answer" else "unavailable")
            if extraction.status == "unavailable" and extraction.error_kind:
                self._inc(f"unavailable/{extraction.error_kind}")  # connect, timeout or server_error

    def _apply(self, item: Any, adapter: ItemAdapter, extraction: Extraction, url: str) -> Any:
        if extraction.status == "unavailable":
            return self._mark_pending(item, adapter, extraction.error or "server unavailable")
        if extraction.status == "not_job":
            # The rules took this page for a posting; the model's "no" comes with no quote to check,
            # and a weak model says it of real postings: the record is kept as the rules found it.
            self._inc("not_job_kept")
            logger.info("LLM says %s is not a job posting; the record is kept as the rules found it", url)
            adapter["extraction_pending"] = False
            return item
        if extraction.status == "bad_answer":
            logger.warning("LLM answer for %s unusable, record kept as is: %s", url, extraction.error)
            adapter["extraction_pending"] = False
            return item
        for name, reason in extraction.rejected:
            self._inc("rejected")
            self._inc(f"rejected/{name}")
            logger.info("LLM value for %s rejected on %s: %s", name, url, reason)
        filled = apply_extraction(adapter, extraction)
        self._inc("filled_fields", len(filled))
        return item

    def _mark_pending(self, item: Any, adapter: ItemAdapter, why: str) -> Any:
        adapter["extraction_pending"] = True
        self._inc("pending")
        try:
            self.store.add_pending(adapter.asdict())
        except Exception:  # noqa: BLE001 - the record itself still goes on to the store
            logger.warning("could not save %s for later extraction", adapter.get("url"), exc_info=True)
        logger.debug("LLM extraction of %s pending: %s", adapter.get("url"), why)
        return item
