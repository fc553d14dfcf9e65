"""A job detail page without structured data -> a record of what the page clearly shows.

Title (the h1 that reads like a role, else og:title or <title> cleaned of the site's name),
location, employment type and date from labelled elements ("Standort:", "Location", "Posted",
itemprop/class hints), the main content as description HTML and as markdown for the LLM tier.
The record is `method: html`: the LLM pipeline fills only what the rules left empty.
`is_posting` tells whether a page is itself one posting (a careers URL that is a single job).
"""
from __future__ import annotations

import copy
import logging
import re
from typing import Iterable

import lxml.html

from jobos.ats.base import BoardContext
from jobos.items import JobItem
from jobos.normalize.html import drop_node, xml_safe
from jobos.normalize.text import clean_text
from jobos.pages.common import canonical_url, page_source, registrable_domain, text_id, url_id
from jobos.pages.words import APPLY_WORDS, POSTING_SECTION_WORDS

logger = logging.getLogger(__name__)

_LOCATION_LABEL = re.compile(
    r"^(location|job location|work location|standort|einsatzort|arbeitsort|dienstort|ort|lieu|"
    r"lieu de travail|localisation|ubicación|ubicacion|localidad|locatie|werklocatie|standplaats|"
    r"sede|luogo di lavoro|localização|local de trabalho|arbeidssted|sted|arbetsort|ort för arbete|"
    r"ubicació|localitat|lloc de treball)\s*:?$",
    re.I,
)
_TYPE_LABEL = re.compile(
    r"^(employment type|job type|type|contract type|anstellungsart|beschäftigungsart|arbeitszeit|"
    r"vertragsart|type de contrat|contrat|tipo de contrato|jornada|dienstverband|contratto|"
    r"tipo de contrato|stillingstype|anställningsform|ansættelsestype|tipus de contracte)\s*:?$",
    re.I,
)
_DATE_LABEL = re.compile(
    r"^(posted|posted on|date posted|publication date|published|veröffentlicht( am)?|online seit|"
    r"datum|publié le|date de publication|fecha de publicación|publicado|gepubliceerd|"
    r"pubblicato( il)?|data di pubblicazione|publicerad|publisert|udgivet|publicat|data de publicació)\s*:?$",
    re.I,
)
# Words of a posting's sections and apply words, in many languages (a table per language).
_POSTING_WORDS = POSTING_SECTION_WORDS
_APPLY_WORDS = APPLY_WORDS
_TITLE_SEPARATORS = re.compile(r"\s+[|–—·•-]\s+|\s*\|\s*|:\s+|\s+-$")
_GENERIC_TITLE_PARTS = re.compile(
    r"^(job application|application|apply|careers?|jobs?|karriere|stellenangebote?|stellenanzeige|"
    r"offres? d'emploi|emploi|empleo|vacatures?|vacature|lavora con noi|open positions?|"
    r"job details?|job posting|home|homepage)$",
    re.I,
)
# An apply link's or button's words ("Apply now", "Jetzt bewerben", "Postuler", "Solliciteer",
# "Candidatar-me", "Invia candidatura", "Aplicar", "Ansök", "Søk på stillingen"...). Bare "Sök",
# "Søk", "Søg" and "Hae" also mean "search", so they count only with a word that makes them apply.
_APPLY_ACTION = re.compile(
    r"\b(apply|applying|bewerben|bewirb|bewerbung (starten|absenden|senden)|zur bewerbung|postuler|postulez|"
    r"postula|postúlate|postularme|je postule|solliciteer|solliciteren|candidatar|candidate-se|candidata-te|"
    r"candidati|candidatati|invia(re)? (la )?(tua )?candidatura|envia(r)? (a )?candidatura|aplicar|aplica(r)? ya|"
    r"aplique|inscr[ií]bete|solicitar|ans[öo]k|ans[øo]g|s[øo]k (n[åa]|her|p[åa] stillingen|stillingen)|"
    r"s[øo]g (nu|her|stillingen)|hae (nyt|paikkaa|ty[öo]paikkaa)|aplikuj|jelentkez[eé]s|jelentkezem|"
    r"ubiegaj)\b",
    re.I,
)
# Application links that are not this posting's: an open/unsolicited application, a guide.
_APPLY_NOT_THIS = re.compile(
    r"spontan|unsolicited|speculative|initiativ|open application|general application|how to apply|"
    r"candidature libre|candidatura (espont[aá]nea|spontanea)|open sollicitatie|tips|faq", re.I)
