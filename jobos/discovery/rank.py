"""Judging discovery candidates: search results, guessed pages and ATS slug probes.

Every judgement returns a score and a reason string, so the chosen page can be explained in
the log, in the stats and to the user ("official domain kestrelanalytics.com, careers path").
"""
from __future__ import annotations

import logging
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from jobos.ats import detect_url
from jobos.ats.base import ProbeResult
from jobos.ats.embedded import registrable_domain
from jobos.discovery.guess import country_tld, path_has_careers_word
from jobos.discovery.names import (
    compact,
    display_core,
    name_domain_similarity,
    names_match,
    slug_variants,
)
from jobos.discovery.search import SearchResult

logger = logging.getLogger(__name__)

# Job boards, social networks, encyclopaedias and company databases: never the official page.
AGGREGATORS = frozenset(
    {
        "linkedin.com", "indeed.com", "indeed.de", "indeed.co.uk", "indeed.fr", "indeed.nl",
        "glassdoor.com", "glassdoor.de", "glassdoor.co.uk", "glassdoor.fr", "stepstone.de",
        "stepstone.com", "stepstone.at", "stepstone.be", "stepstone.nl", "xing.com",
        "monster.com", "monster.de", "monster.fr", "wikipedia.org", "wikidata.org",
        "crunchbase.com", "kununu.com", "facebook.com", "instagram.com", "twitter.com", "x.com",
        "youtube.com", "ziprecruiter.com", "simplyhired.com", "careerbuilder.com", "jobs.ch",
        "jobscout24.ch", "welcometothejungle.com", "apec.fr", "pole-emploi.fr",
        "francetravail.fr", "infojobs.net", "infojobs.it", "finn.no", "arbetsformedlingen.se",
        "jobindex.dk", "nationalevacaturebank.nl", "werk.nl", "totaljobs.com", "reed.co.uk",
        "cv-library.co.uk", "bloomberg.com", "zoominfo.com", "dnb.com", "northdata.de",
        "northdata.com", "companieshouse.gov.uk", "opencorporates.com", "wellfound.com",
        "angel.co", "builtin.com", "jooble.org", "jobrapido.com", "adzuna.com", "adzuna.de",
        "github.com", "medium.com", "reddit.com", "trustpilot.com", "yelp.com", "bing.com",
        "google.com", "duckduckgo.com", "comeet.com", "theorg.com", "levels.fyi", "teamblind.com",
    }
)
# Aggregators under many country domains (indeed.nl, glassdoor.co.uk...), by domain label.
AGGREGATOR_LABELS = frozenset(
    {"linkedin", "indeed", "glassdoor", "stepstone", "xing", "monster", "wikipedia", "kununu",
     "crunchbase", "jobindex", "jooble", "adzuna", "jobrapido", "infojobs", "welcometothejungle"}
)
ACCEPT_SCORE = 50  # a candidate below this is not the company's page


@dataclass
class Candidate:
    """A possible career page or homepage, scored; `reason` says why."""

    url: str
    score: int
    reason: str
    kind: str  # "board", "careers", "homepage", "other"
    domain: str | None = None
    source: str = "search"
    notes: list[str] = field(default_factory=list)


def _board_token_matches(company: str, token: str) -> bool:
    token = token.lower().split("/")[0]
    variants = set(slug_variants(company))
    return token in variants or token.replace("-", "").replace("_", "") == compact(company)


def score_url(company: str, country: str | None, url: str, title: str = "", snippet: str = "",
              source: str = "search") -> Candidate:
    """Return the Candidate for one URL (a search result or a guess) with its score and reason."""
    domain = registrable_domain(url)
    host = (urlsplit(url).hostname or "").lower()
    if not domain:
        return Candidate(url, -100, "no domain", "other", None, source)
    if (domain in AGGREGATORS or domain.split(".", 1)[0] in AGGREGATOR_LABELS
            or any(host == a or host.endswith("." + a) for a in AGGREGATORS)):
        return Candidate(url, -100, f"aggregator {domain}", "other", domain, source)
    reasons: list[str] = []
    score = 0
    board = detect_url(url)
    # Titles name companies; snippets are sentences, where any capitalised word may follow.
    title_names = _title_names_company(company, title) or (
        not title and _title_names_company(company, snippet)
    )
    if board is not None:
        if _board_token_matches(company, board.token):
            score += 70
            reasons.append(f"{board.ats} board {board.token!r} named like the company")
        else:
            score += 35
            reasons.append(f"{board.ats} board {board.token!r}")
        if title_names:
            score += 20
            reasons.append("title names the company")
        elif _title_names_namesake(company, title):
            score -= 60
            reasons.append(f"title names another company ({title[:60]!r})")
        return Candidate(url, score, ", ".join(reasons), "board", None, source)
    similarity = name_domain_similarity(company, domain)
    if similarity >= 0.85:
        score += 60 if similarity >= 0.95 else 50
        reasons.append(f"official domain {domain} (name match {similarity:.2f})")
    elif compact(company) and compact(company) in domain.replace("-", "").replace(".", ""):
        score -= 30
        reasons.append(f"namesake domain {domain} (name match {similarity:.2f})")
    else:
        score += int(similarity * 20)
        reasons.append(f"unrelated domain {domain} (name match {similarity:.2f})")
    tld = country_tld(country)
    if tld and domain.endswith("." + tld):
        score += 10
        reasons.append(f"country TLD .{tld}")
    elif domain.endswith(".com"):
        score += 3
    careers = path_has_careers_word(url)
    if careers:
        score += 20
        reasons.append("careers path")
    if title_names:
        score += 10
        reasons.append("title names the company")
    elif title and _title_names_namesake(company, title):
        score -= 40
        reasons.append(f"title names another company ({title[:60]!r})")
    path = urlsplit(url).path.strip("/")
    kind = "careers" if careers else ("homepage" if not path or path in ("en", "de", "fr", "nl", "es", "it", "no", "sv", "da", "pt") else "other")
    return Candidate(url, score, ", ".join(reasons), kind, domain, source)


