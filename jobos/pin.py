"""Checks a careers page or board a person pins on a company before it is saved.

A pin decides what every later crawl of the company reads, so it is checked as the crawler
would meet it: the board must belong to a known ATS (the registry in jobos.ats) and answer its
API with live jobs; a URL must answer with something readable. Every hop is fetched through the
egress guard (jobos.guard): no loopback, private, link-local or metadata address, each redirect
checked before it is followed, and a direct connection goes to the address that was checked.
Refusals are PinRefused with a sentence a person can act on.
"""
from __future__ import annotations

import logging
import warnings
from dataclasses import dataclass
from typing import Callable
from urllib.parse import urljoin, urlsplit
from urllib.request import proxy_bypass_environment

import certifi
import urllib3

from jobos import config
from jobos.ats.base import Board
from jobos.guard import Resolver, checked_addresses, refusal_reason, system_resolver

logger = logging.getLogger(__name__)

MAX_REDIRECTS = 5
MAX_BYTES = 2 * 1024 * 1024
TIMEOUT = 10.0
READABLE_TYPES = ("text/html", "application/xhtml+xml", "application/json", "text/json", "application/xml",
                  "text/xml", "text/plain", "application/ld+json", "application/rss+xml", "application/atom+xml")

# Why the guard refused an address, in words (guard reasons, with or without 'resolves_').
_GUARD_WORDS = {
    "loopback": "this machine (a loopback address)",
    "private": "a private network address",
    "link_local": "a link-local address (such as the cloud metadata service)",
    "reserved": "a reserved address",
    "not_global": "an address that is not on the public internet",
    "scheme": "a scheme other than http or https",
    "bad_url": "no usable web address",
    "bad_address": "no usable web address",
    "unresolved": "a name that does not resolve",
}


class PinRefused(ValueError):
    """The pinned board or URL cannot be used; the message says why, in one sentence."""

    field = "careers_url"  # which field of the pin was refused (check_pin sets it)


@dataclass(frozen=True)
class Answer:
    """One fetched answer: the final URL (after checked redirects), status, type and body."""

    url: str
    status: int
    content_type: str
    body: bytes


@dataclass(frozen=True)
class Pin:
    """A checked pin: the board key later crawls produce, and the page they start from."""

    board: str
    careers_url: str
    jobs: int | None = None  # live jobs the board's API listed (None for a plain page)


Fetch = Callable[..., Answer]


def guard_words(reason: str) -> str:
    """Return a guard refusal reason ('resolves_private', 'loopback'...) as words."""
    short = reason.removeprefix("resolves_")
    words = _GUARD_WORDS.get(short, "an address JobOS does not fetch")
    return f"resolves to {words}" if reason.startswith("resolves_") else f"points to {words}"


def _resolver() -> Resolver:
    from scrapy.utils.misc import load_object

    dotted = config.env("JOBOS_RESOLVER")  # tests inject one, as for the crawler
    return load_object(dotted) if dotted else system_resolver


def _proxy_for(url: str) -> str | None:
    proxy = config.proxy_url()
    host = urlsplit(url).hostname or ""
    if not proxy or proxy_bypass_environment(host, {"no": config.no_proxy() or ""}):
        return None
    return proxy if "://" in proxy else f"http://{proxy}"


def _check_hop(url: str, resolver: Resolver, proxied: bool) -> str | None:
    """Return the address to connect to (None behind a proxy), or raise PinRefused."""
    reason = refusal_reason(url)
    host = (urlsplit(url).hostname or "").rstrip(".").lower()
    if not reason:
        addresses, reason = checked_addresses(host, resolver)
        if reason == "unresolved" and proxied:
            return None  # the proxy resolves names this machine cannot; it sees only public ones
    if reason == "unresolved":
        raise PinRefused(f"The host name of {url[:200]} does not resolve; check the address.")
    if reason:
        raise PinRefused(f"{url[:200]} {guard_words(reason)}, which JobOS never fetches.")
    return None if proxied else addresses[0]