# Last path segments of apply pages and ATS application forms ("/apply", "/application").
_APPLY_PATH = re.compile(r"/(apply|application|bewerben|bewerbung|postuler|candidatura|candidatar|"
                         r"solliciteren|aplicar)/?$", re.I)
_INLINE_LABEL = re.compile(r"^\s*([^:]{2,30}):\s*(.{2,120})$")
_DROP_TAGS = ("script", "style", "noscript", "nav", "header", "footer", "form", "iframe", "svg",
              "template", "button")
_DROP_HINT = re.compile(r"cookie|consent|newsletter|share|social|breadcrumb|related|similar|"
                        r"(^|[\s_-])(nav|menu|footer|header|sidebar)([\s_-]|$)", re.I)
_MAIN_HINT = re.compile(r"job-?(description|detail|content|posting|ad)|stellen(anzeige|beschreibung)|"
                        r"vacancy|description|entry-content|post-content|article", re.I)


def _text(node) -> str:
    if not isinstance(node.tag, str):  # a comment or processing instruction has no text content
        return ""
    return clean_text(node.text_content()) or ""


def _labelled(doc, label: re.Pattern[str]) -> str | None:
    """Return the value next to a label: <dt>/<dd>, <th>/<td>, "<b>Standort:</b> Berlin", or "Standort: Berlin"."""
    for el in doc.iter("dt", "th", "strong", "b", "span", "label", "div", "p", "li", "h4", "h5"):
        own = clean_text((el.text or "")) or ""
        text = _text(el)
        if label.match(own) or (label.match(text) and len(text) < 40):
            sibling = next((sib for sib in el.itersiblings() if isinstance(sib.tag, str)), None)
            if sibling is not None and _text(sibling):
                return _text(sibling)[:200]
            tail = clean_text(el.tail)
            if tail:
                return tail.lstrip(":").strip()[:200] or None
            parent = el.getparent()
            if parent is not None:
                rest = _text(parent)[len(text):].lstrip(" :").strip()
                if rest and len(rest) < 200:
                    return rest
        match = _INLINE_LABEL.match(text) if len(text) < 160 and el.tag in ("p", "li", "span", "div") else None
        if match and label.match(match.group(1).strip()) and not len(el):
            return match.group(2).strip()
    return None


def _hinted(doc, pattern: str) -> str | None:
    for el in doc.xpath(f'//*[@itemprop="{pattern}"] | //*[contains(@class, "{pattern}")]'):
        if el.tag in ("a", "svg", "img", "i", "body", "html"):
            continue
        text = _text(el)
        if text and len(text) < 120:
            return text
    return None


# Parts of a header line: "Lisboa, Portugal · Tempo inteiro", "Berlin | Engineering".
_HEADER_PARTS = re.compile(r"\s*[·•|/]\s*|\s+[–—-]\s+")
_HEADER_BLOCKS = ("p", "span", "div", "li", "dd", "small", "strong", "em", "address", "h2", "h3",
                  "h4", "h5", "h6")
_BLOCK_CHILDREN = {"p", "div", "ul", "ol", "li", "section", "article", "table", "dl", "h1", "h2", "h3",
                   "h4", "h5", "h6"}
# A one-word place counts only in the company's country or when it is a large city ("Berlin"):
# a small town's name is also a department's or a word's ("Sales", "Mobile", "Reading").
_LONE_PLACE_POPULATION = 250_000
_NEAR_BLOCKS = 12  # text blocks read after the title (and a few before it)
# Country-code TLDs that sites of any country use.
_GENERIC_CCTLDS = {"io", "co", "ai", "me", "tv", "fm", "ly", "gg", "to", "so", "sh", "ac", "cc", "ws", "app"}


# The site's navigation and footer, not the posting's own header (a job header holds the title,
# the place and the apply button).
_SITE_CHROME = re.compile(r"(^|[\s_-])(nav|navbar|menu|footer|breadcrumbs?|cookie|consent|social|share|"
                          r"language|lang-switch|skip)([\s_-]|$)", re.I)


def _in_site_chrome(node) -> bool:
    """True when a node sits in the site's navigation, footer or a header without the page's h1."""
    for anc in node.iterancestors():
        if anc.tag in ("nav", "footer") or (anc.tag == "header" and not anc.xpath(".//h1")):
            return True
        marks = " ".join(filter(None, (anc.get("class"), anc.get("id"), anc.get("role"))))
        if marks and (_SITE_CHROME.search(marks) or marks == "navigation"):
            return True
    return False


