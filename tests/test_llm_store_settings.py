"""The LLM pipeline keeps its cache and pending queue in the store the crawl's settings name.

`scrapy crawl careers -s DATABASE_URL=...` (or `-s JOBOS_DATA_DIR=...`) must reach the LLM tier
too, not only the store pipeline: a cache or pending queue kept elsewhere (the environment's
store, or memory) is lost to the crawl's own store.
"""
from __future__ import annotations

from scrapy.utils.test import get_crawler

from jobos.llm.pipeline import LlmExtractionPipeline
from jobos.llm.state import MemoryLlmState
from jobos.store import open_store
from tests.pg import free_port, pg_cluster, pg_url, store_backend  # noqa: F401 - fixtures
from tests.test_store import make_job


def _pipeline(settings: dict) -> LlmExtractionPipeline:
    crawler = get_crawler(settings_dict={"JOBOS_LLM_PROVIDER": "ollama", "JOBOS_LLM_MODEL": "m",
                                         "JOBOS_LLM_BASE_URL": f"http://127.0.0.1:{free_port()}",
                                         **settings})
    return LlmExtractionPipeline.from_crawler(crawler)


def _settings(backend: dict) -> dict:
    out = {"JOBOS_DATA_DIR": backend["data_dir"]}
    if backend["database_url"]:
        out["DATABASE_URL"] = backend["database_url"]
    return out


def test_cache_and_pending_go_to_the_store_the_settings_name(store_backend, tmp_path, monkeypatch):
    # The environment names another (embedded) store: the settings must win.
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.setenv("JOBOS_DATA_DIR", str(tmp_path / "elsewhere"))
    pipeline = _pipeline(_settings(store_backend))
    pipeline.open_spider()
    try:
        assert not isinstance(pipeline.store, MemoryLlmState)
        pipeline.store.llm_cache_put("h1", "m", {"title": "Engineer"})
        pipeline.store.add_pending(make_job(1, board="website:acme.com", method="html", page_markdown="# E"))
    finally:
        pipeline.close_spider()
    store = open_store(**store_backend)
    try:
        assert store.llm_cache_get("h1")["result"] == {"title": "Engineer"}
        assert [p["external_id"] for p in store.list_pending()] == ["1"]
    finally:
        store.close()
    other = open_store(data_dir=tmp_path / "elsewhere")
    try:
        assert other.llm_cache_get("h1") is None and other.list_pending() == []
    finally:
        other.close()


def test_a_store_down_at_start_gets_the_cache_and_pending_at_close(pg_cluster, pg_url, tmp_path):
    open_store(database_url=pg_url).close()  # schema in place
    pg_cluster.stop()
    try:
        pipeline = _pipeline({"DATABASE_URL": pg_url, "JOBOS_DATA_DIR": str(tmp_path)})
        pipeline.open_spider()
        assert isinstance(pipeline.store, MemoryLlmState)  # the crawl goes on without it
        assert pipeline.stats.get_value("jobos/llm/store_unavailable") == 1
        pipeline.store.llm_cache_put("h2", "m", {"title": "Driver"})
        pipeline.store.add_pending(make_job(2, board="website:acme.com", method="html", page_markdown="# D"))
    finally:
        pg_cluster.start()
    pipeline.close_spider()
    store = open_store(database_url=pg_url)
    try:
        assert store.llm_cache_get("h2")["result"] == {"title": "Driver"}
        assert [p["external_id"] for p in store.list_pending()] == ["2"]
    finally:
        store.close()
