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
from jobos.pages.words import ROLE_WORDS

logger = logging.getLogger(__name__)

# Path segments under which postings live, in the languages discovery speaks.
_JOB_SEGMENTS = re.compile(
    r"/(jobs?|careers?|karriere|stellen(angebote?)?|stelle|stellenanzeigen?|vacanc(y|ies)|vacatures?|"
    r"positions?|openings?|offres?(-d-emploi)?|emplois?|empleos?|ofertas?|vagas?|lavora-con-noi|"
    r"posizioni|offerte|annonces?|ledige-stillinger|stillinger?|lediga-jobb|jobb|job-offers?|"
    r"jobangebote?|jobboerse|opportunit(y|ies)|requisitions?)(/|$)",
    re.I,
)
# Gender markers of postings: "(m/w/d)", "(w/m/d)", "(H/F)", "(m/v/x)", "(f/m/x)", "(all genders)",
# "(gn)", the same without brackets ("m/w/d"), and gender-inclusive forms ("Elektroniker*in").
_GENDER = re.compile(
    r"[(\[]\s*(?:[mwfdxaivhk]\s*[/|,]\s*){1,3}[mwfdxaivhk*]\s*[)\]]|\(all genders?\)|\(gn\*?\)|"
    r"(?<![\w/])[mwfdh]\s*/\s*[mwfdh]\s*/\s*[mwfdx](?![\w/])|(?<![\w/])[hf]\s*/\s*[hf](?![\w/])|"
    r"\b\w{3,}(?:\*|:|_)in(?:nen)?\b|"
    # Romance titles name both genders by inflection: "Camarero/a", "Tècnic/a", "Administratiu/iva",
    # "Infermer/era", "Vendedor(a)", "Consultor(a)".
    r"(?<!/)\b[^\W\d_]{3,}(?:/(?:a|as|iva|ives|era|eres|ora|ores)|\((?:a|as)\))(?![\w/])",
    re.I,
)
_ROLE_WORDS = re.compile(
    r"\b(engineer|developer|manager|consultant|specialist|analyst|scientist|designer|architect|"
    r"administrator|technician|assistant|coordinator|director|lead|head of|officer|intern(ship)?|"
    r"trainee|apprentice|accountant|recruiter|operator|mechanic|driver|nurse|sales|support|"
    r"generalist|representative|associate|clerk|planner|buyer|controller|auditor|electrician|welder|"
    r"machinist|fitter|inspector|supervisor|foreman|worker|agent|advisor|adviser|executive|writer|"
    r"editor|researcher|professor|teacher|physician|pharmacist|therapist|counsel|attorney|lawyer|"
    r"paralegal|chemist|physicist|biologist|economist|statistician|programmer|tester|expert|"
    r"strategist|marketer|producer|artist|illustrator|photographer|cook|chef|cashier|receptionist|"
    r"secretary|janitor|cleaner|pilot|installer|estimator|surveyor|dispatcher|storekeeper|"
    r"bookkeeper|copywriter|hr|gtm|swe|sre|devops|"
    r"\w*(mitarbeiter|leiter|berater|techniker|ingenieur|entwickler|referent|kaufmann|kauffrau|"
    r"fachkraft|helfer|monteur|mechaniker|mechatroniker|elektroniker|elektriker|verkäufer|assistent|"
    r"spezialist|koordinator|disponent|planer|meister|architekt|konstrukteur|programmierer|"
    r"informatiker|buchhalter|einkäufer|sachbearbeiter|fahrer|lagerist|pfleger|erzieher|lehrer|"
    r"arzt|ärztin|schlosser|tischler|maler|gärtner|koch|köchin|azubi|auszubildende|schweißer|"
    r"dreher|fräser|maurer|zimmerer|dachdecker|installateur|hausmeister|angestellte|kraft|werker|"
    r"fachfrau|fachmann|bearbeiter|verkäufer|vertriebler|kundenbetreuer|teamleitung|leitung)(in|innen|r)?|"
    r"werkstudent(in)?|praktikant(in)?|praktikum|ausbildung|trainee|"
    r"ingénieur(e)?|développeu(r|se)|chef de projet|responsable|commercial(e)?|stagiaire|alternance|"
    r"alternant(e)?|technicien(ne)?|conseill(er|ère)|chargé(e)? de|assistant(e)?|comptable|"
    r"vendeu(r|se)|opérat(eur|rice)|directeur|directrice|gestionnaire|juriste|infirmi(er|ère)|"
    r"ingeniero|ingeniera|desarrollador(a)?|técnico|técnica|tecnico|tecnica|jefe|jefa|"
    r"administrativo|administrativa|comercial|analista|consultor(a)?|becario|becaria|"
    r"ontwikkelaar|medewerker|adviseur|monteur|verkoper|projectleider|beheerder|"
    r"sviluppatore|ingegnere|tecnico|impiegat[oa]|addett[oa]|responsabile|"
    r"desenvolvedor|engenheiro|engenheira|analista|assistente|estagiário|estágio|gerente|"
    r"coordenador(a)?|coordinador(a)?|especialista|motorista|vendedor(a)?|consultor(a)?|"
    r"supervisor(a)?|auxiliar|operador(a)?|operario|atendente|prácticas|director(a)?|"
    r"magazziniere|commess[oa]|operaio|tirocinio|stage|"
    r"utvikler|ingeniør|rådgiver|utvecklare|konsult|udvikler|säljare|tekniker)\b"
    # ... and the role nouns of the language table (Polish, Czech, Finnish, Turkish, Japanese, ...).
    + "|" + ROLE_WORDS.pattern,
    re.I,
)
# Links that are never postings however they look.
_NOT_JOB_TEXT = re.compile(
    r"^(apply( now)?|jetzt bewerben|bewerben|postuler|solicitar|aplicar|solliciteer|candidati|"
    r"søk|ansök|ansøg|initiativbewerbung|open application|unsolicited application|spontaneous application|"
    r"candidature spontanée|alle jobs|all jobs|view all( jobs)?|see all|mehr|more|details|read more|"
    r"weiterlesen|learn more|en savoir plus|info & apply|info and apply|view job|view position|zur stelle|zurück|back|login|sign in|anmelden|register|"
    r"apply today!?|apply here|email us|contact us|download( pdf)?|pdf|mehr erfahren|mehr infos?|zum job|zur stellenanzeige|"
    r"voir l'offre|voir le poste|ver oferta|bekijk vacature|scopri di più|saiba mais|ver vaga|les mer|läs mer|læs mere)$",
    re.I,
)
_APPLY_ONLY = re.compile(r"initiativ|unsolicited|spontan|open application", re.I)
_FILES = (".pdf", ".doc", ".docx", ".jpg", ".png", ".zip")
# Page chrome, as named in class/id/role tokens. A token names chrome when one of its parts (split
# on - and _) is a chrome word and what follows it only says which part of the chrome it is
# ("footer-inner", "builder-pagination", "nav-links", "pagination-wrapper"). A state or option of
# another block is not chrome: "grid-load-more-pagination-done", "posts--show-pagination"
# (a BEM modifier after "--"), "has-sticky-header", "header-transparent" on <body>.
_CHROME_WORDS = frozenset({
    "nav", "navbar", "menu", "footer", "header", "breadcrumb", "breadcrumbs", "cookie", "cookies",
    "consent", "social", "share", "sharing", "language", "languages", "lang", "pagination", "pager",
    "paging", "skip", "navigation"})
