"""Generic career listing pages: job links, pagination, "load more", infinite scroll, JSON endpoints.

Heuristics, in many languages, for sites that run no known ATS. A job link is an anchor outside
navigation/footer/social areas whose URL path or text looks like a posting (a path below a jobs
segment, a gender marker such as "(m/w/d)", role words), never the listing itself, an apply-only
link or a pagination link. The parser is pure: it takes HTML and its URL and returns what it saw.
"""
from __future__ import annotations

import json
import logging
import re
from dataclasses import dataclass, field
from typing import Any, Iterator
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import lxml.html

from jobos.ats.base import BadResponse
from jobos.normalize.text import clean_text
from jobos.pages.common import absolute, canonical_url, registrable_domain

logger = logging.getLogger(__name__)

# Path segments under which postings live, in the languages discovery speaks.
_JOB_SEGMENTS = re.compile(
    r"/(jobs?|careers?|karriere|stellen(angebote?)?|stelle|stellenanzeigen?|vacanc(y|ies)|vacatures?|"
    r"positions?|openings?|offres?(-d-emploi)?|emplois?|empleos?|ofertas?|vagas?|lavora-con-noi|"
    r"posizioni|offerte|annonces?|ledige-stillinger|stillinger?|lediga-jobb|jobb|job-offers?|"
    r"jobangebote?|jobboerse|opportunit(y|ies)|requisitions?)(/|$)",
    re.I,
)
_GENDER = re.compile(r"\((?:[mwfdxai]\s*/\s*){1,3}[mwfdxai]\)|\(all genders?\)|\(gn\)|\(h/f\)|\(f/h\)|\(h/m\)|\(m/f\)", re.I)
_ROLE_WORDS = re.compile(
    r"\b(engineer|developer|manager|consultant|specialist|analyst|scientist|designer|architect|"
    r"administrator|technician|assistant|coordinator|director|lead|head of|officer|intern(ship)?|"
    r"trainee|apprentice|accountant|recruiter|operator|mechanic|driver|nurse|sales|support|"
    r"entwickler(in)?|ingenieur(in)?|berater(in)?|techniker(in)?|mitarbeiter(in)?|sachbearbeiter(in)?|"
    r"leiter(in)?|referent(in)?|werkstudent(in)?|praktikant(in)?|praktikum|ausbildung|fahrer(in)?|"
    r"monteur(in)?|elektriker(in)?|kaufmann|kauffrau|disponent(in)?|lagerist(in)?|"
    r"ingénieur|développeur|développeuse|chef de projet|responsable|commercial|stagiaire|alternance|"
    r"ingeniero|desarrollador|técnico|tecnico|responsable|ontwikkelaar|medewerker|adviseur|"
    r"sviluppatore|ingegnere|desenvolvedor|engenheiro|utvikler|ingeniør|rådgiver|utvecklare|"
    r"konsult|udvikler)\b",
    re.I,
)
# Links that are never postings however they look.
_NOT_JOB_TEXT = re.compile(
    r"^(apply( now)?|jetzt bewerben|bewerben|postuler|solicitar|aplicar|solliciteer|candidati|"
    r"søk|ansök|ansøg|initiativbewerbung|open application|unsolicited application|spontaneous application|"
    r"candidature spontanée|alle jobs|all jobs|view all( jobs)?|see all|mehr|more|details|read more|"
    r"weiterlesen|learn more|en savoir plus|info & apply|info and apply|view job|view position|zur stelle|zurück|back|login|sign in|anmelden|register)$",
    re.I,
)
_APPLY_ONLY = re.compile(r"initiativ|unsolicited|spontan|open application", re.I)
_FILES = (".pdf", ".doc", ".docx", ".jpg", ".png", ".zip")
_NAV_HINT = re.compile(r"(^|[\s_-])(nav|navbar|menu|footer|header|breadcrumbs?|cookie|consent|social|share|"
                       r"language|lang-switch|pagination|pager|skip)([\s_-]|$)", re.I)
_SOCIAL = {"linkedin.com", "facebook.com", "twitter.com", "x.com", "instagram.com", "youtube.com",
           "xing.com", "tiktok.com", "kununu.com", "glassdoor.com", "github.com", "pinterest.com"}