def _country_hint(ctx: BoardContext, url: str) -> str | None:
    """Return the company's country: the crawl's, else the page's country-code domain."""
    if ctx.country:
        return ctx.country.upper()
    tld = (registrable_domain(url) or "").rsplit(".", 1)[-1].lower()
    if len(tld) != 2 or tld in _GENERIC_CCTLDS:
        return None
    return "GB" if tld == "uk" else tld.upper()


def _known_place(text: str, hint: str | None) -> bool:
    """True when text is a place the gazetteer knows ("Lisboa, Portugal", "Berlin"), not a word."""
    from jobos.normalize.countries import country_code
    from jobos.normalize.location import parse_location
    from jobos.normalize.places import GAZETTEER

    if not text or len(text) > 80:
        return False
    loc = parse_location(text, hint)
    if not loc.country:
        return False
    if country_code(text):
        return True
    if not loc.city:
        return bool(loc.region)
    candidates = [place for place, _ in GAZETTEER.candidates(loc.city)]
    if not candidates:
        return False
    if "," in text:
        return True
    return any(place.country == hint for place in candidates) or max(
        place.population for place in candidates) >= _LONE_PLACE_POPULATION


def _header_blocks(heading) -> Iterable[str]:
    """Yield the short texts written just after a title heading, then a few just before it."""
    from jobos.pages.listing import _hidden, _text as spaced_text

    def texts(elements, limit: int) -> Iterable[str]:
        count = 0
        for el in elements:
            if el.tag not in _HEADER_BLOCKS or any(child.tag in _BLOCK_CHILDREN for child in el):
                continue
            if _in_site_chrome(el) or _hidden(el):
                continue
            text = spaced_text(el)
            if not text:
                continue
            if len(text) > 160:
                return  # the description has begun
            count += 1
            yield text
            if count >= limit:
                return

    yield from texts(heading.xpath("following::*"), _NEAR_BLOCKS)
    yield from texts(reversed(heading.xpath("preceding::*")[-40:]), 3)


def place_near_title(doc, title: str, hint: str | None = None) -> str | None:
    """Return a place written without a label near a posting's title ("Lisboa, Portugal"), or None.

    The short texts just after the title heading (and a few before it), split at "·", "|",
    "/" and dashes, are read by the gazetteer; the first that names a known place is taken as
    published. `hint` (the company's country) decides between places of one name.
    """
    from jobos.pages.listing import _text as spaced_text

    headings = [h for h in doc.iter("h1") if clean_text(spaced_text(h)) == title]
    if not headings:
        return None
    seen: set[str] = set()
    for text in _header_blocks(headings[0]):
        if text in seen or text == title:
            continue
        seen.add(text)
        for part in [text, *_HEADER_PARTS.split(text)]:
            part = part.strip(" ,;:")
            if _known_place(part, hint):
                return part
    return None


def apply_link(doc, page_url: str) -> str | None:
    """Return the absolute http(s) URL of a posting page's apply link or button, or None.

    A link (or a button inside one) whose words ask to apply, in the languages discovery
    speaks, or whose URL is an application form ("/apply", "/application"), outside the page's
    navigation and footer. An application by email (mailto:) is not an apply URL, nor is a link
    back to the page itself ("#apply" scrolls to a form on it), nor an open application's form.
    """
    from jobos.pages.common import absolute
    from jobos.pages.listing import _hidden

    page = canonical_url(page_url)
    best: tuple[int, int, str] | None = None
    for order, anchor in enumerate(doc.iter("a")):
        url = absolute(anchor.get("href"), page_url)
        if url is None or canonical_url(url) == page:
            continue
        words = " ".join(filter(None, (_text(anchor), anchor.get("aria-label"), anchor.get("title"))))
        if len(words) > 80 or _APPLY_NOT_THIS.search(words):
            continue
        score = (2 if _APPLY_ACTION.search(words) else 0) + (1 if _APPLY_PATH.search(url.split("?")[0]) else 0)
        if not score or _in_site_chrome(anchor) or _hidden(anchor):
            continue
        if best is None or (score, -order) > (best[0], best[1]):
            best = (score, -order, url)
    return best[2] if best else None


def find_apply_url(html: str, page_url: str) -> str | None:
    """Return the apply URL of a posting page's HTML (see apply_link), or None."""
    try:
        doc = lxml.html.fromstring(xml_safe(html))
    except (ValueError, lxml.etree.ParserError):
        return None
    return apply_link(doc, page_url)


