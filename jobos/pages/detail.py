"""A job detail page without structured data -> a record of what the page clearly shows.

Title (h1, else og:title), location and employment type from labelled elements ("Standort:",
"Location", itemprop/class hints), the main content as description HTML and as markdown for the
LLM tier. The record is `method: html`: the LLM pipeline fills the rest later.
"""
from __future__ import annotations

import copy
import logging
import re

import lxml.html

from jobos.ats.base import BoardContext
from jobos.items import JobItem
from jobos.normalize.html import drop_node, xml_safe
from jobos.normalize.text import clean_text
from jobos.pages.common import canonical_url, page_source, registrable_domain, url_id

logger = logging.getLogger(__name__)

_LOCATION_LABEL = re.compile(
    r"^(location|job location|work location|standort|einsatzort|arbeitsort|dienstort|ort|lieu|"
    r"lieu de travail|localisation|ubicación|ubicacion|localidad|locatie|werklocatie|standplaats|"
    r"sede|luogo di lavoro|localização|local de trabalho|arbeidssted|sted|arbetsort|ort för arbete)\s*:?$",
    re.I,
)
_TYPE_LABEL = re.compile(
    r"^(employment type|job type|type|contract type|anstellungsart|beschäftigungsart|arbeitszeit|"
    r"vertragsart|type de contrat|contrat|tipo de contrato|jornada|dienstverband|contratto|"
    r"tipo de contrato|stillingstype|anställningsform|ansættelsestype)\s*:?$",
    re.I,
)
_INLINE_LABEL = re.compile(r"^\s*([^:]{2,30}):\s*(.{2,120})$")
_DROP_TAGS = ("script", "style", "noscript", "nav", "header", "footer", "form", "iframe", "svg",
              "template", "button")
_DROP_HINT = re.compile(r"cookie|consent|newsletter|share|social|breadcrumb|related|similar|"
                        r"(^|[\s_-])(nav|menu|footer|header|sidebar)([\s_-]|$)", re.I)
_MAIN_HINT = re.compile(r"job-?(description|detail|content|posting|ad)|stellen(anzeige|beschreibung)|"
                        r"vacancy|description|entry-content|post-content|article", re.I)


def _text(node) -> str:
    return clean_text(node.text_content()) or ""


def _labelled(doc, label: re.Pattern[str]) -> str | None:
    """Return the value next to a label: <dt>/<dd>, <th>/<td>, "<b>Standort:</b> Berlin", or "Standort: Berlin"."""
    for el in doc.iter("dt", "th", "strong", "b", "span", "label", "div", "p", "li", "h4", "h5"):
        own = clean_text((el.text or "")) or ""
        text = _text(el)
        if label.match(own) or (label.match(text) and len(text) < 40):
            sibling = el.getnext()
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


def parse_detail(html: str, url: str, ctx: BoardContext, *, hint_title: str | None = None,
                 hint_location: str | None = None) -> JobItem | None:
    """Return the `method: html` record of a job page (None when no title can be seen)."""
    try:
        doc = lxml.html.fromstring(xml_safe(html))
    except (ValueError, lxml.etree.ParserError):
        return None
    h1 = doc.find(".//h1")
    title = _text(h1) if h1 is not None else None
    if not title:
        og = doc.xpath('//meta[@property="og:title"]/@content')
        title = clean_text(og[0]) if og else hint_title
    if not title:
        return None
    location = (_hinted(doc, "jobLocation") or _labelled(doc, _LOCATION_LABEL)
                or _hinted(doc, "job-location") or hint_location)
    employment = _labelled(doc, _TYPE_LABEL) or _hinted(doc, "employmentType")
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
    item["provenance"] = {
        key: {"method": "html", "quote": item[key]}
        for key in ("title", "location", "employment_type") if key in item
    }
    return item