_NEXT_TEXT = re.compile(
    r"^(next|next page|weiter|nächste( seite)?|vor|suivant(e)?|page suivante|siguiente|volgende|"
    r"successiv[ao]|avanti|próxim[ao]|seguinte|neste|nästa|næste|›|»|>|→|>>)$",
    re.I,
)
_LOAD_MORE_TEXT = re.compile(
    r"(load more|show more|more jobs|view more|mehr laden|mehr anzeigen|weitere (jobs|stellen)( laden| anzeigen)?|"
    r"voir plus|charger plus|afficher plus|plus d'offres|cargar más|ver más|mostrar más|meer laden|toon meer|"
    r"meer vacatures|carica altr[ie]|mostra altr[ie]|carregar mais|ver mais|mostrar mais|vis flere|last flere|"
    r"visa fler|ladda fler|indlæs flere)",
    re.I,
)
_ENDPOINT_ATTRS = ("data-url", "data-href", "data-endpoint", "data-src", "data-next", "data-next-url",
                   "data-api", "data-source", "data-load-url", "data-more-url", "hx-get")
_INLINE_URL = re.compile(
    r"""(?:fetch|axios(?:\.get)?|\$\.getJSON|\$\.get|\.open\(\s*["']GET["']\s*,)\s*\(?\s*["'`]([^"'`\s]+)["'`]"""
    r"""|["']?(?:url|endpoint|api|apiUrl|jobsUrl|dataUrl)["']?\s*[:=]\s*["'`]([^"'`\s]+)["'`]""",
    re.I,
)
_PAGE_PARAM = re.compile(r"^(page|p|pg|seite|pagina|página|side|sida|paged)$", re.I)
_OFFSET_PARAM = re.compile(r"^(offset|start|from|skip)$", re.I)
_LOCATION_HINT = re.compile(r"location|standort|einsatzort|arbeitsort|ort\b|city|lieu|ubicaci|locatie|sede|place", re.I)


@dataclass
class JobLink:
    """A link to one posting, with what the listing shows of it."""

    url: str
    title: str | None = None
    location: str | None = None


@dataclass
class LoadMore:
    """A "load more" control: its CSS selector (for the browser) and the URL it loads, if known."""

    selector: str
    endpoint: str | None = None


@dataclass
class Listing:
    """What a listing page offers: job links, further pages, and how to get the rest."""

    jobs: list[JobLink] = field(default_factory=list)
    pages: list[str] = field(default_factory=list)  # numbered pages and the next page
    load_more: LoadMore | None = None
    infinite_scroll: bool = False
    endpoints: list[str] = field(default_factory=list)  # JSON URLs the page's scripts call


def _text(node) -> str:
    return clean_text(node.text_content()) or ""


def _in_chrome(node) -> bool:
    """True when a node sits in navigation, header, footer or similar page chrome."""
    for anc in node.iterancestors():
        if anc.tag in ("nav", "footer", "header"):
            return True
        marks = " ".join(filter(None, (anc.get("class"), anc.get("id"), anc.get("role"))))
        if marks and _NAV_HINT.search(marks):
            return True
    return False


def _title_of(anchor) -> str | None:
    for heading in anchor.iter("h1", "h2", "h3", "h4", "h5", "strong"):
        text = _text(heading)
        if text:
            return text
    for el in anchor.iter():
        marks = (el.get("class") or "") + " " + (el.get("data-automation-id") or "")
        if re.search(r"title|position|job-?name", marks, re.I):
            text = _text(el)
            if text:
                return text
    return _text(anchor) or clean_text(anchor.get("title")) or clean_text(anchor.get("aria-label"))


def _card_heading(anchor) -> str | None:
    for anc in list(anchor.iterancestors())[:4]:
        for heading in anc.iter("h2", "h3", "h4", "h5"):
            text = _text(heading)
            if text and not _NOT_JOB_TEXT.match(text):
                return text
    return None


