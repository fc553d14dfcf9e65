"""What a person at a terminal sees of a crawl: a few progress lines, a summary, an exit status.

`jobos crawl` (and so `./run.sh`) turns this on with JOBOS_CONSOLE_REPORT; the full Scrapy log
then goes to a file whose path the summary prints. The summary is built from the crawl's stats
by `summarize()`, a pure function, so what it says is tested on its own.

Exit statuses (documented in the README):
  0  jobs were read (a partial crawl included: the summary says so)
  2  a bad argument (nothing was fetched)
  3  no career page was found
  4  the careers URL was refused (a loopback, private or metadata address, or robots.txt)
  5  a career page was found but nothing could be read from it
"""
from __future__ import annotations

import sys
import time
from dataclasses import dataclass, field
from typing import Any, Callable, TextIO

from scrapy import signals
from scrapy.exceptions import NotConfigured

EXIT_OK = 0
EXIT_BAD_ARGUMENT = 2
EXIT_NOT_FOUND = 3
EXIT_REFUSED = 4
EXIT_UNREADABLE = 5

STEP_WORDS = {
    "starting": "starting",
    "discovery": "looking for the career page",
    "board": "reading the job board",
    "site": "reading the career site",
    "extraction": "extracting fields with the language model",
    "storing": "storing the jobs",
}

# Failure kinds (the exception's class name in jobos/errors/<tier>/<kind>) in words.
FAILURE_WORDS = {
    "DNSLookupError": "host names could not be resolved (the network looks unreachable)",
    "CannotResolveHostError": "host names could not be resolved (the network looks unreachable)",
    "DownloadTimeoutError": "pages did not answer in time",
    "DownloadConnectionRefusedError": "connections were refused",
    "DownloadFailedError": "downloads failed",
    "ResponseDataLossError": "answers were cut off",
    "TimeoutError": "pages did not answer in time",
    "TCPTimedOutError": "connections timed out",
    "ConnectionRefusedError": "connections were refused",
    "ConnectError": "connections could not be made",
    "ResponseNeverReceived": "connections were dropped before an answer",
    "ConnectionLost": "connections were dropped mid-answer",
    "HttpError": "pages answered with an error status",
    "IgnoreRequest": "requests were not made (a redirect loop or too many redirects)",
}


@dataclass
class Summary:
    lines: list[str] = field(default_factory=list)
    exit_code: int = EXIT_OK


def _sum(stats: dict, prefix: str) -> int:
    return sum(v for k, v in stats.items() if k.startswith(prefix) and isinstance(v, (int, float)))


def failures_in_words(stats: dict) -> list[str]:
    """Return one sentence per kind of failure the crawl met (counted), worst first."""
    kinds: dict[str, int] = {}
    for key, value in stats.items():
        if key.startswith("jobos/errors/") and isinstance(value, (int, float)):
            kind = key.rsplit("/", 1)[-1]
            kinds[kind] = kinds.get(kind, 0) + int(value)
    out = []
    for kind, n in sorted(kinds.items(), key=lambda kv: -kv[1]):
        words = FAILURE_WORDS.get(kind)
        if words:
            out.append(f"{words} ({n}x)")
        elif kind == "bad_response":
            out.append(f"{n} answers could not be read (malformed or cut off)")
        elif kind.startswith("store_"):
            out.append(f"the database could not be reached ({n}x); nothing found was lost")
        else:
            out.append(f"{n} other failures ({kind})")
    refused = int(stats.get("jobos/refused", 0) or 0)
    if refused:
        out.append(f"{refused} addresses were refused by the safety guard "
                   "(loopback, private or cloud-metadata addresses are never fetched)")
    robots = int(stats.get("robotstxt/forbidden", 0) or 0)
    if robots:
        out.append(f"{robots} pages were not fetched because robots.txt forbids it")
    if stats.get("jobos/budget_exhausted"):
        out.append("the request budget was used up (JOBOS_REQUEST_BUDGET)")
    if stats.get("jobos/discovery/search/blocked"):
        out.append("the search engine refused the search (a CAPTCHA or a rate limit)")
    return out