_CHROME_PARTS = frozenset({
    "wrapper", "wrap", "container", "inner", "outer", "list", "links", "link", "items", "item", "bar",
    "area", "block", "section", "widget", "widgets", "content", "holder", "box", "main", "top",
    "bottom", "primary", "secondary", "desktop", "mobile", "menu", "nav", "navbar", "navigation",
    "buttons", "button", "btn", "icons", "icon", "banner", "notice", "row", "col", "column", "columns",
    "toggle", "dropdown", "sub", "submenu", "prev", "previous", "next", "numbers", "number", "nums",
    "page", "pages", "switch", "switcher", "selector", "picker", "region", "panel", "popup", "modal",
    "left", "right", "center", "horizontal", "vertical", "simple", "default", "sticky", "fixed", "cta",
    "copyright", "legal", "meta", "info", "bg", "background", "social", "share", "lang", "language",
    "trail", "to", "js", "v2", "new"})
_CHROME_NOT_AFTER = frozenset({"has", "with", "no", "without", "show", "hide", "hidden", "enable",
                               "enabled", "disable", "disabled", "is", "use", "more"})
# A header or footer named after something else is that block's own ("card-header",
# "entry-footer", "job-detail__header", a "...-header" around a posting's h1): its title and links,
# not the page's chrome. Only the site's own ("site-header", "main-footer", a theme's or page
# builder's "...-location-header") or a bare "header"/"footer" is.
_SITE_PARTS = frozenset({"site", "main", "global", "top", "bottom", "theme", "location", "sticky", "fixed",
                         "mobile", "desktop", "app", "layout", "wp", "masthead", "primary", "nav"})