def fetch(url: str, *, method: str = "GET", body: bytes | None = None, headers: dict[str, str] | None = None,
          resolver: Resolver | None = None, timeout: float = TIMEOUT) -> Answer:
    """Return the answer to a request, following redirects, each hop checked by the egress guard."""
    resolver = resolver or _resolver()
    verify = config.env_bool("JOBOS_TLS_VERIFY", True)
    tls = {"cert_reqs": "CERT_REQUIRED", "ca_certs": certifi.where()} if verify else {"cert_reqs": "CERT_NONE"}
    hdrs = {"User-Agent": "JobOS pin check", "Accept": "text/html, application/json, */*;q=0.5", **(headers or {})}
    with warnings.catch_warnings():
        if not verify:  # the user turned verification off (JOBOS_TLS_VERIFY=0): no warning per request
            warnings.simplefilter("ignore", urllib3.exceptions.InsecureRequestWarning)
        return _fetch(url, method, body, hdrs, resolver, verify, tls, timeout)


def _fetch(url: str, method: str, body: bytes | None, hdrs: dict[str, str], resolver: Resolver, verify: bool,
           tls: dict, timeout: float) -> Answer:
    for _ in range(MAX_REDIRECTS + 1):
        parts = urlsplit(url)
        proxy = _proxy_for(url)
        address = _check_hop(url, resolver, proxied=proxy is not None)
        kwargs = dict(timeout=urllib3.Timeout(total=timeout), retries=False)
        client = None  # closed after each hop: a pin check keeps no connection open
        try:
            if proxy:
                client = urllib3.ProxyManager(proxy, **kwargs, **(tls if parts.scheme == "https" else {}))
                resp = client.request(method, url, body=body, headers=hdrs, redirect=False,
                                      preload_content=False)
            else:
                port = parts.port or (443 if parts.scheme == "https" else 80)
                if parts.scheme == "https":
                    pool = urllib3.HTTPSConnectionPool(address, port, server_hostname=parts.hostname,
                                                       assert_hostname=parts.hostname if verify else False,
                                                       maxsize=1, **kwargs, **tls)
                else:
                    pool = urllib3.HTTPConnectionPool(address, port, maxsize=1, **kwargs)
                client = pool
                path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
                resp = pool.urlopen(method, path, body=body, headers={**hdrs, "Host": parts.netloc.rpartition("@")[2]},
                                    redirect=False, preload_content=False)
            data = resp.read(MAX_BYTES, decode_content=True)
            resp.release_conn()
        except urllib3.exceptions.HTTPError as exc:
            logger.info("pin check: %s failed: %s", url, exc)
            raise PinRefused(f"{url[:200]} could not be reached ({type(exc).__name__}); "
                             "check the address and try again.") from None
        finally:
            if isinstance(client, urllib3.PoolManager):
                client.clear()
            elif client is not None:
                client.close()
        location = resp.headers.get("Location")
        if resp.status in (301, 302, 303, 307, 308) and location:
            url = urljoin(url, location.strip())
            if resp.status == 303 or (resp.status in (301, 302) and method == "POST"):
                method, body = "GET", None
            continue
        return Answer(url, resp.status, (resp.headers.get("Content-Type") or "").split(";")[0].strip().lower(), data)
    raise PinRefused(f"{url[:200]} redirects more than {MAX_REDIRECTS} times; give the final address.")


def _read_board(request, ats: str, name: str, *, fetch: Fetch, probing: bool) -> tuple[Board, int]:
    """Fetch a board's first API request and parse it as the crawl would; return (board, jobs)."""
    from scrapy.http import TextResponse

    from jobos.ats.base import BadResponse, ProbeResult
    from jobos.items import JobItem

    answer = fetch(request.url, method=request.method, body=request.body or None,
                   headers={k.decode(): b", ".join(v).decode() for k, v in request.headers.items()})
    if answer.status in (404, 410):
        raise PinRefused(f"{ats} has no board named '{name}'.")
    if not 200 <= answer.status < 300:
        raise PinRefused(f"The {ats} board '{name}' did not answer (HTTP {answer.status}); try again later.")
    response = TextResponse(answer.url, status=answer.status, body=answer.body, encoding="utf-8",
                            headers={"Content-Type": answer.content_type or "application/json"},
                            request=request)
    board = request.cb_kwargs.get("board")
    jobs = 0
    try:
        for out in request.callback(response, **request.cb_kwargs) or ():
            if isinstance(out, ProbeResult):
                board, jobs = out.board, out.job_count
            elif isinstance(out, (JobItem, dict)):
                jobs += 1
    except (BadResponse, ValueError, TypeError, KeyError, AttributeError) as exc:
        logger.info("pin check: %s answered unreadably: %s", answer.url, exc)
        raise PinRefused(f"The {ats} board '{name}' answered with something that is not job board data.") from None
    if probing and jobs <= 0:
        # A slug probe's empty answer is what several systems give for any name at all.
        raise PinRefused(f"The {ats} board '{name}' lists no open jobs; check its name, or give the board's URL.")
    return board, jobs


