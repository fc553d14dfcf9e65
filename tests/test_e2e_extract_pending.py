"""`-a extract_pending=1`: records left pending while the model server was down get extracted
by a later crawl, and that crawl's own pages then hit the cache instead of the model."""
from __future__ import annotations

import tempfile

from jobos.store import open_store
from tests.crawl import run_crawl
from tests.ollama_standin import OllamaStandin, free_port

NORDLICHT = "https://karriere.nordlicht-logistik.de/"  # HTML-only site: 5 jobs, method html


def test_pending_records_are_extracted_by_a_later_crawl(web):
    data_dir = tempfile.mkdtemp(prefix="jobos-pending-")
    down = run_crawl(web, company="Nordlicht Logistik", careers_url=NORDLICHT, data_dir=data_dir,
                     env={"OLLAMA_HOST": f"http://127.0.0.1:{free_port()}"})
    assert down.returncode == 0, down.stderr[-2000:]
    assert len(down.items) == 5
    assert all(item["extraction_pending"] is True for item in down.items)
    store = open_store(data_dir=data_dir)
    try:
        assert len(store.list_pending()) == 5
    finally:
        store.close()

    with OllamaStandin() as model:
        model.default = {"is_job_posting": True}  # a job posting, nothing more to add
        later = run_crawl(web, company="Nordlicht Logistik", careers_url=NORDLICHT, data_dir=data_dir,
                          extract_pending=1,
                          # job pages read again (not skipped as unchanged), to see them hit the cache
                          env={"OLLAMA_HOST": model.url, "JOBOS_CONDITIONAL": "0"})
        calls = len(model.chat_requests)
    assert later.returncode == 0, later.stderr[-2000:]
    assert later.stats.get("jobos/extract_pending/pending") == 5
    assert later.stats.get("jobos/extract_pending/extracted") == 5
    assert calls == 5  # one per pending page; the crawl's own pages were answered from the cache
    assert later.stats.get("jobos/llm/cache_hits") == 5
    assert not later.stats.get("jobos/llm/calls")
    assert {item["extraction_pending"] for item in later.items} == {False}
    store = open_store(data_dir=data_dir)
    try:
        assert store.list_pending() == []
    finally:
        store.close()
