"""The LLM pipeline inside real Scrapy crawls (asyncio reactor), with the real embedded store.

Each crawl is a `scrapy runspider` subprocess; the stand-in Ollama server runs in the test.
"""
from __future__ import annotations

import asyncio
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from markdownify import markdownify

from jobos.llm.models import make_chat_model
from jobos import store as store_module
from jobos.llm.pending import extract_pending
from tests.corpus import corpus_dir
from tests.ollama_standin import OllamaStandin, free_port


REPO = Path(__file__).resolve().parent.parent
MODEL = "qwen2.5:3b"
SOLIDEON = "ever-jobs__ever-jobs__careers_solideon_solideon-applications-engineer.html"

SPIDER = '''
import json, scrapy
from jobos.items import JobItem

class PagesSpider(scrapy.Spider):
    """Yields the records an HTML-only career site would give (and one ATS record)."""
    name = "pages"

    async def start(self):
        for record in json.load(open(self.records_file, encoding="utf-8")):
            yield JobItem(**record)
'''

NOT_A_JOB = "# Our values\n\nWe build robots. Read about our culture and our team events.\n"


def solideon_markdown() -> str:
    html = (corpus_dir() / "other" / SOLIDEON).read_text(encoding="utf-8")
    html = re.sub(r"(?is)<(script|style|svg|head|noscript)\b[^>]*>.*?</\1>", "", html)
    return re.sub(r"\n\s*\n+", "\n\n", markdownify(html))


def records(job_markdown: str) -> list[dict]:
    base = {"source": "website", "board": "website:solideon.com", "company": "Solideon", "method": "html"}
    return [
        {**base, "external_id": "applications-engineer", "url": "https://solideon.com/careers/applications-engineer/",
         "title": "2025 Applications Engineer", "page_markdown": job_markdown},
        {**base, "external_id": "values", "url": "https://solideon.com/careers/values/", "title": "Our values",
         "page_markdown": NOT_A_JOB},
        {"source": "greenhouse", "board": "greenhouse:acme", "method": "api", "external_id": "1",
         "url": "https://boards.greenhouse.io/acme/jobs/1", "title": "Welder", "page_markdown": job_markdown},
    ]


JOB_ANSWER = {
    "is_job_posting": True,
    "location": {"value": "Berkeley, California", "quote": "Location: Berkeley, California (On-Site)"},
    "workplace": {"value": "onsite", "quote": "(On-Site)"},
    "salary_min": {"value": 95000, "quote": "$95,000 - $120,000"},  # not on the page: rejected
}


def answer_for(body: dict) -> dict:
    """Answer like a model would: the job page is a job, the values page is not."""
    user = body["messages"][-1]["content"]
    return JOB_ANSWER if "Applications Engineer" in user else {"is_job_posting": False}


def crawl(tmp: Path, name: str, ollama_url: str, data: list[dict]) -> tuple[list[dict], dict]:
    """Run one crawl; return (exported items, the jobos/llm + dropped stats)."""
    spider, recs, out = tmp / "pages_spider.py", tmp / f"{name}.json", tmp / f"{name}.jsonl"
    spider.write_text(SPIDER, encoding="utf-8")
    recs.write_text(json.dumps(data), encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(REPO), "OLLAMA_HOST": ollama_url, "JOBOS_DATA_DIR": str(tmp / "data")}
    env.pop("DATABASE_URL", None)
    env.pop("SCRAPY_SETTINGS_MODULE", None)
    settings = {"ITEM_PIPELINES": json.dumps({"jobos.llm.pipeline.LlmExtractionPipeline": 200}),
                "JOBOS_LLM_MODEL": MODEL, "JOBOS_LLM_TIMEOUT": "5", "FEED_EXPORT_FIELDS": "",
                "LOG_LEVEL": "INFO"}
    args = [sys.executable, "-m", "scrapy", "runspider", str(spider), "-a", f"records_file={recs}", "-O", str(out)]
    for key, value in settings.items():
        if value:
            args += ["-s", f"{key}={value}"]
    proc = subprocess.run(args, cwd=tmp, env=env, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr[-3000:]
    stats = {k: int(v) for k, v in re.findall(r"'(jobos/[\w/]+)': (\d+)", proc.stderr)}
    items = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines() if line.strip()]
    return items, stats


@pytest.mark.slow
def test_crawls_use_the_store_cache_and_pending_queue(tmp_path: Path) -> None:
    job_md = solideon_markdown()
    with OllamaStandin(model=MODEL) as ollama:
        ollama.default = answer_for
        items, stats = crawl(tmp_path, "first", ollama.url, records(job_md))
        first_calls = len(ollama.chat_requests)
        by_id = {i["external_id"]: i for i in items}
        # the page the model calls "not a job" is kept as the rules found it (never lost to a model)
        assert len(by_id) == 3 and {"applications-engineer", "1"} <= set(by_id)
        job = by_id["applications-engineer"]
        assert (job["location"], job["workplace"], job["method"]) == ("Berkeley, California", "onsite", "llm")
        assert "salary_min" not in job and job["extraction_pending"] is False
        assert by_id["1"]["method"] == "api" and "location" not in by_id["1"]  # never sent to the model
        assert first_calls == 2 and stats["jobos/llm/calls"] == 2
        assert stats["jobos/llm/rejected"] == 1 and stats["jobos/llm/not_job_kept"] == 1
        assert "jobos/dropped/not_a_job" not in stats

        # second crawl of the same pages, new process: everything from the store's cache
        again, stats2 = crawl(tmp_path, "second", ollama.url, records(job_md))
        assert len(ollama.chat_requests) == first_calls
        assert "jobos/llm/calls" not in stats2 and stats2["jobos/llm/cache_hits"] == 2
        assert sorted(again, key=lambda i: i["external_id"]) == sorted(items, key=lambda i: i["external_id"])

    # changed page, model server down: the crawl finishes and the record waits in the store
    changed = [dict(r, page_markdown=r["page_markdown"] + "\n\nUpdated: apply by June.")
               if r["external_id"] == "applications-engineer" else r for r in records(job_md)]
    items3, stats3 = crawl(tmp_path, "third", f"http://127.0.0.1:{free_port()}", changed)
    job3 = next(i for i in items3 if i["external_id"] == "applications-engineer")
    assert job3["extraction_pending"] is True and job3["method"] == "html"
    assert stats3["jobos/llm/pending"] >= 1

    store = store_module.open_store(data_dir=tmp_path / "data")
    try:
        pending = store.list_pending()
        assert [p["external_id"] for p in pending] == ["applications-engineer"]
        with OllamaStandin(model=MODEL) as ollama:
            ollama.default = answer_for
            model = make_chat_model("ollama", MODEL, ollama.url, 10)
            counts = asyncio.run(extract_pending(store, model, model_name=MODEL))
            assert len(ollama.chat_requests) == 1
        assert counts["extracted"] == 1 and counts["still_pending"] == 0
        assert store.list_pending() == []
        found = store.search_jobs(status="all")["items"]
        (saved,) = [j for j in found if j.get("external_id") == "applications-engineer"]
        assert saved["location"] == "Berkeley, California" and saved["method"] == "llm"
    finally:
        store.close()
