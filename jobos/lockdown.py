"""Settings a crawl's caller cannot change: they come from the node's environment only.

Whoever can schedule a crawl (scrapyd's `setting=NAME=value`, which becomes `scrapy crawl -s`)
must not be able to turn the SSRF guard off, point the crawler through another proxy, ignore
robots.txt, lift the request budget or load other code (download handlers, middlewares,
pipelines, extensions, the browser's executable and launch options). For the settings below a
command-line value (`-s`, priority "cmdline" or higher) is ignored with a warning and the value
of jobos/settings.py, as the node's environment overrides it, is put back. The spider calls
`enforce` from `update_settings`, which Scrapy runs after the command line's settings and
before any component is built.

Timing knobs (TUNABLE) stay the caller's; those in BOUNDS only within their range: a value
outside it is refused the same way, with a sentence saying the range.

Under scrapyd, feed settings are protected too (a feed URI can write any file or reach any
host); `scrapy crawl -O` from a shell keeps working.
"""
from __future__ import annotations

import logging
import math
import re
import sys

from scrapy.settings import BaseSettings, Settings
from scrapy.settings import SETTINGS_PRIORITIES

logger = logging.getLogger(__name__)

PROTECTED_NAMES = {
    # the guard, robots, budgets
    "ROBOTSTXT_OBEY", "ROBOTSTXT_PARSER", "ROBOTSTXT_USER_AGENT",
    "DOWNLOAD_MAXSIZE", "DOWNLOAD_WARNSIZE", "REDIRECT_MAX_TIMES", "REDIRECT_ENABLED",
    "CONCURRENT_REQUESTS", "CONCURRENT_REQUESTS_PER_DOMAIN", "CONCURRENT_REQUESTS_PER_IP",
    # proxies and name resolution
    "HTTPPROXY_ENABLED", "HTTPPROXY_AUTH_ENCODING", "DNS_RESOLVER", "TWISTED_DNS_RESOLVER",
    # code and where things go
    "TWISTED_REACTOR", "ASYNCIO_EVENT_LOOP", "SPIDER_MODULES", "NEWSPIDER_MODULE", "DOWNLOADER",
    "SCHEDULER", "ITEM_PROCESSOR", "LOG_FORMATTER", "DATABASE_URL", "OLLAMA_HOST",
}
# JobOS's own settings, the browser's, and every setting that names components or classes.
PROTECTED_PATTERN = re.compile(
    r"^(JOBOS_|PLAYWRIGHT_|SCHEDULER_)|(_CLASS|_BASE|_FACTORY|_HANDLERS|MIDDLEWARES|PIPELINES|EXTENSIONS"
    r"|_STORAGES|_EXPORTERS|ADDONS)$")
# JobOS settings that only tune timing and batching (tests and benchmarks set them per crawl).
TUNABLE = {
    "JOBOS_RETRY_BACKOFF_BASE", "JOBOS_RETRY_AFTER_MAX", "JOBOS_PROGRESS_INTERVAL", "JOBOS_LOG_FORMAT",
    "JOBOS_STORE_BATCH", "JOBOS_STORE_MAX_BUFFER", "JOBOS_STORE_RETRY_MAX_DELAY", "JOBOS_STORE_CLOSE_WAIT",
    "JOBOS_LLM_TIMEOUT", "JOBOS_LLM_CONCURRENCY", "JOBOS_LLM_ENABLED", "JOBOS_LLM_MODEL",
    "JOBOS_RETRY_TIMEOUTS_LATER", "JOBOS_RETRY_LAST_CHANCE",
}
# JOBOS_STATS_FILE names a new JSON file (per-job stats in benchmarks): allowed when it is one.
STATS_FILE = "JOBOS_STATS_FILE"
SCRAPYD_ONLY = {"FEEDS", "FEED_URI", "FEED_FORMAT", "FEED_STORAGES", "FEED_URI_PARAMS", "JOBDIR"}