_CHROME_ROLES = frozenset({"navigation", "banner", "contentinfo", "menubar", "menu"})
# A header or footer inside an article or section is that block's own (an entry's title and links),
# as HTML's sectioning rules say; only the page's own header and footer are chrome.
_SECTIONING = ("article", "aside", "main", "section")


def _chrome_token(token: str) -> str | None:
    """Return the chrome word a class/id token names (see _CHROME_WORDS), else None."""
    block = token.lower().split("--", 1)[0]  # a BEM modifier is a state of its block, not chrome
    parts = [p for p in re.split(r"[-_]+", block) if p]
    for i, part in enumerate(parts):
        if part not in _CHROME_WORDS:
            continue
        if any(before in _CHROME_NOT_AFTER for before in parts[:i]):
            continue  # an option of another block: "has-sticky-header", "show-more-pagination"
        if part in ("header", "footer") and i and parts[i - 1] not in _SITE_PARTS \
                and not (part == "footer" and parts[i - 1] == "page"):
            continue
        if all(rest in _CHROME_PARTS or rest.isdigit() for rest in parts[i + 1:]):
            return part
    return None


def _in_section(el) -> bool:
    return any(anc.tag in _SECTIONING for anc in el.iterancestors())


def _chrome_marks(el) -> bool:
    """True when an element's tag, class, id or role names it as page chrome."""
    if el.tag == "nav" or (el.get("role") or "").strip().lower() in _CHROME_ROLES:
        return True
    if el.tag in ("header", "footer"):
        return not _in_section(el)
    if el.tag in ("body", "html"):
        return False  # a page's body classes describe the page ("header-transparent"), not a part
    for token in f"{el.get('class') or ''} {el.get('id') or ''}".split():
        word = _chrome_token(token)
        if word and not (word in ("header", "footer") and _in_section(el)):
            return True
    return False


_SOCIAL = {"linkedin.com", "facebook.com", "twitter.com", "x.com", "instagram.com", "youtube.com",
           "xing.com", "tiktok.com", "kununu.com", "glassdoor.com", "github.com", "pinterest.com"}
