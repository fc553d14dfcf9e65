"""Domain guesses from a company name, and the careers link on a homepage (nav, footer)."""
from __future__ import annotations

import logging
import re
import unicodedata
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

import lxml.html

from jobos.discovery.names import name_tokens

logger = logging.getLogger(__name__)

# Country code top-level domains where the registrable form is not simply the ISO code.
_TLDS = {
    "GB": "co.uk", "UK": "co.uk", "US": "com", "AU": "com.au", "NZ": "co.nz", "JP": "co.jp",
    "BR": "com.br", "ZA": "co.za", "IN": "in", "KR": "co.kr", "MX": "com.mx", "AR": "com.ar",
    "TR": "com.tr", "IL": "co.il", "SG": "com.sg", "HK": "com.hk", "TW": "com.tw", "CN": "cn",
    "MY": "com.my", "CO": "com.co", "PE": "com.pe", "UA": "com.ua",
}

# Link texts (folded to lower-case ASCII) that name a career page, per language.
CAREERS_TEXTS: dict[str, tuple[str, ...]] = {
    "en": ("careers", "career", "jobs", "join us", "join our team", "work with us",
           "work for us", "vacancies", "open positions", "job openings", "working at", "life at"),
    "de": ("karriere", "stellenangebote", "jobs & karriere", "jobs und karriere", "stellen",
           "offene stellen", "jobboerse", "arbeiten bei", "karriereportal", "stellenmarkt"),
    "fr": ("recrutement", "carrieres", "carriere", "nous rejoindre", "rejoignez-nous",
           "rejoignez nous", "emplois", "offres d'emploi", "travailler chez"),
    "es": ("empleo", "empleos", "trabaja con nosotros", "unete", "ofertas de empleo",
           "carreras", "trabajar en"),
    "nl": ("werken bij", "vacatures", "werkenbij", "carriere", "kom werken bij"),
    "it": ("lavora con noi", "carriere", "lavoro", "posizioni aperte", "opportunita di lavoro"),
    "pt": ("carreiras", "trabalhe conosco", "vagas", "oportunidades", "junte-se a nos",
           "trabalhe connosco"),
    "no": ("ledige stillinger", "jobb", "karriere", "jobbe hos oss", "stillinger"),
    "sv": ("lediga jobb", "karriar", "jobba hos oss", "jobb", "lediga tjanster"),
    "da": ("job hos os", "karriere", "ledige stillinger", "job", "jobs"),
}
_TEXTS = {t for texts in CAREERS_TEXTS.values() for t in texts}

# URL path words of career pages (any language), matched as whole path segments or their parts.
PATH_WORDS = (
    "careers", "career", "jobs", "job", "karriere", "stellenangebote", "stellen", "werken-bij",
    "werkenbij", "vacatures", "vacancies", "recrutement", "carrieres", "carriere", "emploi",
    "nous-rejoindre", "rejoignez-nous", "empleo", "empleos", "trabaja-con-nosotros",
    "lavora-con-noi", "carriere", "carreiras", "trabalhe-conosco", "ledige-stillinger", "jobb",
    "karriar", "lediga-jobb", "job-hos-os", "join-us", "work-with-us", "openings", "positions",
)
_PATH_RE = re.compile(r"(?:^|[/_.-])(" + "|".join(re.escape(w) for w in PATH_WORDS) + r")(?:$|[/_.?#-])")
CAREERS_HOST_PREFIXES = ("careers", "jobs", "karriere", "career", "werkenbij", "jobb")


def fold(text: str) -> str:
    """Return text in lower-case ASCII with accents removed and spaces collapsed."""
    text = unicodedata.normalize("NFKD", (text or "").lower().replace("ä", "a").replace("ø", "o"))
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return " ".join(text.replace("\u2019", "'").split())


def country_tld(country: str | None) -> str | None:
    """Return the country's usual registrable suffix ('DE' -> 'de', 'GB' -> 'co.uk')."""
    if not country:
        return None
    return _TLDS.get(country.upper(), country.lower())