def _title_names_company(company: str, text: str) -> bool:
    core = display_core(company).lower()
    return bool(core) and core in (text or "").lower() and not _title_names_namesake(company, text)


_SEPARATORS = ("|", " - ", " – ", " — ", ":", ",", "(", "·", ". ", "!", "?")


def _title_names_namesake(company: str, text: str) -> bool:
    """Return True when the text names a longer company name holding ours ('Acme Consulting Ltd')."""
    core = display_core(company)
    if not core:
        return False
    lowered = (text or "").lower()
    start = 0
    while True:
        idx = lowered.find(core.lower(), start)
        if idx < 0:
            return False
        start = idx + len(core)
        rest = text[start:]
        for sep in _SEPARATORS:
            rest = rest.split(sep, 1)[0]
        candidate = (core + " " + " ".join(_name_run(rest))).strip()
        if candidate.lower() != core.lower() and not names_match(company, candidate):
            return True


def _name_run(rest: str) -> list[str]:
    """Return the capitalised words right after a name ('Consulting Ltd' in 'Consulting Ltd is')."""
    from jobos.discovery.guess import fold, _TEXTS  # the careers words in every language

    words = []
    for word in rest.split()[:4]:
        if fold(word) in _TEXTS or fold(" ".join(words + [word])) in _TEXTS:
            break
        if not (word[:1].isupper() or word[:1].isdigit() or word in ("&",)):
            break
        words.append(word)
    return words


def rank_results(company: str, country: str | None, results: list[SearchResult]) -> list[Candidate]:
    """Return the candidates of search results, best first (ties keep the engine's order)."""
    scored = [
        score_url(company, country, r.url, r.title, r.snippet, "search") for r in results
    ]
    for cand, result in zip(scored, results):
        cand.score -= min(result.position, 10) // 3  # the engine's own order, as a tie-break
    return sorted(scored, key=lambda c: -c.score)


@dataclass
class ProbeVerdict:
    """The judgement of one ATS slug probe."""

    accepted: bool
    score: int
    reason: str
    domain: str | None = None  # the company domain the board links, when one matched
    live: bool = False


def judge_probe(company: str, result: ProbeResult, company_domain: str | None = None) -> ProbeVerdict:
    """Return whether a probed board is this company's: live jobs AND (its name or its domain).

    A board that shows another company's name ('Acme Consulting Ltd' for 'Acme Robotics') is
    rejected even when it links a similar domain; a board with no name must link a domain that
    is the company's (name-domain similarity, or the domain already known).
    """
    board = result.board
    if result.job_count <= 0:
        return ProbeVerdict(False, 0, f"{board.key}: no live jobs")
    names = [n for n in result.names if n]
    matching = [n for n in names if names_match(company, n)]
    if names and not matching:
        return ProbeVerdict(False, -50, f"{board.key}: board of a namesake ({names[0]!r})",
                            live=True)
    domains = sorted(result.domains)
    best_domain, best_sim = None, 0.0
    for domain in domains:
        sim = 1.0 if company_domain and domain == company_domain else name_domain_similarity(company, domain)
        if sim > best_sim:
            best_domain, best_sim = domain, sim
    if matching:
        reason = f"{board.key}: {result.job_count} live jobs, board name {matching[0]!r}"
        score = 80 + (10 if best_sim >= 0.85 else 0)
        return ProbeVerdict(True, score, reason, best_domain if best_sim >= 0.85 else None, True)
    if best_sim >= 0.85:
        reason = f"{board.key}: {result.job_count} live jobs, links the company domain {best_domain}"
        return ProbeVerdict(True, 70, reason, best_domain, True)
    return ProbeVerdict(False, 10, f"{board.key}: {result.job_count} live jobs but nothing shows "
                        "it is this company's (no matching name or domain)", live=True)