_NEXT_TEXT = re.compile(
    r"^(next|next page|weiter|nächste( seite)?|vor|suivant(e)?|page suivante|siguiente|página siguiente|"
    r"volgende( pagina)?|successiv[ao]|pagina successiva|avanti|próxim[ao]|próxima página|seguinte|"
    r"página seguinte|neste( side)?|nästa( sida)?|næste( side)?|›|»|>|→|>>)$",
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
    inline: bool = False  # a role without a page of its own: url is the listing + an anchor
    html: str | None = None  # an inline role's block, its description


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
    why: dict = field(default_factory=dict)  # how the job set was chosen (for the stats)


_BREAKS = {"br", "p", "div", "li", "td", "th", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "dt", "dd", "hr"}


def _text(node) -> str:
    """Return a node's text with blocks and <br> as spaces ("DRONE<br>TECHNICIAN": two words)."""
    parts: list[str] = []

    def walk(el) -> None:
        if not isinstance(el.tag, str):
            parts.append(el.tail or "")
            return
        if el.tag in ("script", "style", "template"):
            parts.append(el.tail or "")
            return
        block = el.tag in _BREAKS
        if block:
            parts.append(" ")
        parts.append(el.text or "")
        for child in el:
            walk(child)
        if block:
            parts.append(" ")
        if el is not node:
            parts.append(el.tail or "")

    walk(node)
    return clean_text("".join(parts)) or ""


def _in_chrome(node) -> bool:
    """True when a node sits in navigation, header, footer or similar page chrome."""
    for anc in node.iterancestors():
        if _chrome_marks(anc) and (anc.tag in ("nav", "header", "footer") or not _holds_content(anc)):
            return True
    return False


def _holds_content(el) -> bool:
    """True when a block marked as chrome holds the page's main part: a mark on a wrapper of
    everything is a site builder's option, not chrome."""
    return bool(el.xpath(".//main | .//*[@role='main']"))


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


_NEGATIVE_SEGMENTS = re.compile(
    r"^(blog|news|newsroom|press|presse|media|events?|articles?|stories|story|magazin|insights?|"
    r"podcasts?|webinars?|products?|produkte?|produits?|shop|store|cart|checkout|pricing|solutions?|"
    r"services?|industries|customers?|case-stud(y|ies)|references?|privacy|datenschutz|legal|"
    r"imprint|impressum|terms|agb|cookies?|disclaimer|contact|kontakt|about(-us)?|ueber-uns|"
    r"team|leadership|investors?|faq|login|signin|sign-in|register|account|search|tag|category|"
    r"author|wp-content|cdn-cgi|email-protection|downloads?|sitemap|locations?|standorte)$",
    re.I,
)
_NEGATIVE_TEXT = re.compile(
    r"^(home|about( us)?|contact( us)?|blog|news|press|privacy( policy)?|imprint|impressum|"
    r"datenschutz|terms.*|cookie.*|faq|login|sign in|our team|team|products?|solutions?|services|"
    r"investors?|events?|locations?|learn|read more|more|mehr)$",
    re.I,
)
_CONTRACT_WORDS = re.compile(
    r"\b(full[- ]?time|part[- ]?time|permanent|temporary|contract(or)?|freelance|internship|"
    r"vollzeit|teilzeit|unbefristet|befristet|festanstellung|minijob|cdi|cdd|temps plein|"
    r"temps partiel|jornada completa|media jornada|indefinido|tempo pieno|tempo indeterminato|"
    r"tempo integral|voltijd|deeltijd|fast( anställning)?|heltid|deltid|remote|hybrid|on-?site)\b",
    re.I,
)
_SENIORITY = re.compile(
    r"\b(senior|junior|principal|staff|lead|head|chief|founding|intern|trainee|werkstudent|"
    r"stagiaire|stage|praktikant|azubi|apprenti|alternant|becario|prácticas|stagista|"
    r"all levels|entry[- ]level|mid[- ]level|sr\.?|jr\.?)\b",
    re.I,
)
_APPLY_TEXT = re.compile(r"^\W*(apply|apply now|bewerben|jetzt bewerben|postuler|solicitar|aplicar|candidat[ae]|candidatar|solliciteer|søk|ansök|ansøg)\b", re.I)
_APPLY_SEGMENT = re.compile(r"^(apply|application|bewerbung|bewerben|postuler|candidature|solicitud|sollicitatie|candidatura)$", re.I)
# Exact tokens only: "hidden-xs", "md:hidden" or a site builder's "hidden-<hash>" hide a block on
# some screens only, and the same block is then shown on the others.
_HIDDEN_CLASS = re.compile(r"^(hidden|hide|d-none|is-hidden|invisible|display-none|w-condition-invisible)$", re.I)
_TITLE_MARK = re.compile(r"title|position|job-?name|role|heading|headline|name", re.I)
_MAX_CARD_DEPTH = 8


def _hidden(node) -> bool:
    """True when a node or an ancestor is hidden from readers (a template card, hidden="")."""
    for el in (node, *node.iterancestors()):
        if el.get("hidden") is not None or el.tag in ("template", "noscript"):
            return True
        if any(_HIDDEN_CLASS.search(token) for token in (el.get("class") or "").split()):
            return True
    return False


def _signature(el) -> str:
    classes = " ".join(sorted(c for c in (el.get("class") or "").split() if not re.search(r"\d{3,}|active|current|open|first|last|odd|even", c)))
    return f"{el.tag}.{classes}"


def _title_text(text: str) -> int:
    """Return how much a text looks like a job title (role words, gender markers, length)."""
    if not text:
        return -3
    words = len(text.split())
    score = 0
    if _GENDER.search(text):
        score += 3
    if _ROLE_WORDS.search(text):
        score += 2
    elif _SENIORITY.search(text):
        score += 1
    if words > 16 or len(text) > 160:
        score -= 3
    elif 1 <= words <= 12:
        score += 1
    if _NEGATIVE_TEXT.match(text):
        score -= 4
    if re.search(r":\s*\S", text) and not _GENDER.search(text):
        score -= 1  # "Job title: X", "Location: Y": a label inside a posting, not the posting's name
    return score


def _url_score(url: str, page_url: str) -> int:
    """Return how much a URL looks like one posting's page (and not news, products or legal)."""
    parts = urlsplit(url)
    path = parts.path
    segments = [s for s in path.lower().split("/") if s]
    score = 0
    match = _JOB_SEGMENTS.search(path)
    if match and path[match.end():].strip("/"):
        score += 2  # something below a jobs segment: a posting's slug or id
    if segments and _JOB_SEGMENTS.fullmatch("/" + segments[-1]) and not parts.query:
        score -= 4 if match and path[match.end():].strip("/") else 2  # /careers/, /karriere/stellen/: a listing
    if re.search(r"(^|&)(gh_jid|job|jobid|job_id|jid|id|posting|postingid|vacancy|vacancyid|stelle|ref|req|reqid)=", parts.query, re.I):
        score += 1
    is_file = path.lower().endswith(".pdf")
    if any(_NEGATIVE_SEGMENTS.match(seg) for seg in segments) and not is_file:
        score -= 3  # (a posting published as a PDF lives in an uploads folder: not a penalty)
    if len(segments) == 1 and _APPLY_SEGMENT.match(segments[0]):
        score -= 3  # the site's one application form, not a posting
    page_segments = [s for s in urlsplit(page_url).path.lower().split("/") if s]
    below = bool(page_segments) and segments[:len(page_segments)] == page_segments and len(segments) > len(page_segments)
    beside = (len(page_segments) >= 2 and segments[:len(page_segments) - 1] == page_segments[:-1]
              and len(segments) >= len(page_segments) and segments != page_segments)
    if below or beside:
        score += 1  # below or beside the listing itself (/hiring/job-board -> /hiring/<slug>)
    if path.lower().endswith(_FILES):
        score -= 0 if path.lower().endswith(".pdf") else 3
    return score


def _score(url: str, text: str, page_url: str) -> int:
    return _url_score(url, page_url) + max(_title_text(text), 0)


def _is_pagination(url: str, page_url: str, text: str) -> bool:
    if text.isdigit() or _NEXT_TEXT.match(text or "") or _NEXT_TEXT.match(re.sub(r"[»›→>«‹←<]+", "", text).strip() or "»"):
        return True
    query = dict(parse_qsl(urlsplit(url).query))
    return any(_PAGE_PARAM.match(k) or _OFFSET_PARAM.match(k) for k in query) and len(text) < 4


@dataclass
class _Candidate:
    anchor: Any
    url: str
    text: str
    card: Any = None
    title: str | None = None
    score: float = 0.0
    signature: str = ""


def _card(node, owns) -> Any:
    """Return a node's card: the lowest ancestor repeated among its siblings, else its own block.

    `owns(el)` tells whether an element holds only this item (no other item's link or title).
    """
    best = node
    el = node
    for _ in range(_MAX_CARD_DEPTH):
        parent = el.getparent()
        if parent is None or parent.tag in ("body", "html") or not owns(parent):
            break
        el = parent
        best = el
        siblings = [s for s in parent.getparent() if isinstance(s.tag, str)] if parent.getparent() is not None else []
        if sum(1 for s in siblings if _signature(s) == _signature(el)) >= 2:
            break
    return best


def _heading_in(card, exclude=None) -> str | None:
    """Return the card's title: its first heading, else an element marked as a title."""
    for heading in card.iter("h1", "h2", "h3", "h4", "h5", "h6"):
        text = _text(heading)
        if text and not _NOT_JOB_TEXT.match(text) and not text.endswith(":"):
            return text
    for el in card.iter():
        if el is exclude or not isinstance(el.tag, str) or el.tag in ("a", "button"):
            continue
        marks = " ".join(filter(None, (el.get("class"), el.get("itemprop"), el.get("data-automation-id"))))
        if marks and _TITLE_MARK.search(marks) and not _LOCATION_HINT.search(marks):
            text = _text(el)
            if text and len(text) < 160 and not _NOT_JOB_TEXT.match(text) and not text.endswith(":"):
                return text
    return None


def _nearest_heading(node, card) -> str | None:
    """Return the title nearest to a node inside its card: the first level up that has one."""
    el, beyond = node, 0
    while el is not None and el.tag not in ("body", "html"):
        found = _heading_in(el, node)
        if found:
            return found
        if el is card or beyond:
            beyond += 1  # a little past the card: "APPLY" and "LEARN MORE" beside one heading
            if beyond > 2:
                break
        el = el.getparent()
    return None


def _anchor_title(anchor) -> str | None:
    for heading in anchor.iter("h1", "h2", "h3", "h4", "h5", "h6", "strong"):
        text = _text(heading)
        if text:
            return text
    for el in anchor.iter():
        marks = " ".join(filter(None, (el.get("class"), el.get("data-automation-id"))))
        if marks and _TITLE_MARK.search(marks) and not _LOCATION_HINT.search(marks):
            text = _text(el)
            if text:
                return text
    text = _text(anchor) or clean_text(anchor.get("title")) or clean_text(anchor.get("aria-label"))
    if not text:  # an image link: the image's alt text or title names it
        for img in anchor.iter("img"):
            text = clean_text(img.get("alt")) or clean_text(img.get("title"))
            if text:
                break
    return text


def _candidates(doc, page_url: str) -> list[_Candidate]:
    listing = canonical_url(page_url).rstrip("/")
    found = []
    for anchor in doc.iter("a"):
        url = absolute(anchor.get("href"), page_url)
        if not url:
            continue
        domain = registrable_domain(url)
        if domain in _SOCIAL:
            continue
        key = canonical_url(url)
        if key.rstrip("/") == listing or _in_chrome(anchor) or _hidden(anchor):
            continue
        text = _text(anchor)
        if _is_pagination(url, page_url, text) or _APPLY_ONLY.search(text):
            continue
        lower = urlsplit(url).path.lower()
        if (lower.endswith(_FILES) and not lower.endswith(".pdf")) or "/cdn-cgi/" in lower:
            continue  # /cdn-cgi/l/email-protection: a CDN's disguised mailto: link
        found.append(_Candidate(anchor, key, text))
    return found


def _key_of(url: str) -> str:
    return url.rstrip("/")


def job_links(doc, page_url: str, why: dict | None = None) -> list[JobLink]:
    """Return the links of the page's best coherent group of job postings (deduplicated, in order).

    Every link outside page chrome is a candidate; its card (the repeated sibling block around
    it) gives its title and its group (cards of one structure). A group is scored by what job
    lists share: role words and gender markers in the titles, posting-shaped URLs, contract words
    in the cards, and against news/product/legal URLs and texts. The best group wins when it
    looks like jobs; `why` receives the reasons.
    """
    why = why if why is not None else {}
    candidates = _candidates(doc, page_url)
    if not candidates:
        why["links"] = "none"
        return []
    key_of_anchor = {id(c.anchor): _key_of(c.url) for c in candidates}
    # Keyed by id() and holding the element: lxml makes a new proxy object for a node whose last
    # one was freed, so an id alone could name another element later in the loop.
    anchors_by_el: dict[int, tuple[Any, set[str]]] = {}

    def owns_for(key: str):
        def owns(el) -> bool:
            cached = anchors_by_el.get(id(el))
            if cached is None or cached[0] is not el:
                cached = (el, {key_of_anchor[id(a)] for a in el.iter("a") if id(a) in key_of_anchor})
                anchors_by_el[id(el)] = cached
            return cached[1] <= {key}
        return owns

    page_domain = registrable_domain(page_url)
    for cand in candidates:
        key = _key_of(cand.url)
        cand.card = _card(cand.anchor, owns_for(key))
        own = _anchor_title(cand.anchor)
        near = _nearest_heading(cand.anchor, cand.card)
        title = own if own and not _NOT_JOB_TEXT.match(own) and _title_text(own) >= _title_text(near or "") else None
        title = title or near or (own if own and not _NOT_JOB_TEXT.match(own) else None)
        cand.title = title
        card_text = _text(cand.card)[:400]
        score = _url_score(cand.url, page_url) + _title_text(title or "")
        if _CONTRACT_WORDS.search(card_text) or _LOCATION_HINT.search(" ".join(el.get("class") or "" for el in cand.card.iter() if isinstance(el.tag, str))):
            score += 1
        if registrable_domain(cand.url) != page_domain and score < 3:
            score -= 1  # another site: only clear postings (an ATS, a job board) count
        cand.score = score
        parent = cand.card.getparent()
        grand = parent.getparent() if parent is not None else None
        cand.signature = "/".join(_signature(el) for el in (cand.card, parent, grand) if el is not None)
    # An "Apply" link beside a link to the posting itself names the same job: keep the posting.
    titled = {c.title for c in candidates if c.title and not _APPLY_TEXT.search(c.text)}
    candidates = [c for c in candidates if not (_APPLY_TEXT.search(c.text) and c.title in titled)] or candidates
    groups: dict[str, list[_Candidate]] = {}
    for cand in candidates:
        if cand.title:
            groups.setdefault(cand.signature, []).append(cand)
    ranked = []
    for signature, members in groups.items():
        per_url: dict[str, _Candidate] = {}
        for cand in members:
            old = per_url.get(_key_of(cand.url))
            if old is None or cand.score > old.score:
                per_url[_key_of(cand.url)] = cand
        items = list(per_url.values())
        mean = sum(c.score for c in items) / len(items)
        good = sum(1 for c in items if c.score >= 3) / len(items)
        ranked.append((mean + min(len(items), 6) * 0.15, mean, good, signature, items))
    ranked.sort(key=lambda r: r[0], reverse=True)
    why["groups"] = len(ranked)
    if not ranked or ranked[0][1] < 3 or ranked[0][2] < 0.5:
        why["links"] = "no coherent group" if ranked else "no titled links"
        if ranked:
            why["best_mean"] = round(ranked[0][1], 2)
        return []
    best = ranked[0]
    chosen = list(best[4])
    why["links"] = "group"
    why["group_size"] = len(chosen)
    why["group_mean"] = round(best[1], 2)
    seen = {_key_of(c.url) for c in chosen}
    # Sections of one list (a department each) share their URL shape: take other strong groups too.
    for _, mean, good, signature, items in ranked[1:]:
        if mean >= 4 and good >= 0.8:
            for cand in items:
                if _key_of(cand.url) not in seen:
                    seen.add(_key_of(cand.url))
                    chosen.append(cand)
            why["groups_merged"] = why.get("groups_merged", 0) + 1
    order = {id(c.anchor): i for i, c in enumerate(candidates)}
    chosen.sort(key=lambda c: order[id(c.anchor)])
    return [JobLink(c.url, c.title, _location_near(c.anchor)) for c in chosen]


# --- roles without a page of their own (accordions, inline cards) ------------------------
_ACCORDION = re.compile(r"accordion|collaps|toggle|expand|faq-?item|panel-?head|disclosure", re.I)


# "Job title: X" as a heading: the label is not part of the role's title (many languages).
_TITLE_LABEL = re.compile(
    r"^\s*(?:job\s*title|position|role|intitul[ée]\s+du\s+poste|poste|stellen(?:bezeichnung|titel)|"
    r"jobtitel|position(?:sbezeichnung)?|puesto|t[íi]tulo\s+del\s+puesto|cargo|vacature|functie|"
    r"posizione|ruolo|tjänst|befattning|stilling)\s*[:：–-]\s+", re.I)


def inline_jobs(doc, page_url: str, why: dict | None = None) -> list[JobLink]:
    """Return roles listed on the page without a page of their own: repeated headed blocks.

    Accordion items, role cards and heading groups whose headings read like job titles (role
    words, gender markers) and whose blocks read like postings (contract words, locations,
    apply buttons, long descriptions). Each becomes a link to the listing with a stable anchor.
    """
    why = why if why is not None else {}
    headings = []
    for el in doc.iter("h1", "h2", "h3", "h4", "h5", "h6", "summary", "button", "dt"):
        if _in_chrome(el) or _hidden(el):
            continue
        if el.tag == "button" and not (el.get("aria-expanded") or el.get("aria-controls")):
            continue
        text = _text(el)
        if not text or len(text) > 160:
            continue
        headings.append(el)
    # Roles listed as plain bullet points or bold lines ("Elektroniker (m/w/d)"): a gender
    # marker makes a short text a role name wherever it stands.
    for el in doc.iter("li", "p", "strong", "b", "td", "span"):
        text = _text(el)
        if not text or len(text) > 120 or not _GENDER.search(text) or _in_chrome(el) or _hidden(el):
            continue
        if el.xpath(".//a[@href] | .//h1 | .//h2 | .//h3 | .//h4 | .//li | .//strong | .//b") \
                or any(anc in headings for anc in el.iterancestors()):
            continue
        headings.append(el)
    groups: dict[str, list] = {}
    for el in headings:
        # Another item's heading, not one nested in this one (<h3><button>Title</button></h3>).
        others = [h for h in headings if h is not el and not _is_ancestor(h, el) and not _is_ancestor(el, h)]

        def owns(node, others=others) -> bool:
            return not any(_is_ancestor(node, h) for h in others)
        card = _card(el, owns)
        parent = card.getparent()
        signature = "/".join(_signature(x) for x in (el, card, parent) if x is not None)
        groups.setdefault(signature, []).append((el, card))
    ranked = []
    for signature, members in groups.items():
        scores = []
        for el, card in members:
            title = _text(el)
            score = _title_text(title)
            card_text = _text(card)
            if _CONTRACT_WORDS.search(card_text[:600]):
                score += 1
            rest = card_text.replace(title, " ", 1)[:300]
            if not _ROLE_WORDS.search(title) and _ROLE_WORDS.search(rest):
                score += 1  # the role named beside a code-name heading ("Wargamer" + "... Engineer")
            if re.search(r"apply|bewerb|postuler|solicit|candidat|aplicar|solliciteer|søk|ansök", card_text, re.I):
                score += 1
            marks = " ".join(filter(None, (card.get("class"), el.get("class"), (card.getparent().get("class") if card.getparent() is not None else None))))
            if _ACCORDION.search(marks) or el.tag in ("summary", "button") or card.tag == "details":
                score += 1
            if _is_list_item(card):
                score += 1
            actions = [a for a in card.iter("a") if _APPLY_TEXT.search(_text(a))]
            if actions and all((a.get("href") or "#").strip() in ("#", "") for a in actions):
                score -= 1  # an apply button that goes nowhere: a design template, not a role
            if card.xpath(".//a[@href]") and any(_url_score(absolute(a.get("href"), page_url) or "", page_url) >= 2 for a in card.xpath(".//a[@href]")):
                score -= 3  # the block links to its own page: the link reader's business
            scores.append(score)
        mean = sum(scores) / len(scores)
        good = sum(1 for s in scores if s >= 3) / len(scores)
        ranked.append((mean + min(len(members), 6) * 0.3, mean, good, members))
    ranked.sort(key=lambda r: r[0], reverse=True)
    if not ranked or ranked[0][1] < 3.5 or ranked[0][2] < 0.6:
        why["inline"] = "none"
        return []
    members = ranked[0][3]
    why["inline"] = "group"
    why["inline_size"] = len(members)
    why["inline_mean"] = round(ranked[0][1], 2)
    jobs = []
    seen = set()
    for el, card in members:
        title = _TITLE_LABEL.sub("", _text(el)).strip() or _text(el)
        if title in seen:
            continue
        seen.add(title)
        anchor = el.get("id") or card.get("id") or _slug(title)
        url = canonical_url(page_url) + "#" + anchor
        jobs.append(JobLink(url, title, _location_near(el), inline=True, html=_opened(card)))
    return jobs


def _opened(card) -> str:
    """Return a role block's HTML with its own collapsed panel shown.

    An accordion hides a role's text until its button is pressed (hidden="", aria-hidden): the
    panel the block's own button controls (aria-controls) is the role's description. Any other
    hidden text stays hidden (the markdown step drops it).
    """
    import copy

    block = copy.deepcopy(card)
    for control in block.xpath(".//*[@aria-controls]"):
        for panel_id in (control.get("aria-controls") or "").split():
            for panel in block.xpath(".//*[@id=$id]", id=panel_id):
                panel.attrib.pop("hidden", None)
                if panel.get("aria-hidden") == "true":
                    panel.attrib.pop("aria-hidden")
    return lxml.html.tostring(block, encoding="unicode", method="html")


def _is_list_item(card) -> bool:
    """True when a card is marked as one entry of a list (li, tr, article, role=listitem)."""
    for el in (card, *list(card.iterancestors())[:2]):
        if el.tag in ("li", "tr", "article") or el.get("role") in ("listitem", "row", "article"):
            return True
    return False


def _is_ancestor(node, el) -> bool:
    return any(anc is node for anc in el.iterancestors())


def _slug(text: str) -> str:
    slug = re.sub(r"[^\w]+", "-", text.lower(), flags=re.UNICODE).strip("-")
    return "job-" + (slug[:80] or "role")


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
    why: dict = {}
    jobs = job_links(doc, page_url, why)
    if not jobs:
        jobs = inline_jobs(doc, page_url, why)
    return Listing(
        jobs=jobs,
        why=why,
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


def html_fragment(text: str) -> str | None:
    """Return the HTML a "load more" answer carries: the body itself, or an HTML string in JSON.

    None when the answer is JSON data (read by parse_json_jobs) or empty.
    """
    body = (text or "").lstrip()
    if body.startswith("<"):
        return body
    if not body.startswith("{"):
        return None
    try:
        data = json.loads(body)
    except (ValueError, RecursionError):
        return None
    if not isinstance(data, dict):
        return None
    for key in ("html", "content", "markup", "data", "results", "items", "jobs", "body"):
        value = data.get(key)
        if isinstance(value, str) and "<a" in value.lower():
            return value
    return None


def next_offset_url(url: str, count: int) -> str | None:
    """Return the URL of the next page of a paged endpoint (?page=N+1 or ?offset=N+count)."""
    query = parse_qsl(urlsplit(url).query)
    for key, value in query:
        if _PAGE_PARAM.match(key) and value.isdigit():
            return _set_query(url, key, int(value) + 1)
        if _OFFSET_PARAM.match(key) and value.isdigit():
            return _set_query(url, key, int(value) + count)
    return None