def summarize(stats: dict, *, company: str, careers_url_given: str | None, partial_reasons: list[str],
              outputs: list[str], log_file: str | None) -> Summary:
    """Return the lines a person reads at the end of a crawl, and the exit status."""
    s = Summary()
    found = int(stats.get("item_scraped_count", 0) or 0)
    careers = careers_url_given or stats.get("jobos/discovery/careers_url")
    not_found = bool(stats.get("jobos/discovery/not_found")) and not careers_url_given
    if not_found:
        s.lines.append(f"No career page found for {company}.")
    elif careers_url_given:
        s.lines.append(f"Career page: {careers} (given)")
    elif careers:
        reason = stats.get("jobos/discovery/reason") or stats.get("jobos/discovery/chosen_by") or ""
        s.lines.append(f"Career page: {careers}" + (f" ({reason})" if reason else ""))
    if stats.get("jobos/board"):
        s.lines.append(f"Board: {stats['jobos/board']}")
    if found or not not_found:
        store = {k: int(stats.get(f"jobos/store/{k}", 0) or 0)
                 for k in ("new", "updated", "unchanged", "closed", "reopened")}
        parts = [f"{store['new']} new", f"{store['updated']} changed", f"{store['unchanged']} unchanged",
                 f"{store['closed']} closed"]
        if store["reopened"]:
            parts.append(f"{store['reopened']} reopened")
        s.lines.append(f"Jobs: {found} found ({', '.join(parts)})")
    if partial_reasons and not not_found:
        s.lines.append("The crawl is partial (no job was closed): " + "; ".join(partial_reasons[:3])
                       + (f"; and {len(partial_reasons) - 3} more" if len(partial_reasons) > 3 else ""))
    problems = failures_in_words(stats)
    if problems:
        s.lines.append("What failed: " + "; ".join(problems[:4]))
    if outputs and (found or not not_found):
        s.lines.append("Written to: " + ", ".join(outputs))
    if log_file:
        s.lines.append(f"Full log: {log_file}")
    refused_start = careers_url_given and found == 0 and (
        int(stats.get("jobos/refused", 0) or 0) or int(stats.get("robotstxt/forbidden", 0) or 0))
    if refused_start:
        s.exit_code = EXIT_REFUSED
    elif not_found:
        s.exit_code = EXIT_NOT_FOUND
    elif found == 0 and (problems or partial_reasons):
        s.exit_code = EXIT_UNREADABLE
    return s


class ConsoleReport:
    """Prints progress lines while the crawl runs and the summary when it ends (stderr)."""

    def __init__(self, crawler: Any, out: TextIO | None = None, clock: Callable[[], float] = time.monotonic):
        self.crawler = crawler
        self.out = out or sys.stderr
        self.clock = clock
        self.settings = crawler.settings
        self.last_step: str | None = None
        self.last_count = -1
        self.last_print = 0.0
        self.summary: Summary | None = None

    @classmethod
    def from_crawler(cls, crawler: Any) -> "ConsoleReport":
        if not crawler.settings.getbool("JOBOS_CONSOLE_REPORT"):
            raise NotConfigured("set JOBOS_CONSOLE_REPORT=1 for progress lines and a summary")
        ext = cls(crawler)
        crawler.signals.connect(ext.progress, signal=signals.item_scraped)
        crawler.signals.connect(ext.progress, signal=signals.response_received)
        crawler.signals.connect(ext.progress, signal=signals.request_scheduled)
        crawler.signals.connect(ext.spider_closed, signal=signals.spider_closed)
        return ext

    def say(self, line: str) -> None:
        print(f"jobos: {line}", file=self.out, flush=True)

    def progress(self, *args: Any, **kwargs: Any) -> None:
        stats = self.crawler.stats
        step = stats.get_value("jobos/step") or "starting"
        count = int(stats.get_value("item_scraped_count", 0) or 0)
        now = self.clock()
        if step != self.last_step:
            self.last_step = step
            self.say(f"{STEP_WORDS.get(step, step)}...")
            self.last_print = now
        elif count != self.last_count and now - self.last_print >= 5:
            pages = int(stats.get_value("response_received_count", 0) or 0)
            self.say(f"{count} jobs so far ({pages} pages read)")
            self.last_print = now
            self.last_count = count

    def spider_closed(self, spider: Any, reason: str) -> None:
        stats = self.crawler.stats.get_stats()
        args = getattr(spider, "args", None)
        outputs = list(self.settings.getdict("FEEDS") or {})
        self.summary = summarize(
            stats,
            company=getattr(args, "company", "") or "the company",
            careers_url_given=getattr(args, "careers_url", None),
            partial_reasons=list(getattr(spider, "partial_reasons", []) or []),
            outputs=outputs + [self.settings.get("JOBOS_STORE_DESCRIPTION") or "the store"],
            log_file=self.settings.get("LOG_FILE"),
        )
        if getattr(spider, "failed_reason", None) and not stats.get("item_scraped_count"):
            self.summary.exit_code = EXIT_BAD_ARGUMENT
        for line in self.summary.lines:
            self.say(line)
        self.crawler.stats.set_value("jobos/exit_code", self.summary.exit_code)
