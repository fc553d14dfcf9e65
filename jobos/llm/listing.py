"""The LLM as the last tier for listings: which links of a careers page are job postings.

Used only when no rule found a job set on a page that looks like a careers page
(`looks_like_careers_page`, defined in docs/INTERFACES.md). The model sees one compact,
numbered list of the page's candidate links (text, URL, a few words of context) and may answer
only with numbers from that list (schema-constrained), so it cannot invent a job: numbers
outside the list are ignored and every URL comes from the page. The answer is cached by the
content hash of what was sent (the store's LLM cache); one call per listing page at most,
counted in `jobos/llm/listing_calls`.

The spider yields a `ListingLlmTask` from its callback; `ListingLlmMiddleware` (a spider
middleware, so the callback stays synchronous) awaits the model and hands the chosen links back
to the spider (`spider.listing_llm_requests(task, links)`).
"""
from __future__ import annotations

import asyncio
import logging
import re
from dataclasses import dataclass, field
from typing import Any, AsyncIterator, Iterable
from urllib.parse import unquote, urlsplit

import lxml.html
from langchain_core.language_models import BaseChatModel
from langchain_core.messages import HumanMessage, SystemMessage
from pydantic import BaseModel, ConfigDict, Field, create_model

from jobos.llm.extract import classify_error, content_hash
from jobos.normalize.text import clean_text
from jobos.pages.common import absolute, canonical_url, registrable_domain
from jobos.pages.words import CAREERS_WORDS  # noqa: F401 - careers words, in many languages (a table)

logger = logging.getLogger(__name__)

STATS = "jobos/llm"
PROMPT_VERSION = "listing-v1"
MAX_CANDIDATES = 60
MAX_TEXT = 80  # characters of a link's text in the prompt
MAX_CONTEXT_WORDS = 12
MAX_URL = 120

_SOCIAL = {"linkedin.com", "facebook.com", "twitter.com", "x.com", "instagram.com", "youtube.com",
           "xing.com", "tiktok.com", "kununu.com", "glassdoor.com", "github.com", "pinterest.com"}
_BLOCKS = ("li", "article", "tr", "section", "div", "p", "dd", "td")

SYSTEM = (
    "You read the links of one page of a company's website. Which links lead to a job posting, "
    "one open position a person can apply for? Not job postings: navigation, news and blog posts, "
    "products, legal pages, social media, lists or categories of jobs, 'all jobs' links, "
    "open or unsolicited applications, login. Answer only with the numbers of the job-posting "
    "links from the list, as JSON {\"job_numbers\": [..]}; an empty list if there is none."
)


class ListingAnswer(BaseModel):
    """The numbers of the links (from the numbered list) that lead to one job posting each."""

    model_config = ConfigDict(extra="ignore")
    # maxItems bounds the answer: a grammar-constrained small model may otherwise go on listing
    # numbers until its context is full.
    job_numbers: list[int] = Field(max_length=MAX_CANDIDATES,
                                   description="numbers from the list of links; [] if none is a job posting")


def answer_model(count: int) -> type[ListingAnswer]:
    """Return the answer schema for a list of `count` links: at most `count` numbers (maxItems
    keeps a grammar-constrained model from listing numbers until its token limit)."""
    count = max(1, min(int(count), MAX_CANDIDATES))
    return create_model(
        "ListingAnswer", __base__=ListingAnswer, __doc__=ListingAnswer.__doc__,
        job_numbers=(list[int], Field(max_length=count, description=f"numbers from 1 to {count}; [] if none is a job posting")),
    )


@dataclass
class Candidate:
    """One link of the page, as the model sees it."""

    number: int
    text: str
    url: str
    context: str = ""


@dataclass
class CareersPage:
    """Whether a page looks like a careers page, and the signals that say so."""

    looks_like: bool
    signals: list[str] = field(default_factory=list)


