"""The LLM listing tier (jobos.llm.listing): the careers-page test, the numbered candidates, the
model's choice through the real ChatOllama client against the Ollama stand-in (answers chosen by
reading the prompt, never by arrival order), the cache, a hostile answer, and a real crawl."""
from __future__ import annotations

import asyncio
import json
import re
from pathlib import Path

import pytest

from jobos.llm.listing import (
    answer_model,
    candidates,
    choose_jobs,
    looks_like_careers_page,
    pick,
)
from jobos.llm.models import make_chat_model
from jobos.llm.state import MemoryLlmState
from tests.crawl import run_crawl
from tests.ollama_standin import OllamaStandin, free_port

MODEL = "qwen2.5:3b"
SITE = Path(__file__).resolve().parent / "web" / "sites" / "www.kranich-werft.de" / "mitmachen" / "index.html"
PAGE_URL = "https://www.kranich-werft.de/mitmachen/"
JOB_URLS = {
    "https://www.kranich-werft.de/mitmachen/schiffbau-rostock",
    "https://www.kranich-werft.de/mitmachen/schweissen-dock",
    "https://www.kranich-werft.de/mitmachen/bootsbau-lehre",
}
_LINE = re.compile(r"^(\d+)\. .*? \| (\S+)", re.M)


def _prompt(body: dict) -> str:
    return "\n".join(m.get("content") or "" for m in body.get("messages", []) if m.get("role") == "user")


def answer_by_content(body: dict) -> dict:
    """Play a model that read the page: the numbers of the links below /mitmachen/ in the prompt
    (a listing request), or an empty but valid extraction (a detail request)."""
    fmt = body.get("format") or {}
    if "job_numbers" not in (fmt.get("properties") or {}):
        return {"is_job_posting": True}
    numbers = [int(n) for n, url in _LINE.findall(_prompt(body)) if "/mitmachen/" in url]
    return {"job_numbers": numbers}


def html() -> str:
    return SITE.read_text(encoding="utf-8")


# --- the careers-page test -----------------------------------------------------------------
@pytest.mark.parametrize("url, page, reached, expected", [
    (PAGE_URL, None, True, True),  # title "Offene Stellen"
    ("https://www.a.fr/recrutement", "<title>Atelier</title><h2>Nous recrutons</h2>", True, True),  # path
    ("https://www.a.nl/over-ons", "<title>Werken bij Acme</title>", True, True),  # title
    ("https://www.a.se/om-oss", "<h1>Lediga jobb</h1>", True, True),  # heading
    ("https://www.a.de/produkte", "<title>Produkte</title><h1>Pumpen</h1>", True, False),  # no word
    ("https://www.a.de/blog/post", "<title>Blog</title><h2>Karriere-Tipps</h2>", False, False),  # one word, not reached
    ("https://www.a.de/karriere", "<title>Karriere bei Acme</title>", False, True),  # two words
])
def test_looks_like_careers_page(url, page, reached, expected):
    result = looks_like_careers_page(page if page is not None else html(), url, reached_as_careers=reached)
    assert result.looks_like is expected, result.signals


def test_candidates_numbered_without_chrome_mail_social_or_the_page_itself():
    cands = candidates(html(), PAGE_URL)
    assert [c.number for c in cands] == list(range(1, len(cands) + 1))
    urls = [c.url for c in cands]
    assert set(urls) == JOB_URLS | {"https://www.kranich-werft.de/werft/geschichte",
                                    "https://www.kranich-werft.de/aktuelles/stapellauf-moewe"}
    first = cands[0]
    assert first.text == "Schiffbauer für unsere Halle 2" and first.context  # a few words around it
    page = ('<main><a href="/jobs/1">A</a><a href="/jobs/1#x">Longer text</a><a href="#top">Top</a>'
            '<a href="https://www.linkedin.com/company/x">In</a><a href="/">Home</a>'
            '<a href="https://partner.example/">Partner</a></main>')
    assert [(c.url, c.text) for c in candidates(page, "https://x.de/jobs")] == [("https://x.de/jobs/1", "Longer text")]


def test_pick_ignores_numbers_outside_the_list_repeats_and_non_integers():
    cands = candidates(html(), PAGE_URL)
    chosen, ignored = pick(cands, [2, 999, -1, 0, 2, True, "3"])
    assert [c.number for c in chosen] == [2]
    assert len(ignored) == 6


# --- through the real ChatOllama client ---------------------------------------------------
def test_choice_through_chatollama_by_content_with_cache():
    cands = candidates(html(), PAGE_URL)
    cache = MemoryLlmState()
    with OllamaStandin(MODEL) as server:
        server.default = answer_by_content
        model = make_chat_model("ollama", MODEL, server.url, 10)
        choice = asyncio.run(choose_jobs(model, cands, PAGE_URL, "Mitmachen", cache=cache, model_name=MODEL))
        assert choice.status == "ok" and choice.calls == 1
        assert {c.url for c in choice.chosen} == JOB_URLS
        request = server.chat_requests[0]
        assert request["format"] == answer_model(len(cands)).model_json_schema()  # schema-constrained
        assert request["format"]["properties"]["job_numbers"]["maxItems"] == len(cands)
        prompt = _prompt(request)
        assert "1. Schiffbauer für unsere Halle 2 | https://www.kranich-werft.de/mitmachen/schiffbau-rostock" in prompt
        # the same page again: the cached answer, no second call
        again = asyncio.run(choose_jobs(model, cands, PAGE_URL, "Mitmachen", cache=cache, model_name=MODEL))
        assert again.status == "cached" and again.calls == 0 and {c.url for c in again.chosen} == JOB_URLS
        assert len(server.chat_requests) == 1
        # a changed page is a new question
        changed = candidates(html().replace("Halle 2", "Halle 3"), PAGE_URL)
        asyncio.run(choose_jobs(model, changed, PAGE_URL, "Mitmachen", cache=cache, model_name=MODEL))
        assert len(server.chat_requests) == 2