def check_board(board: str, *, fetch: Fetch = fetch) -> Pin:
    """Return the checked Pin of a board key '<ats>:<token>', or raise PinRefused."""
    from jobos.ats import REGISTRY
    from jobos.ats.base import BoardContext

    ats, _, token = board.partition(":")
    if ats == "website":
        raise PinRefused("For a company's own site, give its careers page URL instead of a website: board.")
    module = REGISTRY.get(ats)
    if module is None:
        raise PinRefused(f"'{ats[:40]}' is not a job board system JobOS reads; use one of "
                         f"{', '.join(sorted(REGISTRY))}, or give the board's URL.")
    probe = getattr(module, "probe", None)
    if probe is None:
        raise PinRefused(f"A {ats} board is pinned by its URL (such as {module.URL_SHAPES[0]}), not by its name.")
    request = probe(token, BoardContext(company=token))
    if request is None:
        raise PinRefused(f"'{token[:80]}' is not a valid {ats} board name.")
    found, jobs = _read_board(request, ats, token[:80], fetch=fetch, probing=True)
    return Pin(found.key, found.url, jobs)


def check_url(url: str, *, fetch: Fetch = fetch) -> Pin:
    """Return the checked Pin of a careers page or board URL, or raise PinRefused.

    An ATS board's URL is checked through the board's API (what the crawl reads); any other
    page must answer with something readable.
    """
    from jobos.ats import detect_url, module_for
    from jobos.ats.base import BoardContext
    from jobos.pages.common import page_source

    board = detect_url(url)
    if board is not None:
        first = next(iter(module_for(board).start(board, BoardContext(company=board.token))), None)
        if first is not None and getattr(first, "callback", None) is not None:
            _, jobs = _read_board(first, board.ats, board.token[:80], fetch=fetch, probing=False)
            return Pin(board.key, url, jobs)
    answer = fetch(url)
    if not 200 <= answer.status < 300:
        raise PinRefused(f"{url[:200]} answered HTTP {answer.status}, not a page; check the address.")
    if answer.content_type and answer.content_type not in READABLE_TYPES:
        raise PinRefused(f"{url[:200]} is a {answer.content_type[:60]} file, not a careers page.")
    if not answer.body.strip():
        raise PinRefused(f"{url[:200]} answered with an empty page.")
    if "html" in answer.content_type or not answer.content_type:
        # A page that embeds a board: the crawl reads that board, so its jobs carry its key.
        from jobos.ats.embedded import detect_html

        embedded = detect_html(answer.body.decode("utf-8", "replace"), answer.url)
        if embedded:
            return Pin(embedded[0].key, url)
    return Pin(page_source(url).board, url)


def check_pin(careers_url: str | None, board: str | None, *, fetch: Fetch = fetch) -> Pin:
    """Return the checked pin of a careers URL and/or a board key (the URL's page wins), or raise."""
    try:
        pinned = check_board(board, fetch=fetch) if board else None
    except PinRefused as exc:
        exc.field = "board"
        raise
    if careers_url:
        page = check_url(careers_url, fetch=fetch)
        return Pin(pinned.board if pinned else page.board, page.careers_url, pinned.jobs if pinned else page.jobs)
    if pinned is None:
        raise PinRefused("Give the careers page URL or the board.")
    return pinned