@dataclass
class ListingChoice:
    """The model's choice: the chosen candidates (never anything else) and how it went."""

    status: str  # "ok", "cached", "unavailable", "bad_answer", "skipped"
    chosen: list[Candidate] = field(default_factory=list)
    ignored_numbers: list[int] = field(default_factory=list)
    calls: int = 0
    error: str | None = None
    error_kind: str | None = None


# --- the careers-page test -----------------------------------------------------------------
def _words_in_path(url: str) -> str:
    return re.sub(r"[-_/.+]+", " ", unquote(urlsplit(url).path))


def looks_like_careers_page(html: str, url: str, *, reached_as_careers: bool) -> CareersPage:
    """Return whether a page looks like a careers page (see docs/INTERFACES.md).

    Signals: reached as the careers page (the careers URL given or found by discovery, or a
    further page of its listing); careers words in the URL path; in the <title>; in an h1-h3
    heading. A page reached as the careers page needs one word signal more; any other page two.
    """
    signals: list[str] = []
    if reached_as_careers:
        signals.append("reached")
    if CAREERS_WORDS.search(_words_in_path(url)):
        signals.append("path")
    try:
        doc = lxml.html.fromstring(html)
    except (ValueError, lxml.etree.ParserError):
        doc = None
    if doc is not None:
        title = doc.find(".//title")
        if title is not None and CAREERS_WORDS.search(clean_text(title.text_content()) or ""):
            signals.append("title")
        for heading in doc.iter("h1", "h2", "h3"):
            if CAREERS_WORDS.search(clean_text(heading.text_content()) or ""):
                signals.append("heading")
                break
    words = len([s for s in signals if s != "reached"])
    return CareersPage(looks_like=words >= (1 if reached_as_careers else 2), signals=signals)


# --- candidates ----------------------------------------------------------------------------
def _in_chrome(node) -> bool:
    return any(anc.tag in ("nav", "header", "footer") for anc in node.iterancestors())


def _context(anchor, text: str) -> str:
    for anc in anchor.iterancestors():
        if anc.tag not in _BLOCKS:
            continue
        if len(anc.xpath(".//a[@href]")) > 3:
            break
        block = clean_text(anc.text_content()) or ""
        rest = block.replace(text, " ", 1) if text else block
        words = rest.split()
        if words:
            return " ".join(words[:MAX_CONTEXT_WORDS])
    return ""


def _anchor_text(anchor) -> str:
    text = clean_text(anchor.text_content()) or clean_text(anchor.get("title")) or clean_text(anchor.get("aria-label"))
    if not text:
        for img in anchor.iter("img"):
            text = clean_text(img.get("alt"))
            if text:
                break
    return text or ""


def candidates(html: str, page_url: str, limit: int = MAX_CANDIDATES) -> list[Candidate]:
    """Return the page's candidate links, numbered from 1: outside nav/header/footer, not
    mailto/anchors/social, not the page itself or a home page, one per URL (the longest text wins)."""
    try:
        doc = lxml.html.fromstring(html)
    except (ValueError, lxml.etree.ParserError):
        return []
    for bad in doc.xpath("//script | //style | //noscript | //template"):
        bad.drop_tree()
    page = canonical_url(page_url).rstrip("/")
    found: dict[str, Candidate] = {}
    for anchor in doc.iter("a"):
        url = absolute(anchor.get("href"), page_url)
        if not url or _in_chrome(anchor) or registrable_domain(url) in _SOCIAL:
            continue
        key = canonical_url(url)
        if key.rstrip("/") == page or urlsplit(key).path in ("", "/"):
            continue  # the page itself, or a site's home page: never a posting
        text = _anchor_text(anchor)
        if key in found:
            if len(text) > len(found[key].text):
                found[key].text = text[:MAX_TEXT]
            continue
        if len(found) >= limit:
            break
        found[key] = Candidate(len(found) + 1, text[:MAX_TEXT], key, _context(anchor, text))
    return list(found.values())


def _short_url(url: str) -> str:
    return url if len(url) <= MAX_URL else url[:MAX_URL] + "…"