def main_content(doc):
    """Return a cleaned copy of the page's main content element (<main>, <article>, the job body)."""
    body = doc.find(".//body")
    root = copy.deepcopy(body if body is not None else doc)
    for el in list(root.iter(*_DROP_TAGS)):
        drop_node(el)
    for el in list(root.iter()):
        if el is root or not isinstance(el.tag, str) or el.getparent() is None:
            continue
        marks = " ".join(filter(None, (el.get("class"), el.get("id"), el.get("role"))))
        if marks and _DROP_HINT.search(marks) and el.tag not in ("main", "article"):
            drop_node(el)
    for xpath in ('.//*[@role="main"]', ".//main", ".//article"):
        found = root.xpath(xpath)
        if found and len(_text(found[0])) > 200:
            return found[0]
    candidates = [el for el in root.iter("div", "section")
                  if _MAIN_HINT.search((el.get("class") or "") + " " + (el.get("id") or ""))
                  and len(_text(el)) > 200]
    if candidates:
        return max(candidates, key=lambda el: len(_text(el)))
    return root


def to_markdown(html: str) -> str:
    """Return markdown for an HTML fragment (headings, lists and links kept)."""
    from markdownify import markdownify

    text = markdownify(html, heading_style="ATX", bullets="-", strip=["img"])
    return re.sub(r"\n{3,}", "\n\n", text).strip()


def _site_names(doc, url: str, company: str | None) -> set[str]:
    names = {clean_text(v).lower() for v in doc.xpath('//meta[@property="og:site_name"]/@content') if clean_text(v)}
    if company:
        names.add(company.lower())
        names.add(company.split()[0].lower())
    domain = registrable_domain(url) or ""
    if domain:
        names.add(domain.lower())
        names.add(domain.split(".")[0].lower())
    return names


def _title_parts(text: str, names: set[str]) -> list[str]:
    """Return a <title>/og:title's parts that are not the site's name or a generic word."""
    parts = [clean_text(p) for p in _TITLE_SEPARATORS.split(text or "")]
    return [p for p in parts if p and p.lower() not in names and not _GENERIC_TITLE_PARTS.match(p)
            and not any(p.lower() == n or p.lower().replace(" ", "") == n for n in names)]


def _role_score(text: str) -> int:
    from jobos.pages.listing import _title_text

    return _title_text(text)


def page_title(doc, url: str, company: str | None = None, hint: str | None = None) -> str | None:
    """Return the posting's title: the h1 that reads like a role, else the cleaned og:title/<title>.

    A heading that the page's <title> or og:title repeats wins (it is the page's subject, not a
    menu or a section heading); the site's name ("| Acme", "Acme: ...") is cut from those.
    """
    from jobos.pages.listing import _hidden, _in_chrome, _text as spaced_text

    names = _site_names(doc, url, company)
    meta = []
    whole = set()  # the page's <title>/og:title as written, unsplit
    for xpath in ('//meta[@property="og:title"]/@content', '//meta[@name="twitter:title"]/@content',
                  "//title/text()"):
        for value in doc.xpath(xpath)[:1]:
            meta.extend(_title_parts(value, names))
            whole.add(clean_text(value).lower())
    headings = []
    for h in doc.iter("h1"):
        if _hidden(h):
            continue
        text = spaced_text(h)
        # An h1 in the page's header band is chrome, unless the page's title repeats it whole:
        # then it is the page's subject (a job page's hero header).
        if _in_chrome(h) and (not text or text.lower() not in whole):
            continue
        if text and len(text) < 200 and text not in headings:
            headings.append(text)
    if not headings and not meta and not doc.xpath("//title"):
        # A fragment (a detail block loaded into a page) has no h1 and no <title>: its first
        # headings name it.
        for h in doc.iter("h2", "h3", "h4"):
            text = spaced_text(h)
            if text and len(text) < 200 and not _in_chrome(h) and not _hidden(h):
                headings.append(text)
            if len(headings) >= 3:
                break
        for el in doc.xpath('//*[contains(@class, "title") or contains(@class, "position") or contains(@class, "job-name")]'):
            text = spaced_text(el)
            if text and len(text) < 160 and text not in headings and not _in_chrome(el) and not _hidden(el):
                headings.append(text)
            if len(headings) >= 6:
                break
    meta_lower = {m.lower() for m in meta}
    scored = []
    for order, text in enumerate(headings):
        bonus = 3 if (text.lower() in meta_lower or text.lower() in whole
                      or any(text.lower() in m for m in meta_lower)) else 0
        if hint and text.lower() == hint.lower():
            bonus += 2
        scored.append((_role_score(text) + bonus, -order, text))
    for order, text in enumerate(meta):
        bonus = 2 if hint and text.lower() == hint.lower() else 0
        scored.append((_role_score(text) + bonus - 1, -order - 100, text))
    if hint:
        scored.append((_role_score(hint), -1000, hint))
    if not scored:
        return None
    scored.sort(reverse=True)
    return scored[0][2]