def _location_near(anchor) -> str | None:
    # The job's card: the nearest ancestor that holds this one link (a list item, a row, a div).
    card = anchor
    for anc in anchor.iterancestors():
        if anc.tag in ("li", "tr", "article") or len(anc.xpath(".//a[@href]")) > 1:
            card = anc if anc.tag in ("li", "tr", "article") else card
            break
        card = anc
    for el in card.iter():
        marks = " ".join(filter(None, (el.get("class"), el.get("itemprop"), el.get("data-label"))))
        if marks and _LOCATION_HINT.search(marks) and el.tag not in ("a", "svg", "img", "i"):
            text = _text(el)
            if text and len(text) < 120:
                return text
    return None


def _score(url: str, text: str, page_url: str) -> int:
    path = urlsplit(url).path
    score = 0
    match = _JOB_SEGMENTS.search(path)
    if match and path.rstrip("/") != match.group(0).rstrip("/"):
        rest = path[match.end():].strip("/")
        if rest:  # something below the jobs segment: a posting's slug or id
            score += 2
    if re.search(r"[?&](job|jobid|job_id|id|posting|vacancy|stelle|ref)=", url, re.I):
        score += 1
    if _GENDER.search(text):
        score += 3
    if _ROLE_WORDS.search(text):
        score += 1
    return score


def _is_pagination(url: str, page_url: str, text: str) -> bool:
    if text.isdigit() or _NEXT_TEXT.match(text or "") or _NEXT_TEXT.match(re.sub(r"[»›→>«‹←<]+", "", text).strip() or "»"):
        return True
    query = dict(parse_qsl(urlsplit(url).query))
    return any(_PAGE_PARAM.match(k) or _OFFSET_PARAM.match(k) for k in query) and len(text) < 4


def job_links(doc, page_url: str) -> list[JobLink]:
    """Return the links on a listing page that lead to job postings (deduplicated, in order)."""
    site = registrable_domain(page_url)
    listing = canonical_url(page_url).rstrip("/")
    best: dict[str, tuple[int, JobLink]] = {}
    order: list[str] = []
    for anchor in doc.iter("a"):
        url = absolute(anchor.get("href"), page_url)
        if not url:
            continue
        domain = registrable_domain(url)
        if domain in _SOCIAL:
            continue
        key = canonical_url(url)
        if key.rstrip("/") == listing or _in_chrome(anchor):
            continue
        text = _text(anchor)
        if _is_pagination(url, page_url, text) or _APPLY_ONLY.search(text) or urlsplit(url).path.lower().endswith(_FILES):
            continue
        if domain != site:
            # Postings on another domain are an ATS's (the embedded-board step reads those).
            continue
        title = _title_of(anchor)
        if not title or _NOT_JOB_TEXT.match(title):
            title = _card_heading(anchor)  # "Info & Apply", "Details": the card's heading names the job
        score = _score(url, title or text, page_url)
        if score < 2 or not title:
            continue
        link = JobLink(key, title, _location_near(anchor))
        if key not in best:
            order.append(key)
            best[key] = (score, link)
        else:
            old_score, old = best[key]
            # Several anchors to one posting: keep the clearest title (shortest with the most signal).
            if score > old_score or (score == old_score and len(title) < len(old.title or "")):
                link.location = link.location or old.location
                best[key] = (score, link)
            elif not old.location and link.location:
                old.location = link.location
    return [best[key][1] for key in order]


def _set_query(url: str, name: str, value: int) -> str:
    parts = urlsplit(url)
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k != name]
    query.append((name, str(value)))
    return urlunsplit((parts.scheme, parts.netloc, parts.path, urlencode(query), ""))