LOCKED = SETTINGS_PRIORITIES["cmdline"] + 10


def _boolean(settings: BaseSettings, name: str) -> str | None:
    try:
        settings.getbool(name)
    except ValueError:
        return "must be 1 or 0 (true or false)"
    return None


def _whole_number(low: int, high: int):
    def check(settings: BaseSettings, name: str) -> str | None:
        value = settings.get(name)
        try:
            number = int(str(value).strip())
        except (TypeError, ValueError):
            number = None
        if number is None or not low <= number <= high:
            return f"must be a whole number from {low} to {high}"
        return None
    return check


def _seconds(high: float):
    def check(settings: BaseSettings, name: str) -> str | None:
        try:
            number = float(str(settings.get(name)).strip())
        except (TypeError, ValueError):
            number = math.nan
        if not 0 <= number <= high:  # NaN too
            return f"must be a number of seconds from 0 to {high:g}"
        return None
    return check


# Tunable settings whose caller's value is bounded: one outside its range is refused (a sentence
# in the log) and the node's value is used. Each bound keeps a crawl finite: more put-off tries
# would hold a finished batch open for every failing host.
BOUNDS = {
    "JOBOS_RETRY_BACKOFF_BASE": _seconds(60),  # doubled per attempt: a crawl must not sleep for hours
    "JOBOS_RETRY_AFTER_MAX": _seconds(3600),
    "JOBOS_RETRY_TIMEOUTS_LATER": _boolean,
    "JOBOS_RETRY_LAST_CHANCE": _whole_number(0, 3),
}


def under_scrapyd() -> bool:
    """True when this process is a crawl scrapyd started (`python -m scrapyd.runner`)."""
    main = sys.modules.get("__main__")
    spec = getattr(main, "__spec__", None)
    return getattr(spec, "name", "") == "scrapyd.runner"


def is_protected(name: str, scrapyd: bool = False) -> bool:
    if name in TUNABLE:
        return False
    return name in PROTECTED_NAMES or bool(PROTECTED_PATTERN.search(name)) or (scrapyd and name in SCRAPYD_ONLY)


def _stats_file_ok(value) -> bool:
    from pathlib import Path

    path = Path(str(value))
    return path.suffix == ".json" and not path.exists() and not path.is_symlink()


def _node_settings() -> Settings:
    """jobos/settings.py as this node's environment made it (imported once per process)."""
    node = Settings()
    node.setmodule("jobos.settings", priority="project")
    return node


def enforce(settings: BaseSettings, scrapyd: bool | None = None) -> list[str]:
    """Put back the node's value of every protected setting given on the command line, and of
    every bounded tunable given out of its range; return the names ignored (each is logged)."""
    scrapyd = under_scrapyd() if scrapyd is None else scrapyd
    cmdline = SETTINGS_PRIORITIES["cmdline"]
    node = None
    ignored = []
    for name in list(settings.attributes):
        if (settings.getpriority(name) or 0) < cmdline:
            continue
        if name in BOUNDS and not is_protected(name, scrapyd):
            problem = BOUNDS[name](settings, name)
            if problem is None:
                continue
            node = node or _node_settings()
            logger.warning("refused the setting %s=%r given with the crawl: it %s; the node's "
                           "value %r is used", name, settings.get(name), problem, node.get(name))
            settings.set(name, node.get(name), priority=LOCKED)
            ignored.append(name)
            continue
        if not is_protected(name, scrapyd):
            continue
        if name == STATS_FILE and _stats_file_ok(settings.get(name)):
            continue
        node = node or _node_settings()
        value = node[name] if name in node else None
        if isinstance(value, BaseSettings):
            value = value.copy_to_dict()
        # Above the command line's priority: Scrapy merges the process's (command line) settings
        # into the crawler's again after update_settings, and must not win then either.
        settings.set(name, value, priority=LOCKED)
        ignored.append(name)
        logger.warning("ignored the setting %s given with the crawl: it is read from the node's "
                       "environment only", name)
    return ignored