def is_posting(html: str, url: str, company: str | None = None) -> bool:
    """True when a page is itself one job posting: a role-like title and a posting's sections."""
    try:
        doc = lxml.html.fromstring(xml_safe(html))
    except (ValueError, lxml.etree.ParserError):
        return False
    from jobos.pages.listing import _GENDER, _ROLE_WORDS

    title = page_title(doc, url, company)
    if not title or _role_score(title) < 2 or not (_ROLE_WORDS.search(title) or _GENDER.search(title)):
        return False
    from jobos.pages.listing import _text as spaced_text

    body = doc.find(".//body")
    text = spaced_text(body if body is not None else doc)
    sections = {m.group(0).lower() for m in _POSTING_WORDS.finditer(text)}
    apply = bool(_APPLY_WORDS.search(text))
    return len(sections) >= 2 or (len(sections) >= 1 and apply)


def parse_detail(html: str, url: str, ctx: BoardContext, *, hint_title: str | None = None,
                 hint_location: str | None = None) -> JobItem | None:
    """Return the `method: html` record of a job page (None when no title can be seen)."""
    try:
        doc = lxml.html.fromstring(xml_safe(html))
    except (ValueError, lxml.etree.ParserError):
        return None
    title = page_title(doc, url, ctx.company, hint_title)
    if not title:
        return None
    location = (_hinted(doc, "jobLocation") or _labelled(doc, _LOCATION_LABEL)
                or _hinted(doc, "job-location") or hint_location
                or place_near_title(doc, title, _country_hint(ctx, url)))
    employment = _labelled(doc, _TYPE_LABEL) or _hinted(doc, "employmentType")
    posted = _labelled(doc, _DATE_LABEL) or _hinted(doc, "datePosted")
    main = main_content(doc)
    description_html = lxml.html.tostring(main, encoding="unicode", method="html")
    source = page_source(url)
    canonical = canonical_url(url)
    item = JobItem(
        company=ctx.company,
        company_domain=ctx.company_domain or (registrable_domain(url) if source.source == "website" else None),
        source=source.source,
        method="html",
        board=source.board,
        external_id=url_id(canonical),
        title=title,
        url=canonical,
        description_html=description_html,
        page_markdown=to_markdown(description_html),
        scraped_at=ctx.scraped_at,
        extraction_pending=False,
    )
    if location:
        item["location"] = location
    if employment:
        item["employment_type"] = employment
    if posted and len(posted) < 60:
        item["posted_text"] = posted
    apply_url = apply_link(doc, url)
    if apply_url:
        item["apply_url"] = apply_url
    item["provenance"] = {
        key: {"method": "html", "quote": item[key]}
        for key in ("title", "location", "employment_type", "posted_text", "apply_url") if key in item
    }
    return item


def listing_record(title: str, url: str, page_url: str, ctx: BoardContext, *, html: str | None = None,
                   location: str | None = None) -> JobItem:
    """Return the `method: html` record of a role the listing shows without a page to read.

    A role in an accordion or card (url: the listing + an anchor, html: its block), or one
    whose posting is a file: the record holds what the listing shows; its id is stable (the
    listing URL and the title), so the same role is the same job in the next crawl.
    """
    source = page_source(page_url)
    item = JobItem(
        company=ctx.company,
        company_domain=ctx.company_domain or (registrable_domain(page_url) if source.source == "website" else None),
        source=source.source,
        method="html",
        board=source.board,
        external_id=text_id(canonical_url(page_url), title),
        title=title,
        url=url,
        scraped_at=ctx.scraped_at,
        extraction_pending=False,
    )
    if html:
        try:
            block = lxml.html.fromstring(xml_safe(html))
            description_html = lxml.html.tostring(block, encoding="unicode", method="html")
            item["description_html"] = description_html
            item["page_markdown"] = to_markdown(description_html)
        except (ValueError, lxml.etree.ParserError):
            pass
    if location:
        item["location"] = location
    item["provenance"] = {key: {"method": "html", "quote": item[key]}
                          for key in ("title", "location") if key in item}
    return item