def domain_guesses(company: str, country: str | None, limit: int = 6) -> list[str]:
    """Return homepage URLs to try, likeliest first: country TLD, .com, careers./jobs. hosts."""
    # The legal form is rarely part of the domain: the core name, joined and hyphenated.
    tokens = [t for t in name_tokens(company) if t not in ("and", "und")]
    labels = []
    for label in ("".join(tokens), "-".join(tokens)):
        if label and label not in labels:
            labels.append(label)
    tlds: list[str] = []
    for tld in (country_tld(country), "com"):
        if tld and tld not in tlds:
            tlds.append(tld)
    urls: list[str] = []
    for label in labels:
        for tld in tlds:
            urls.append(f"https://www.{label}.{tld}/")
    if labels:
        urls.append(f"https://careers.{labels[0]}.{tlds[0]}/")
        urls.append(f"https://jobs.{labels[0]}.{tlds[0]}/")
    seen: list[str] = []
    for url in urls:
        if url not in seen:
            seen.append(url)
    return seen[:limit]


def path_has_careers_word(url: str) -> bool:
    """Return True when a URL's host or path names a career page (/careers, karriere., ...)."""
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    if host.split(".", 1)[0] in CAREERS_HOST_PREFIXES:
        return True
    return bool(_PATH_RE.search(fold(parts.path)))


@dataclass(frozen=True)
class CareersLink:
    """A link on a page that likely leads to the career page, with its score and why."""

    url: str
    text: str
    score: int
    reason: str


def _where(el) -> str:
    for anc in el.iterancestors():
        tag = anc.tag if isinstance(anc.tag, str) else ""
        attrs = " ".join((anc.get("class") or "", anc.get("id") or "", anc.get("role") or "")).lower()
        if tag == "nav" or "nav" in attrs or "menu" in attrs:
            return "nav"
        if tag == "footer" or "footer" in attrs or "contentinfo" in attrs:
            return "footer"
        if tag == "header" or "header" in attrs:
            return "header"
    return "body"


def find_careers_links(html: str, base_url: str) -> list[CareersLink]:
    """Return the page's links to a career page, best first (text match in nav/footer wins)."""
    try:
        root = lxml.html.fromstring(html or "<html></html>")
    except (ValueError, lxml.etree.ParserError):
        return []
    base_host = (urlsplit(base_url).hostname or "").lower()
    found: dict[str, CareersLink] = {}
    for a in root.iter("a"):
        href = (a.get("href") or "").strip()
        if not href or href.startswith(("#", "mailto:", "tel:", "javascript:")):
            continue
        url = urljoin(base_url, href).split("#", 1)[0]
        if not url.startswith(("http://", "https://")):
            continue
        text = fold(a.text_content() or a.get("title") or a.get("aria-label") or "")
        text_hit = text in _TEXTS or any(
            re.search(rf"(?:^|\W){re.escape(t)}(?:$|\W)", text) for t in _TEXTS if len(t) > 3
        ) if text and len(text) <= 60 else False
        path_hit = path_has_careers_word(url)
        if not text_hit and not path_hit:
            continue
        where = _where(a)
        host = (urlsplit(url).hostname or "").lower()
        # The whole link text being the word ("Karriere") is strong; a word in a sentence
        # ("our jobs report") is weak.
        score = (60 if text in _TEXTS else 25 if text_hit else 0) + (30 if path_hit else 0)
        score += {"nav": 15, "header": 10, "footer": 10, "body": 0}[where]
        if host != base_host and not host.endswith("." + base_host.removeprefix("www.")):
            score -= 5  # off-site links are often to job boards or social media
        reason = ", ".join(
            p for p in (f"link text {text!r}" if text_hit else "", "careers path" if path_hit else "",
                        f"in {where}") if p
        )
        link = CareersLink(url, text, score, reason)
        if url not in found or found[url].score < score:
            found[url] = link
    return sorted(found.values(), key=lambda l: -l.score)
