"""DiscoveryMixin: from a company name (and country) to its career page, cheapest first.

0. A company an earlier crawl already found (the store knows its careers page, and only one
   company has that name): straight there, no discovery request (JOBOS_REUSE_KNOWN_COMPANIES).
1. The DuckDuckGo HTML endpoint (at most JOBOS_MAX_SEARCH_REQUESTS queries; see
   jobos.discovery.search for the robots.txt policy): one request that names the official page
   or board. A CAPTCHA, 202 or 429 ends searching.
2. ATS slug probes (one small API call each, plus each API host's robots.txt), when the search
   named no page: sent in waves of JOBOS_PROBE_WAVE, likeliest systems first, stopping after
   the first wave with an accepted board. Accepted only when the board has live jobs AND shows
   it is this company's (its name, or a link to the company's domain). An accepted probe's jobs
   and paging requests are used as they are: no extra request.
3. Domain guesses (acme.<country TLD>, acme.com, careers./jobs. hosts) and the careers link in
   the homepage's nav or footer.

Search goes before probes because it costs one request where probes cost one to two per ATS
tried (bench/bench_discovery.py). Probes, searches and guesses are never required requests
(meta jobos_tier probe/search/guess): their failures are counted, not a reason to call the
crawl partial. Each step is in the stats under jobos/discovery/<step>/... and in the log; the
choice and its reason go to spider.discovery_result = {careers_url, board, reason, company_domain}.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Any, Iterable

import scrapy

from jobos.ats import REGISTRY, detect_url
from jobos.ats.base import ProbeResult
from jobos.ats.embedded import detect_html, registrable_domain
from jobos.discovery import guess, probes, rank, search
from jobos.discovery.names import display_core, name_domain_similarity, names_match, slug_variants

logger = logging.getLogger(__name__)

STAT = "jobos/discovery"


@dataclass
class _State:
    """Where discovery is: outstanding requests of the current step and what they found."""

    step: str = "probe"
    outstanding: int = 0
    accepted: list[tuple[rank.ProbeVerdict, ProbeResult]] = field(default_factory=list)
    unconfirmed: list[ProbeResult] = field(default_factory=list)  # live, but no evidence
    rejected_boards: set[str] = field(default_factory=set)  # namesakes' boards
    searches: int = 0
    search_blocked: str | None = None
    candidates: list[rank.Candidate] = field(default_factory=list)
    guesses: list[tuple[int, str, str, list, list]] = field(default_factory=list)
    probe_plan: list[scrapy.Request] | None = None  # probes not sent yet (None: not planned)
    done: bool = False


class DiscoveryMixin:
    """Finds the career page when no careers_url is given."""

    # --- entry ------------------------------------------------------------------------------
    def discover(self) -> Iterable[scrapy.Request]:
        """Yield the first discovery requests (a known company's page, else the search)."""
        self._disc = _State()
        known = self._known_company()
        if known is not None:
            url, board, domain = known
            self._disc.step = "done"
            self._disc.done = True
            self.crawler.stats.inc_value(f"{STAT}/known")
            reason = "known company: careers page found by an earlier crawl"
            self._choose(url, board, reason, domain, step="known")
            yield from self.route_url(url, reason)
            return
        yield from self._start_search()

    def _known_company(self) -> tuple[str, str | None, str | None] | None:
        """Return (careers_url, board, domain) an earlier crawl stored for this company, or None."""
        if not self.crawler.settings.getbool("JOBOS_REUSE_KNOWN_COMPANIES", True):
            return None
        from jobos.discovery.known import known_company
        from jobos.store.pipeline import store_from_settings

        try:
            with store_from_settings(self.crawler.settings) as store:
                return known_company(store, self.args.company, self.args.country)
        except Exception as exc:  # noqa: BLE001 - without the store, discover as usual
            logger.info("known companies not read (%s: %s)", type(exc).__name__, exc)
            return None

    def _plan_probes(self) -> list[scrapy.Request]:
        """Return every probe request of this crawl, likeliest first (within JOBOS_PROBE_BUDGET)."""
        settings = self.crawler.settings
        slugs = slug_variants(self.args.company, limit=settings.getint("JOBOS_PROBE_SLUGS", 3))
        budget = settings.getint("JOBOS_PROBE_BUDGET", 12)
        ctx = self.board_context()
        probing = {name: module.probe for name, module in REGISTRY.items()
                   if callable(getattr(module, "probe", None))}
        requests = []
        for name, slug in probes.plan(probing, slugs, self.args.country, budget):
            try:
                request = probing[name](slug, ctx)
            except Exception:  # one ATS module's bug must not stop discovery
                logger.exception("%s.probe(%r) failed", name, slug)
                continue
            if request is not None:
                requests.append(self._as_probe(request))
        logger.info("discovery for %r (%s): %d ATS boards to probe for slugs %s",
                    self.args.company, self.args.country or "any country", len(requests), slugs)
        return requests

    def _start_probes(self) -> Iterable:
        """Yield the next wave of probes; without any left, go on to domain guesses."""
        disc = self._disc
        if disc.probe_plan is None:
            disc.probe_plan = self._plan_probes()
        wave_size = max(1, self.crawler.settings.getint("JOBOS_PROBE_WAVE", 4))
        wave, disc.probe_plan = disc.probe_plan[:wave_size], disc.probe_plan[wave_size:]
        if not wave:
            yield from self._start_guesses()
            return
        disc.step = "probe"
        disc.outstanding = len(wave)
        self.crawler.stats.inc_value(f"{STAT}/probe/sent", len(wave))
        self.crawler.stats.inc_value(f"{STAT}/probe/waves")
        yield from wave

    def _as_probe(self, request: scrapy.Request) -> scrapy.Request:
        # The module's callback is wrapped so a probe that raises or yields nothing still
        # counts as answered: discovery moves on only when every probe is answered.
        cb_kwargs = dict(request.cb_kwargs)
        cb_kwargs["_probe_callback"] = request.callback
        meta = dict(request.meta)
        meta["jobos_tier"] = "probe"
        meta["max_retry_times"] = 1  # a probe is a guess: one retry at most, then move on
        meta.pop("jobos_required", None)
        return request.replace(
            callback=self._probe_response, errback=self._probe_failed, cb_kwargs=cb_kwargs,
            meta=meta, dont_filter=True,
        )

    # --- step 1: probes ---------------------------------------------------------------------
    def _probe_response(self, response, _probe_callback, **kwargs: Any):
        answered = False
        try:
            for obj in _probe_callback(response, **kwargs) or ():
                if isinstance(obj, ProbeResult):
                    if answered:
                        continue  # one verdict per probe request
                    answered = True
                yield obj
        except Exception as exc:  # a malformed probe answer is an empty probe, not a crash
            self.crawler.stats.inc_value(f"{STAT}/probe/unreadable")
            logger.info("probe %s unreadable: %s", response.url, exc)
        if not answered:
            yield from self._probe_answered()

    def _probe_failed(self, failure):
        self.on_request_error(failure)
        self.crawler.stats.inc_value(f"{STAT}/probe/failed")
        yield from self._probe_answered()

    def handle_probe(self, result, response) -> Iterable:
        """Judge one ProbeResult; when it is the last probe answered, decide and move on."""
        disc = getattr(self, "_disc", None)
        if disc is None or disc.step != "probe":
            return  # a late answer after discovery moved on
        verdict = rank.judge_probe(self.args.company, result)
        stats = self.crawler.stats
        if verdict.live:
            stats.inc_value(f"{STAT}/probe/live")
        if verdict.accepted:
            stats.inc_value(f"{STAT}/probe/accepted")
            disc.accepted.append((verdict, result))
            logger.info("probe accepted: %s", verdict.reason)
        elif verdict.live:
            stats.inc_value(f"{STAT}/probe/rejected")
            logger.info("probe rejected: %s", verdict.reason)
            if verdict.score > 0:
                disc.unconfirmed.append(result)
            else:
                disc.rejected_boards.add(result.board.key)
        else:
            stats.inc_value(f"{STAT}/probe/empty")
            logger.debug("probe: %s", verdict.reason)
        yield from self._probe_answered()

    def _probe_answered(self) -> Iterable:
        disc = self._disc
        if disc.step != "probe":
            return
        disc.outstanding -= 1
        if disc.outstanding > 0:
            return
        if disc.accepted:  # stop at the first wave with an accepted board
            disc.accepted.sort(key=lambda pair: (-pair[0].score, -pair[1].job_count))
            verdict, result = disc.accepted[0]
            skipped = len(disc.probe_plan or ())
            if skipped:
                self.crawler.stats.inc_value(f"{STAT}/probe/not_sent", skipped)
            yield from self._accept_probe(result, f"ATS slug probe: {verdict.reason}", verdict.domain)
            return
        yield from self._start_probes()

    def _accept_probe(self, result: ProbeResult, reason: str, domain: str | None) -> Iterable:
        """Yield the accepted board's jobs and paging requests (read_board's bookkeeping)."""
        disc = self._disc
        disc.step = "done"
        disc.done = True
        board = result.board
        self._choose(board.url, board.key, reason, domain, step="probe")
        if board.key in self.boards_seen:
            return
        self.boards_seen.add(board.key)
        self.set_step("board")
        self.crawler.stats.set_value("jobos/board", board.key)
        self.crawler.stats.inc_value(f"jobos/boards/{board.ats}")
        for item in result.items:
            if domain and not item.get("company_domain"):
                item["company_domain"] = domain
            yield item
        yield from result.follow

    # --- step 2: search ---------------------------------------------------------------------
    def _start_search(self) -> Iterable:
        disc = self._disc
        disc.step = "search"
        settings = self.crawler.settings
        max_searches = settings.getint("JOBOS_MAX_SEARCH_REQUESTS", 2)
        queries = search.queries(self.args.company, self.args.country)
        if disc.search_blocked or disc.searches >= min(max_searches, len(queries)):
            yield from self._start_probes()
            return
        query = queries[disc.searches]
        disc.searches += 1
        self.crawler.stats.inc_value(f"{STAT}/search/requests")
        meta: dict[str, Any] = {
            "jobos_tier": "search",
            "handle_httpstatus_list": list(search.BLOCK_STATUSES) + [400, 404, 500, 502, 503],
            "dont_retry": True,  # retrying into a block only makes it last longer
            "jobos_query": query,
        }
        if settings.getbool("JOBOS_SEARCH_IGNORES_ROBOTS", True):
            meta["dont_obey_robotstxt"] = True
        logger.info("search: %r (region %s)", query, search.region(self.args.country))
        yield scrapy.FormRequest(
            search.ENDPOINT,
            formdata=search.form_data(query, self.args.country),
            callback=self._search_response,
            errback=self._search_failed,
            meta=meta,
            dont_filter=True,
        )

    def _search_failed(self, failure):
        self.on_request_error(failure)
        self.crawler.stats.inc_value(f"{STAT}/search/failed")
        self._disc.search_blocked = "request failed"
        logger.warning("search failed (%s): probing ATS boards and the company's domain instead",
                       failure.type.__name__ if failure.type else "error")
        yield from self._start_probes()

    def _search_response(self, response):
        disc = self._disc
        stats = self.crawler.stats
        text = response.text if hasattr(response, "text") else ""
        block = search.blocked(response.status, text)
        if block is not None:
            disc.search_blocked = block.reason
            stats.inc_value(f"{STAT}/search/blocked")
            stats.inc_value(f"{STAT}/search/blocked/{block.reason.replace(' ', '_')}")
            logger.warning("DuckDuckGo refused the search (%s); probing ATS boards and the company's"
                           " domain instead", block.reason)
            yield from self._start_probes()
            return
        results = search.parse_results(text)
        stats.inc_value(f"{STAT}/search/results", len(results))
        stats.inc_value(f"{STAT}/search/ads_skipped", search.ad_count(text))
        candidates = rank.rank_results(self.args.company, self.args.country, results)
        for cand in candidates:
            board = detect_url(cand.url) if cand.kind == "board" else None
            if board is not None and board.key in disc.rejected_boards:
                cand.score = -100
                cand.reason = f"{board.key} already rejected as a namesake's board"
        candidates.sort(key=lambda c: -c.score)
        for cand in candidates:
            logger.debug("search candidate %4d %s (%s)", cand.score, cand.url, cand.reason)
        disc.candidates.extend(candidates)
        good = [c for c in candidates if c.score >= rank.ACCEPT_SCORE]
        if not good:
            logger.info("search %r: no result is the company's page", response.meta.get("jobos_query"))
            yield from self._start_search()
            return
        best = good[0]
        stats.set_value(f"{STAT}/search/best_score", best.score)
        if best.kind == "homepage":
            # The official homepage: its careers link, in nav or footer, is the page.
            yield self._homepage_request(best.url, f"search result: {best.reason}")
            return
        yield from self._route_candidate(best.url, f"search result: {best.reason}", best.domain,
                                         step="search")

    # --- step 3: guesses --------------------------------------------------------------------
    def _start_guesses(self) -> Iterable:
        disc = self._disc
        disc.step = "guess"
        urls = guess.domain_guesses(self.args.company, self.args.country,
                                    limit=self.crawler.settings.getint("JOBOS_MAX_DOMAIN_GUESSES", 6))
        self.crawler.stats.set_value(f"{STAT}/guess/sent", len(urls))
        logger.info("domain guesses: %s", ", ".join(urls))
        if not urls:
            yield from self._not_found()
            return
        disc.outstanding = len(urls)
        for order, url in enumerate(urls):
            yield scrapy.Request(
                url, callback=self._guess_response, errback=self._guess_failed,
                meta={"jobos_tier": "guess", "jobos_guess_order": order,
                      "handle_httpstatus_list": [404, 410, 403, 500]},
                dont_filter=True,
            )

    def _guess_failed(self, failure):
        self.on_request_error(failure)
        self.crawler.stats.inc_value(f"{STAT}/guess/failed")
        yield from self._guess_answered()

    def _guess_response(self, response):
        disc = self._disc
        if disc.step == "guess" and response.status == 200 and hasattr(response, "text"):
            self.crawler.stats.inc_value(f"{STAT}/guess/ok")
            judged = self._judge_page(response)
            if judged is not None:
                disc.guesses.append(judged)
        yield from self._guess_answered()

    def _judge_page(self, response) -> tuple[int, str, str, list, list] | None:
        """Return (score, url, reason, careers links, boards) for a guessed page, or None."""
        company = self.args.company
        domain = registrable_domain(response.url) or ""
        similarity = name_domain_similarity(company, domain)
        title = " ".join(response.xpath("//title//text()").getall()).strip()
        site_name = response.xpath("//meta[@property='og:site_name']/@content").get() or ""
        text = " ".join(response.xpath("//body//text()").getall())[:50_000]
        core = display_core(company).lower()
        named = core in title.lower() or core in site_name.lower() or core in text.lower()
        if site_name and not names_match(company, site_name) and core not in site_name.lower():
            named = False
        if similarity < 0.85 or not named:
            logger.info("guess %s: not the company's site (name match %.2f, named %s)",
                        response.url, similarity, named)
            return None
        score = int(similarity * 60)
        cand = rank.score_url(company, self.args.country, response.url, title, "", "guess")
        score = max(score, cand.score)
        boards = detect_html(response.text, response.url)
        links = guess.find_careers_links(response.text, response.url)
        if guess.path_has_careers_word(response.url):
            score += 20
        if boards:
            score += 30
        elif links:
            score += 10
        score -= response.meta.get("jobos_guess_order", 0)  # earlier guesses (country TLD) first
        reason = f"domain guess {response.url}: {cand.reason}"
        return score, response.url, reason, links, boards

    def _guess_answered(self) -> Iterable:
        disc = self._disc
        if disc.step != "guess":
            return
        disc.outstanding -= 1
        if disc.outstanding > 0:
            return
        disc.step = "chosen"
        if not disc.guesses:
            yield from self._not_found()
            return
        disc.guesses.sort(key=lambda g: -g[0])
        score, url, reason, links, boards = disc.guesses[0]
        yield from self._from_page(url, reason, links, boards, step="guess")

    # --- homepage -> careers link -----------------------------------------------------------
    def _homepage_request(self, url: str, reason: str) -> scrapy.Request:
        self._disc.step = "homepage"
        return scrapy.Request(
            url, callback=self._homepage_response, errback=self._homepage_failed,
            meta={"jobos_tier": "guess", "jobos_reason": reason}, dont_filter=True,
        )

    def _homepage_failed(self, failure):
        self.on_request_error(failure)
        self.crawler.stats.inc_value(f"{STAT}/homepage/failed")
        yield from self._start_probes()

    def _homepage_response(self, response):
        if not hasattr(response, "text"):
            yield from self._start_probes()
            return
        links = guess.find_careers_links(response.text, response.url)
        boards = detect_html(response.text, response.url)
        yield from self._from_page(response.url, response.meta.get("jobos_reason", "homepage"),
                                   links, boards, step="homepage")

    def _from_page(self, url: str, reason: str, links: list, boards: list, step: str) -> Iterable:
        """Route what a company page leads to: a board it embeds, else its careers link."""
        domain = registrable_domain(url)
        if boards:
            board = boards[0]
            yield from self._route_candidate(board.url, f"{reason}; page embeds {board.key}",
                                             domain, step=step)
            return
        if guess.path_has_careers_word(url):
            yield from self._route_candidate(url, reason, domain, step=step)
            return
        if links:
            link = links[0]
            yield from self._route_candidate(link.url, f"{reason}; careers link ({link.reason})",
                                             domain, step=step)
            return
        logger.info("%s has no careers link", url)
        if self._disc.step == "homepage":
            yield from self._start_probes()
            return
        yield from self._not_found()

    # --- the choice -------------------------------------------------------------------------
    def _route_candidate(self, url: str, reason: str, domain: str | None, step: str) -> Iterable:
        disc = self._disc
        disc.step = "done"
        disc.done = True
        board = detect_url(url)
        # A live probe that had no evidence of ownership is this company's board when the
        # official page links it or the board links the official domain: use its jobs as they are.
        for result in disc.unconfirmed:
            if (board is not None and result.board.key == board.key) or (
                domain and domain in result.domains
            ):
                yield from self._accept_probe(
                    result, f"ATS slug probe {result.board.key} confirmed by {reason}", domain
                )
                return
        self._choose(url, board.key if board else None, reason, domain, step=step)
        yield from self.route_url(url, reason)

    def _choose(self, url: str, board_key: str | None, reason: str, domain: str | None, step: str) -> None:
        stats = self.crawler.stats
        self.discovery_result = {
            "careers_url": url,
            "board": board_key,
            "reason": reason,
            "company_domain": domain,
        }
        stats.set_value(f"{STAT}/chosen_by", step)
        stats.set_value(f"{STAT}/careers_url", url)
        stats.set_value(f"{STAT}/reason", reason)
        if domain:
            stats.set_value(f"{STAT}/company_domain", domain)
        logger.info("career page for %r: %s (%s)", self.args.company, url, reason)

    def _not_found(self) -> Iterable:
        disc = self._disc
        disc.step = "done"
        stats = self.crawler.stats
        stats.set_value(f"{STAT}/not_found", 1)
        logger.warning(
            "no career page found for %r (%s): %d probes accepted, search %s, %d guessed sites",
            self.args.company, self.args.country or "any country", len(disc.accepted),
            disc.search_blocked or f"{disc.searches} queries", len(disc.guesses),
        )
        # Zero jobs from a crawl that found nothing must never close the company's jobs.
        self.mark_partial("no career page found")
        return
        yield
