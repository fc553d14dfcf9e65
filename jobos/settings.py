"""Scrapy settings for JobOS: flat UPPER_CASE constants; our own are JOBOS_*.

Environment variables of the same names override them, in one place at the bottom of this file
(DESIGN.md lists them). `-s NAME=value` on the command line overrides both, except for the
security settings (the SSRF guard, proxies, robots, budgets, components, the browser's options,
JOBOS_* other than timing knobs): those come from here and the node's environment only, a
command-line or scrapyd `setting=` value is ignored with a warning (jobos/lockdown.py).
"""
from __future__ import annotations

from scrapy.settings import default_settings as _scrapy_defaults

from jobos import config as _config

BOT_NAME = "jobos"
SPIDER_MODULES = ["jobos.spiders"]
NEWSPIDER_MODULE = "jobos.spiders"

# --- Identity and politeness -------------------------------------------------------------
USER_AGENT = "JobOS/0.1 (+https://github.com/jobos/jobos; careers crawler)"
ROBOTSTXT_OBEY = True
# The search step sends one query a user asked for, as a person would; search engines'
# robots.txt forbids crawlers, so by default that one request is exempt (see README). Set
# to False to obey robots.txt for the search engine too (discovery then relies on ATS probes
# and domain guesses).
JOBOS_SEARCH_IGNORES_ROBOTS = True
CONCURRENT_REQUESTS = 16
CONCURRENT_REQUESTS_PER_DOMAIN = 4
DOWNLOAD_DELAY = 0
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 0.25
AUTOTHROTTLE_MAX_DELAY = 30
AUTOTHROTTLE_TARGET_CONCURRENCY = 2.0
DOWNLOAD_TIMEOUT = 20
DOWNLOAD_MAXSIZE = 20 * 1024 * 1024
DOWNLOAD_WARNSIZE = 5 * 1024 * 1024
REDIRECT_MAX_TIMES = 10
COOKIES_ENABLED = False
TELNETCONSOLE_ENABLED = False

# --- Retries: 429/5xx with backoff, honouring Retry-After (jobos.middlewares) -------------------
RETRY_ENABLED = True
RETRY_TIMES = 3
RETRY_HTTP_CODES = [429, 500, 502, 503, 504, 522, 524, 408]
# A host name that does not resolve is not retried: it is a guessed domain that does not exist,
# or no network at all; three more tries only triple the wait and the noise.
RETRY_EXCEPTIONS = [e for e in _scrapy_defaults.RETRY_EXCEPTIONS
                    if e != "scrapy.exceptions.CannotResolveHostError"]
JOBOS_RETRY_BACKOFF_BASE = 1.0  # seconds; doubled per attempt
JOBOS_RETRY_AFTER_MAX = 60  # a longer Retry-After gives up on that request (counted)
# A timed-out request's retries wait until the crawl's queue drains (backoff as above), instead
# of joining the crowd that made it time out.
JOBOS_RETRY_TIMEOUTS_LATER = True
# A request that failed for good for a transient reason (timeout, 429/5xx, connection error)
# gets this many more tries (0-3) once the rest of the crawl is read; then its company is partial.
JOBOS_RETRY_LAST_CHANCE = 1

# --- Crawl budget -----------------------------------------------------------------------
JOBOS_REQUEST_BUDGET = 2000  # requests per crawl (per company in batch mode); reaching it ends the crawl as partial
JOBOS_CONDITIONAL = True  # re-read an unchanged board's listing with one conditional request, no writes
JOBOS_DETAIL_REREAD_DAYS = 7  # a job page skipped for an unchanged listing entry is read again after this
JOBOS_ALLOW_PRIVATE = False  # allow loopback/private/link-local targets (development only)
JOBOS_RESOLVER = None  # dotted path of a resolver function host -> [addresses] (tests only)
JOBOS_MAX_SEARCH_REQUESTS = 2
JOBOS_PROBE_SLUGS = 3  # slug variants of the name probed per ATS
JOBOS_PROBE_BUDGET = 12  # ATS slug probes per crawl, however many systems are known (likeliest first)
JOBOS_PROBE_WAVE = 4  # probes sent at once; the next wave only when none was accepted
JOBOS_REUSE_KNOWN_COMPANIES = True  # a company an earlier crawl found goes straight to its careers page
JOBOS_MAX_DOMAIN_GUESSES = 6