def pagination(doc, page_url: str) -> list[str]:
    """Return the URLs of further listing pages: rel=next, "Next"/"Weiter"... and numbered pages."""
    found: list[str] = []
    for el in doc.xpath('//link[@rel="next"] | //a[contains(concat(" ", normalize-space(@rel), " "), " next ")]'):
        url = absolute(el.get("href"), page_url)
        if url:
            found.append(url)
    site = registrable_domain(page_url)
    for anchor in doc.iter("a"):
        url = absolute(anchor.get("href"), page_url)
        if not url or registrable_domain(url) != site:
            continue
        text = _text(anchor) or clean_text(anchor.get("aria-label")) or ""
        label = (anchor.get("aria-label") or "") + " " + (anchor.get("class") or "")
        bare = re.sub(r"[»›→>]+", "", text).strip()
        is_next = bool(_NEXT_TEXT.match(text)) or bool(bare and _NEXT_TEXT.match(bare)) or bool(re.search(r"\bnext\b|weiter|suivant|siguiente", label, re.I))
        query = dict(parse_qsl(urlsplit(url).query))
        numbered = text.isdigit() and (
            any(_PAGE_PARAM.match(k) for k in query) or re.search(r"/(page|seite|pagina)/\d+", url, re.I)
        )
        if is_next or numbered:
            found.append(url)
    current = canonical_url(page_url)
    unique: list[str] = []
    for url in found:
        key = canonical_url(url)
        if key != current and key not in unique:
            unique.append(key)
    return unique


def _selector_for(el) -> str:
    if el.get("id"):
        return f"#{el.get('id')}"
    classes = (el.get("class") or "").split()
    if classes:
        return f"{el.tag}." + ".".join(classes)
    text = _text(el).replace('"', '\\"')
    return f'{el.tag}:has-text("{text}")'


def load_more(doc, page_url: str) -> LoadMore | None:
    """Return the page's "load more" control and the URL it loads (from data-* attributes)."""
    for el in doc.xpath("//button | //a | //*[@role='button'] | //input[@type='button']"):
        text = _text(el) or clean_text(el.get("value")) or ""
        marks = " ".join(filter(None, (el.get("class"), el.get("id"))))
        if not (_LOAD_MORE_TEXT.search(text) or re.search(r"load-?more|show-?more", marks, re.I)):
            continue
        endpoint = None
        for attr in _ENDPOINT_ATTRS:
            endpoint = absolute(el.get(attr), page_url)
            if endpoint:
                break
        return LoadMore(_selector_for(el), endpoint)
    return None


def infinite_scroll(doc, html: str) -> bool:
    """True when the page loads more postings as it is scrolled."""
    if doc.xpath("//*[@data-infinite-scroll or contains(@class, 'infinite-scroll') or contains(@class, 'infinite_scroll')]"):
        return True
    return bool(re.search(r"infinite-?scroll|InfiniteScroll", html)) and "IntersectionObserver" in html


def json_endpoints(doc, page_url: str) -> list[str]:
    """Return JSON URLs the page's own scripts and widgets call (fetch(...), data-url=...)."""
    found: list[str] = []

    def add(raw: str | None) -> None:
        url = absolute(raw, page_url)
        if not url or registrable_domain(url) != registrable_domain(page_url):
            return
        path = urlsplit(url).path.lower()
        if not ("/api/" in path or path.endswith(".json") or "json" in urlsplit(url).query.lower()):
            return
        if url not in found:
            found.append(url)

    for script in doc.iter("script"):
        if script.get("src") or (script.get("type") or "").endswith("ld+json"):
            continue
        for match in _INLINE_URL.finditer(script.text_content() or ""):
            add(match.group(1) or match.group(2))
    for attr in _ENDPOINT_ATTRS:
        for el in doc.xpath(f"//*[@{attr}]"):
            add(el.get(attr))
    return found


def parse_listing(html: str, page_url: str) -> Listing:
    """Return what a career listing page offers (jobs, pages, load more, scroll, endpoints)."""
    try:
        doc = lxml.html.fromstring(html)
    except (ValueError, lxml.etree.ParserError):
        return Listing()
    return Listing(
        jobs=job_links(doc, page_url),
        pages=pagination(doc, page_url),
        load_more=load_more(doc, page_url),
        infinite_scroll=infinite_scroll(doc, html),
        endpoints=json_endpoints(doc, page_url),
    )


# --- JSON endpoints ----------------------------------------------------------------------
_TITLE_KEYS = ("title", "jobTitle", "job_title", "position", "positionName", "titel", "bezeichnung",
               "titulo", "título", "intitule", "intitulé", "titre", "puesto", "titolo", "name", "text")
