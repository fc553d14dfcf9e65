"""LLM calls per job by method, on a first and a second pass, and grounding throughput.

Runs the real LlmExtractionPipeline with the real ChatOllama client against the stand-in Ollama
server (tests/ollama_standin.py) over generated records: ATS (`api`), JSON-LD and HTML-only
pages. Goals: 0 calls per ATS/JSON-LD job, at most 1 per HTML-only job, 0 on the second pass.

Run: .venv/bin/python bench/bench_llm.py [N]
"""
from __future__ import annotations

import asyncio
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from scrapy.exceptions import DropItem  # noqa: E402
from scrapy.utils.test import get_crawler  # noqa: E402

from jobos.items import JobItem  # noqa: E402
from jobos.llm.grounding import ground  # noqa: E402
from jobos.llm.pipeline import LlmExtractionPipeline  # noqa: E402
from jobos.llm.state import MemoryLlmState  # noqa: E402
from tests.ollama_standin import OllamaStandin  # noqa: E402

MODEL = "qwen2.5:3b"
CITIES = ["Berlin, Germany", "Austin, TX", "London, UK", "Toronto, ON", "Lyon, France"]


def page(i: int) -> str:
    return (f"# Engineer {i}\n\n**Location:** {CITIES[i % len(CITIES)]}\n\n"
            f"**Salary:** ${60 + i % 40},000 - ${90 + i % 40},000 a year, full-time\n\nWe build things.\n")


def answer_for(body: dict) -> dict:
    user = body["messages"][-1]["content"]
    city = next(c for c in CITIES if c in user)
    salary = user.split("**Salary:** ", 1)[1].split(" a year", 1)[0]
    low = int(salary.split(" - ")[0].strip("$").replace(",", ""))
    return {"is_job_posting": True, "location": {"value": city, "quote": f"Location: {city}"},
            "salary_min": {"value": low, "quote": salary}, "salary_currency": {"value": "USD", "quote": salary},
            "employment_type": {"value": "FULL_TIME", "quote": "a year, full-time"}}


def records(n: int) -> list[JobItem]:
    methods = ["api", "jsonld", "html"]
    return [JobItem(method=methods[i % 3], title=f"Engineer {i}", url=f"https://acme.com/jobs/{i}",
                    board="website:acme.com", external_id=str(i), page_markdown=page(i)) for i in range(n)]


async def one_pass(url: str, state: MemoryLlmState, items: list[JobItem]) -> tuple[Counter, float, dict]:
    crawler = get_crawler(settings_dict={"JOBOS_LLM_BASE_URL": url, "JOBOS_LLM_MODEL": MODEL,
                                         "JOBOS_LLM_CONCURRENCY": 2})
    pipeline = LlmExtractionPipeline.from_crawler(crawler)
    pipeline.store = state
    pipeline.open_spider()
    jobs = Counter(str(i["method"]) for i in items)

    async def run(item: JobItem) -> None:
        try:
            await pipeline.process_item(item)
        except DropItem:
            pass

    started = time.perf_counter()
    await asyncio.gather(*(run(i) for i in items))
    return jobs, time.perf_counter() - started, crawler.stats.get_stats()


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 300
    state = MemoryLlmState()
    with OllamaStandin(model=MODEL) as server:
        server.default = answer_for
        for label in ("first pass", "second pass (unchanged pages)"):
            before = len(server.chat_requests)
            items = records(n)
            method_of = {str(i["url"]): str(i["method"]) for i in items}
            jobs, seconds, stats = asyncio.run(one_pass(server.url, state, items))
            # attribute each request the server got to the record it was about (its page URL)
            calls = Counter(method_of[body["messages"][-1]["content"].split("Page URL: ", 1)[1].split("\n", 1)[0]]
                            for body in server.chat_requests[before:])
            per_job = ", ".join(f"{m} {calls[m] / max(1, jobs[m]):.2f}" for m in ("api", "jsonld", "html"))
            print(f"{label}: {sum(jobs.values())} jobs in {seconds:.2f} s; LLM calls {sum(calls.values())}; "
                  f"calls per job: {per_job}; cache hits {stats.get('jobos/llm/cache_hits', 0)}")
    sample = [(answer_for({"messages": [{"content": page(i)}]}), page(i)) for i in range(n)]
    started = time.perf_counter()
    for result, text in sample:
        ground(result, text)
    seconds = time.perf_counter() - started
    print(f"grounding: {n / seconds:,.0f} answers/s ({n} answers)")


if __name__ == "__main__":
    main()