# --- Pipelines and middlewares ------------------------------------------------------------
ITEM_PIPELINES = {
    "jobos.pipelines.MarkdownPipeline": 100,
    "jobos.pipelines.LlmExtractionPipeline": 200,
    "jobos.pipelines.NormalizePipeline": 300,
    "jobos.pipelines.ValidatePipeline": 400,
    "jobos.pipelines.CountryFilterPipeline": 500,
    "jobos.pipelines.DedupPipeline": 600,
    "jobos.pipelines.StorePipeline": 700,
}
SPIDER_MIDDLEWARES = {
    "jobos.middlewares.CrawlGuardSpiderMiddleware": 50,
    "jobos.batch.CompanyMetaMiddleware": 60,  # batch mode: requests and items keep their company
    # The LLM listing tier (last resort); next to the spider, so the requests it adds pass
    # through every other spider middleware.
    "jobos.llm.listing.ListingLlmMiddleware": 950,
    # Next to the spider: what reading a site listing page led to, as the spider yielded it
    # (jobos.conditional: an unchanged page is not read again).
    "jobos.conditional.SiteListingRecorder": 960,
}
DOWNLOADER_MIDDLEWARES = {
    "jobos.middlewares.SafeUrlMiddleware": 50,
    "jobos.middlewares.RequestBudgetMiddleware": 60,
    "scrapy.downloadermiddlewares.retry.RetryMiddleware": None,
    "jobos.middlewares.BackoffRetryMiddleware": 550,
    "jobos.middlewares.RedirectLoopMiddleware": 650,
    # After decompression (590), before retries (550): validators on board listings, and an
    # unchanged board (304 or same body hash) ends there (jobos.conditional).
    "jobos.conditional.ConditionalRequestMiddleware": 560,
}
EXTENSIONS = {
    "jobos.extensions.CrawlRunExtension": 500,
    "jobos.extensions.StatsFileExtension": 900,
    "jobos.logs.JsonLogExtension": 10,
    "jobos.report.ConsoleReport": 950,  # only with JOBOS_CONSOLE_REPORT (jobos crawl)
    "scrapy.extensions.telnet.TelnetConsole": None,
}

# --- Feed exports: the record contract, in order -----------------------------------------
FEED_EXPORT_ENCODING = "utf-8"
FEED_EXPORT_FIELDS = list(__import__("jobos.items", fromlist=["CONTRACT_FIELDS"]).CONTRACT_FIELDS)

# --- Browser (scrapy-playwright, only for pages that need JavaScript) -----------------------
TWISTED_REACTOR = "twisted.internet.asyncioreactor.AsyncioSelectorReactor"
DOWNLOAD_HANDLERS = {
    "http": "jobos.browser.LazyPlaywrightDownloadHandler",
    "https": "jobos.browser.LazyPlaywrightDownloadHandler",
}
PLAYWRIGHT_BROWSER_TYPE = "chromium"
PLAYWRIGHT_MAX_CONTEXTS = 2
PLAYWRIGHT_MAX_PAGES_PER_CONTEXT = 4
PLAYWRIGHT_DEFAULT_NAVIGATION_TIMEOUT = 30_000
# The browser's own requests (scripts, XHR) skip Scrapy's middlewares: every one of them goes
# through the egress proxy jobos.browser starts (jobos.egress); this hook skips images, fonts
# and media, and refuses private IP literals before they reach it.
PLAYWRIGHT_ABORT_REQUEST = "jobos.render.abort_request"
JOBOS_SITE_MAX_PAGES = 50  # listing pages per site; reaching it marks the crawl partial
JOBOS_SITEMAP_MAX_REQUESTS = 8  # robots.txt, job feeds and sitemaps read per site when a careers page shows no job
JOBOS_CHROMIUM = None  # None: JOBOS_CHROMIUM env, else chromium/chromium-browser/google-chrome
JOBOS_TLS_VERIFY = True