_URL_KEYS = ("url", "link", "href", "absolute_url", "jobUrl", "job_url", "hostedUrl", "detailUrl",
             "detail_url", "permalink", "path", "applyUrl")
_LOC_KEYS = ("location", "locationName", "city", "ort", "standort", "place", "ciudad", "ubicacion",
             "ville", "lieu", "citta", "plaats", "workplace")
_NEXT_KEYS = ("next", "next_url", "nextUrl", "nextPage", "next_page_url", "more_url", "siguiente",
              "suivant", "weiter", "volgende")


def _value_text(value: Any) -> str | None:
    if isinstance(value, dict):
        for key in ("name", "label", "city", "text", "title"):
            if isinstance(value.get(key), str):
                return clean_text(value[key])
        return None
    if isinstance(value, list):
        texts = [t for t in (_value_text(v) for v in value) if t]
        return " / ".join(texts) or None
    return clean_text(value) if isinstance(value, (str, int, float)) else None


def _job_lists(value: Any, depth: int = 0) -> Iterator[list[dict]]:
    if depth > 6:
        return
    if isinstance(value, list):
        dicts = [v for v in value if isinstance(v, dict)]
        if dicts and sum(any(k in d for k in _TITLE_KEYS) and any(k in d for k in _URL_KEYS) for d in dicts) >= len(dicts) / 2:
            yield dicts
            return
        for entry in value:
            yield from _job_lists(entry, depth + 1)
    elif isinstance(value, dict):
        for entry in value.values():
            yield from _job_lists(entry, depth + 1)


@dataclass
class JsonJobs:
    """Postings found in a JSON response, and the URL of its next page if any."""

    jobs: list[JobLink] = field(default_factory=list)
    next_url: str | None = None
    more: bool | None = None  # the endpoint's own hasMore flag, when it has one


def parse_json_jobs(text: str, url: str) -> JsonJobs:
    """Return the job links in a JSON listing (any shape with title + URL per job) and its next page.

    Raises BadResponse when the body is not JSON (truncated, an HTML error page): an empty
    result means the endpoint answered and listed no jobs.
    """
    try:
        data = json.loads(text)
    except (ValueError, RecursionError) as exc:
        # Not "no more jobs": a truncated or non-JSON answer hides the rest of the list, so the
        # crawl must count it and end partial (the spider middleware does, for BadResponse).
        raise BadResponse(f"malformed JSON listing from {url}: {exc}") from None
    result = JsonJobs()
    for entries in _job_lists(data):
        for entry in entries:
            title = next((_value_text(entry[k]) for k in _TITLE_KEYS if k in entry and _value_text(entry[k])), None)
            link = next((absolute(entry[k], url) for k in _URL_KEYS if isinstance(entry.get(k), str) and absolute(entry[k], url)), None)
            if not title or not link:
                continue
            location = next((_value_text(entry[k]) for k in _LOC_KEYS if k in entry and _value_text(entry[k])), None)
            result.jobs.append(JobLink(canonical_url(link), title, location))
        break
    if isinstance(data, dict):
        holders = [data] + [v for v in data.values() if isinstance(v, dict)]
        for holder in holders:
            for key in _NEXT_KEYS:
                if isinstance(holder.get(key), str):
                    result.next_url = absolute(holder[key], url)
                    break
            if result.next_url:
                break
        more = data.get("hasMore", data.get("has_more", data.get("more")))
        result.more = more if isinstance(more, bool) else None
        if result.next_url is None and more is True and result.jobs:
            result.next_url = next_offset_url(url, len(result.jobs))
    return result


def next_offset_url(url: str, count: int) -> str | None:
    """Return the URL of the next page of a paged endpoint (?page=N+1 or ?offset=N+count)."""
    query = parse_qsl(urlsplit(url).query)
    for key, value in query:
        if _PAGE_PARAM.match(key) and value.isdigit():
            return _set_query(url, key, int(value) + 1)
        if _OFFSET_PARAM.match(key) and value.isdigit():
            return _set_query(url, key, int(value) + count)
    return None