def build_messages(cands: list[Candidate], page_url: str, page_title: str | None) -> list[Any]:
    """Return the chat messages: the instructions, then the page and its numbered links."""
    lines = [f"Page: {page_url}", f"Title: {page_title or ''}", "", "Links:"]
    for cand in cands:
        line = f"{cand.number}. {cand.text or '(no text)'} | {_short_url(cand.url)}"
        if cand.context:
            line += f" | {cand.context}"
        lines.append(line)
    return [SystemMessage(content=SYSTEM), HumanMessage(content="\n".join(lines))]


def cache_key(messages: list[Any]) -> str:
    """Return the cache key: the content hash of what the model is asked (and the prompt version)."""
    return content_hash(PROMPT_VERSION + "\n" + "\n".join(str(m.content) for m in messages))


def pick(cands: list[Candidate], numbers: Iterable[Any]) -> tuple[list[Candidate], list[int]]:
    """Return the candidates whose numbers the model gave, and the numbers ignored (not in the
    list, not integers, repeated)."""
    by_number = {c.number: c for c in cands}
    chosen: list[Candidate] = []
    ignored: list[int] = []
    seen: set[int] = set()
    for number in numbers:
        if isinstance(number, bool) or not isinstance(number, int) or number not in by_number or number in seen:
            ignored.append(number if isinstance(number, int) else -1)
            continue
        seen.add(number)
        chosen.append(by_number[number])
    return chosen, ignored


async def choose_jobs(chat_model: BaseChatModel, cands: list[Candidate], page_url: str,
                      page_title: str | None = None, *, cache: Any = None, model_name: str = "") -> ListingChoice:
    """Return the candidates the model says are job postings (one call, or the cached answer)."""
    if not cands:
        return ListingChoice(status="skipped")
    messages = build_messages(cands, page_url, page_title)
    key = cache_key(messages)
    if cache is not None:
        try:
            entry = cache.llm_cache_get(key)
        except Exception:  # noqa: BLE001 - a cache problem must not stop the crawl
            logger.warning("LLM cache read failed for listing %s", page_url, exc_info=True)
            entry = None
        result = (entry or {}).get("result") if isinstance(entry, dict) else None
        if isinstance(result, dict) and isinstance(result.get("job_numbers"), list):
            chosen, ignored = pick(cands, result["job_numbers"])
            return ListingChoice(status="cached", chosen=chosen, ignored_numbers=ignored)
    structured = chat_model.with_structured_output(answer_model(len(cands)), method="json_schema", include_raw=True)
    try:
        answer = await structured.ainvoke(messages)
    except asyncio.CancelledError:
        raise
    except Exception as exc:  # noqa: BLE001 - every failure is a status, none escapes
        kind = classify_error(exc)
        logger.info("LLM listing call for %s failed (%s): %r", page_url, kind or "error", exc)
        return ListingChoice(status="unavailable" if kind else "bad_answer", calls=1, error=repr(exc),
                             error_kind=kind)
    parsed = answer.get("parsed")
    if parsed is None or answer.get("parsing_error") is not None:
        raw = answer.get("raw")
        logger.info("LLM listing answer for %s did not match the schema: %r (%r)", page_url,
                    answer.get("parsing_error"), getattr(raw, "content", raw))
        return ListingChoice(status="bad_answer", calls=1, error=repr(answer.get("parsing_error")))
    numbers = parsed.job_numbers if isinstance(parsed, ListingAnswer) else list(parsed.get("job_numbers") or [])
    chosen, ignored = pick(cands, numbers)
    if cache is not None:
        try:
            cache.llm_cache_put(key, model_name, {"job_numbers": [c.number for c in chosen]})
        except Exception:  # noqa: BLE001
            logger.warning("LLM cache write failed for listing %s", page_url, exc_info=True)
    return ListingChoice(status="ok", chosen=chosen, ignored_numbers=ignored, calls=1)