def test_answer_follows_the_page_not_the_order_of_requests():
    with OllamaStandin(MODEL) as server:
        server.default = answer_by_content
        model = make_chat_model("ollama", MODEL, server.url, 10)
        other = ('<title>Jobs</title><main><a href="/mitmachen/koch">Koch</a> <a href="/team">Team</a></main>')
        cands_b = candidates(other, "https://b.de/jobs")
        cands_a = candidates(html(), PAGE_URL)

        async def both():
            return await asyncio.gather(choose_jobs(model, cands_b, "https://b.de/jobs"),
                                        choose_jobs(model, cands_a, PAGE_URL))

        b, a = asyncio.run(both())
        assert [c.url for c in b.chosen] == ["https://b.de/mitmachen/koch"]
        assert {c.url for c in a.chosen} == JOB_URLS


def test_hostile_answer_yields_nothing_invented():
    cands = candidates(html(), PAGE_URL)
    hostile = {"job_numbers": [999, -4, 0, len(cands) + 1],
               "urls": ["https://evil.example/job/1"], "jobs": [{"title": "CEO", "url": "https://evil.example/2"}]}
    with OllamaStandin(MODEL) as server:
        server.script(hostile)
        model = make_chat_model("ollama", MODEL, server.url, 10)
        choice = asyncio.run(choose_jobs(model, cands, PAGE_URL))
    assert choice.status == "ok" and choice.chosen == []
    assert sorted(choice.ignored_numbers) == sorted([999, -4, 0, len(cands) + 1])


def test_server_down_is_a_status_not_an_exception():
    model = make_chat_model("ollama", MODEL, f"http://127.0.0.1:{free_port()}", 5)
    choice = asyncio.run(choose_jobs(model, candidates(html(), PAGE_URL), PAGE_URL))
    assert choice.status == "unavailable" and choice.error_kind == "connect" and choice.chosen == []


def test_broken_answer_is_bad_answer():
    with OllamaStandin(MODEL) as server:
        server.script('{"job_numbers": "the first three"}')  # not the schema's shape
        model = make_chat_model("ollama", MODEL, server.url, 10)
        choice = asyncio.run(choose_jobs(model, candidates(html(), PAGE_URL), PAGE_URL))
    assert choice.status == "bad_answer" and choice.chosen == []


# --- in a real crawl through the stand-in web ----------------------------------------------
def _crawl(web, server, data_dir, **settings):
    # JOBOS_* settings through the environment: a crawl ignores them on its command line (lockdown)
    env = {"OLLAMA_HOST": server.url, "JOBOS_LLM_MODEL": MODEL, **settings}
    result = run_crawl(web, company="Kranich Werft", careers_url=PAGE_URL, data_dir=data_dir, env=env)
    assert result.returncode == 0, result.stderr[-3000:]
    return result


def test_crawl_reads_the_jobs_the_model_chose_and_caches_the_choice(web, tmp_path):
    with OllamaStandin(MODEL) as server:
        server.default = answer_by_content
        first = _crawl(web, server, tmp_path / "data")
        assert {i["url"] for i in first.items} == JOB_URLS
        assert {i["title"] for i in first.items} == {
            "Schiffbauer (m/w/d)", "Schweißer im Trockendock (m/w/d)", "Ausbildung Bootsbauer (m/w/d)"}
        assert first.stats.get("jobos/llm/listing_calls") == 1
        assert first.stats.get("jobos/site/llm_job_links") == 3
        listing_requests = [r for r in server.chat_requests if "job_numbers" in json.dumps(r.get("format"))]
        assert len(listing_requests) == 1
        seen = [r["url"] for r in web.requests_seen()]
        assert not any("/werft/geschichte" in u or "/aktuelles/" in u for u in seen)

        web.reset()
        # Same store: the answer is cached (detail skipping off, so the job pages are read again)
        second = _crawl(web, server, tmp_path / "data", JOBOS_CONDITIONAL="0")
        assert {i["url"] for i in second.items} == JOB_URLS
        assert not second.stats.get("jobos/llm/listing_calls")
        assert second.stats.get("jobos/llm/listing/cached") == 1
        listing_requests = [r for r in server.chat_requests if "job_numbers" in json.dumps(r.get("format"))]
        assert len(listing_requests) == 1


def test_crawl_with_a_hostile_model_invents_nothing(web, tmp_path):
    with OllamaStandin(MODEL) as server:
        def hostile(body: dict) -> dict:
            if "job_numbers" in json.dumps(body.get("format")):
                return {"job_numbers": [0, 77, -1], "urls": ["https://evil.example/jobs/1"]}
            return {"is_job_posting": True}

        server.default = hostile
        result = _crawl(web, server, tmp_path / "data")
    assert result.items == []
    assert result.stats.get("jobos/llm/listing_calls") == 1
    assert result.stats.get("jobos/llm/listing_ignored_numbers") == 3
    assert not any("evil.example" in r["url"] for r in web.requests_seen())


def test_crawl_with_the_tier_off_makes_no_call(web, tmp_path):
    with OllamaStandin(MODEL) as server:
        server.default = answer_by_content
        result = _crawl(web, server, tmp_path / "data", JOBOS_LLM_LISTING="0")
        assert result.items == []
        assert not server.chat_requests
    assert result.stats.get("jobos/llm/listing_skipped") == 1