# --- Data, storage and LLM --------------------------------------------------------------------
DATABASE_URL = None  # None: the embedded SQLite store under JOBOS_DATA_DIR
JOBOS_DATA_DIR = None  # None: the per-user data directory
JOBOS_AUTO_MIGRATE = True
JOBOS_STORE_BATCH = 100  # items per upsert transaction
JOBOS_STORE_MAX_BUFFER = 5000  # unsaved items kept in memory while the database is down; then spilled to disk
JOBOS_STORE_RETRY_MAX_DELAY = 30  # seconds between reconnection attempts, at most
JOBOS_STORE_CLOSE_WAIT = 30  # seconds the crawl waits at close for the database before spilling
JOBOS_NODE = None  # this machine's name in crawl runs (default: the host name)
JOBOS_PROGRESS_INTERVAL = 3.0
JOBOS_LLM_ENABLED = True
JOBOS_LLM_PROVIDER = "ollama"
JOBOS_LLM_MODEL = "qwen2.5:3b"
JOBOS_LLM_BASE_URL = None
OLLAMA_HOST = "http://127.0.0.1:11434"
JOBOS_LLM_TIMEOUT = 60.0
JOBOS_LLM_CONCURRENCY = 2
JOBOS_LLM_TOKEN_BUDGET = 6000
JOBOS_LLM_MAX_TOKENS = 1024  # tokens one answer may have
JOBOS_LLM_LISTING = True  # the LLM as the last tier for listing pages (needs JOBOS_LLM_ENABLED)
JOBOS_LOG_FORMAT = "text"
JOBOS_STATS_FILE = None  # write the final stats as JSON here
JOBOS_CONSOLE_REPORT = False  # progress lines and a summary on stderr (`jobos crawl` turns it on)

# --- Environment overrides (one place) ------------------------------------------------------
_ENV_NAMES = [name for name in list(globals()) if name.startswith("JOBOS_")] + [
    "DATABASE_URL",
    "OLLAMA_HOST",
    "ROBOTSTXT_OBEY",
    "DOWNLOAD_TIMEOUT",
    "CONCURRENT_REQUESTS",
    "CONCURRENT_REQUESTS_PER_DOMAIN",
]


def _coerce(raw: str, default: object) -> object:
    if isinstance(default, bool):
        return raw.strip().lower() in _config.TRUE
    if isinstance(default, int):
        return int(raw)
    if isinstance(default, float):
        return float(raw)
    return raw


for _name in _ENV_NAMES:
    _raw = _config.env(_name)
    if _raw is not None:
        globals()[_name] = _coerce(_raw, globals()[_name])

JOBOS_CHROMIUM = JOBOS_CHROMIUM or _config.chromium_path()
PLAYWRIGHT_LAUNCH_OPTIONS = {
    "headless": True,
    "args": [
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--disable-gpu",
        "--disable-quic",
        # WebRTC may not send UDP around the proxy (STUN/TURN to inside addresses).
        "--force-webrtc-ip-handling-policy=disable_non_proxied_udp",
    ],
    **({"executable_path": JOBOS_CHROMIUM} if JOBOS_CHROMIUM else {}),
    # No "proxy" here: jobos.browser gives Chromium its egress proxy (which forwards to
    # HTTPS_PROXY/HTTP_PROXY, minus NO_PROXY hosts) when it starts the browser.
}
# Per-request context options (kept out of PLAYWRIGHT_CONTEXTS so the browser starts lazily).
# jobos.browser forces the proxy and service_workers="block" on every context whatever is here.
JOBOS_BROWSER_CONTEXT = {"ignore_https_errors": not JOBOS_TLS_VERIFY, "java_script_enabled": True,
                         "service_workers": "block"}