# --- in the crawl --------------------------------------------------------------------------
@dataclass
class ListingLlmTask:
    """A listing page for the LLM tier, yielded by the spider's callback (never an item)."""

    page_url: str
    page_title: str | None
    candidates: list[Candidate]


class ListingLlmMiddleware:
    """Spider middleware: runs the LLM listing tier for the `ListingLlmTask`s a callback yields.

    Off when the LLM is off (JOBOS_LLM_ENABLED=0) or JOBOS_LLM_LISTING=0: the task is then
    counted (`jobos/llm/listing_skipped`) and dropped. A server that is down stops the tier for
    the rest of the crawl after the first failure (`jobos/llm/listing_unavailable`).
    """

    def __init__(self, crawler: Any) -> None:
        from jobos.llm.models import LlmConfig

        self.crawler = crawler
        self.stats = crawler.stats
        self.config = LlmConfig.load(crawler.settings)
        self.enabled = self.config.enabled and crawler.settings.getbool("JOBOS_LLM_LISTING", True)
        self.chat_model: BaseChatModel | None = None
        self.store: Any = None
        self.down = False
        self._slots: asyncio.Semaphore | None = None
        self._done: set[str] = set()

    @classmethod
    def from_crawler(cls, crawler: Any) -> "ListingLlmMiddleware":
        from scrapy import signals

        mw = cls(crawler)
        crawler.signals.connect(mw.spider_closed, signal=signals.spider_closed)
        return mw

    def spider_closed(self) -> None:
        close = getattr(self.store, "close", None)
        if callable(close):
            try:
                close()
            except Exception:  # noqa: BLE001
                logger.debug("closing the LLM listing cache failed", exc_info=True)

    async def process_spider_output(self, response: Any, result: AsyncIterator[Any] | Iterable[Any],
                                    spider: Any = None) -> AsyncIterator[Any]:
        if hasattr(result, "__aiter__"):
            async for out in result:
                if isinstance(out, ListingLlmTask):
                    async for request in self._run(out):
                        yield request
                else:
                    yield out
        else:
            for out in result:
                if isinstance(out, ListingLlmTask):
                    async for request in self._run(out):
                        yield request
                else:
                    yield out

    async def _run(self, task: ListingLlmTask) -> AsyncIterator[Any]:
        spider = self.crawler.spider
        key = canonical_url(task.page_url)
        if not self.enabled or self.down:
            self.stats.inc_value(f"{STATS}/listing_skipped")
            return
        if key in self._done:  # one call per listing page at most
            return
        self._done.add(key)
        if self.chat_model is None:
            from jobos.llm.models import make_chat_model_from_config
            from jobos.llm.state import open_state

            self.chat_model = make_chat_model_from_config(self.config)
            self.store = open_state()
        if self._slots is None:
            self._slots = asyncio.Semaphore(self.config.concurrency)
        async with self._slots:
            choice = await choose_jobs(self.chat_model, task.candidates, task.page_url, task.page_title,
                                       cache=self.store, model_name=self.config.model)
        self.stats.inc_value(f"{STATS}/listing_calls", choice.calls)
        self.stats.inc_value(f"{STATS}/listing/{choice.status}")
        if choice.ignored_numbers:
            self.stats.inc_value(f"{STATS}/listing_ignored_numbers", len(choice.ignored_numbers))
        if choice.error_kind in ("connect", "timeout"):
            self.down = True
            self.stats.inc_value(f"{STATS}/listing_unavailable")
            logger.warning("LLM listing tier off for the rest of the crawl: the server gave no answer (%s)",
                           choice.error_kind)
        if not choice.chosen:
            logger.info("LLM listing tier found no job links on %s (%s)", task.page_url, choice.status)
            return
        self.stats.inc_value(f"{STATS}/listing_job_links", len(choice.chosen))
        logger.info("LLM listing tier chose %d job links on %s", len(choice.chosen), task.page_url)
        for request in spider.listing_llm_requests(task, choice.chosen):
            yield request
