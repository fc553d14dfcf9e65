"""Postings published as PDF files: which links of a page are PDF job ads, and their text.

Some small companies publish each opening as a PDF (often behind a flyer image with no text).
`pdf_links(html, url)` finds the same-site PDF links whose text or file name speaks of a job;
`read_pdf(body)` returns the text of a small PDF with pypdf (size, page and text limits: a PDF is
hostile input like any page); `posting_title(...)` picks the title: the link's text, else the
PDF's own first line, else words from the file name.
"""
from __future__ import annotations

import html
import io
import logging
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote, urlsplit

import lxml.html

from jobos.normalize.text import clean_text
from jobos.pages.common import absolute, canonical_url, registrable_domain

if TYPE_CHECKING:
    from jobos.items import JobItem

logger = logging.getLogger(__name__)

MAX_PDF_BYTES = 2 * 1024 * 1024  # larger files are not downloaded (the link's title is kept)
MAX_PAGES = 8
MAX_TEXT_CHARS = 40_000
MAX_PDF_LINKS = 50

# Words that make a PDF link (its text or file name) a job ad, in many languages.
_JOB_PDF = re.compile(
    r"stellen(ausschreibung|anzeige|angebot)|ausschreibung|job|karriere|career|vacanc|vacature|"
    r"offre[s]?[-_ ]d[-_ ]?emploi|emploi|empleo|vacante|oferta[-_ ]de[-_ ]trabajo|vaga|lavoro|"
    r"ausbildung|praktikum|werkstudent|trainee|stilling|tjänst|ledig|oferta[-_ ]pracy|og[łl]oszenie|"
    r"nab[íi]dka[-_ ]pr[áa]ce|volne[-_ ]misto|ty[öo]paikka|is[-_ ]ilan[ıi]|"
    r"\((?:[mwfdxhk]\s*/\s*){1,3}[mwfdxhk]\)|[_-](m[-_]?w[-_]?d|w[-_]?m[-_]?d|h[-_]?f|f[-_]?h|k[-_]?m|m[-_]?k)(?=[_.-])",
    re.I,
)
# Words a file name carries that are not part of the role's name.
_FILE_NOISE = re.compile(
    r"^(stellen(ausschreibung|anzeige|angebot)|ausschreibung|job(ad|anzeige|offer)?|karriere|career|"
    r"vacancy|vacature|offre|emploi|pdf|final|web|print|neu|new|flyer|aushang|jobflyer|download|"
    r"oferta|pracy|praca|og[łl]oszenie|nab[íi]dka|pr[áa]ce|vaga|vacante|empleo|lavoro|annonce|"
    r"ilan[ıi]?|ty[öo]paikka|stilling|stellenausschreibung|"
    r"v\d+|\d+|[a-z]{1,2})$",
    re.I,
)
_GENERIC_TEXT = re.compile(r"^(pdf|download|herunterladen|télécharger|descargar|download pdf|\(pdf\)|mehr|more)$",
                           re.I)


class PdfError(ValueError):
    """A PDF that is refused or cannot be read: the message says why."""


@dataclass
class PdfLink:
    """A link to a PDF job ad, with the text the page shows for it (None: an image only)."""

    url: str
    text: str | None = None


@dataclass
class PdfText:
    """What a PDF says: its metadata title, its text (cut at MAX_TEXT_CHARS) and page count."""

    title: str | None
    text: str
    pages: int


def _link_text(anchor) -> str | None:
    """Return what the page shows as a PDF link's title: its text, its image's alt/title, else a
    caption or heading beside it (a flyer image with a heading or <figcaption> above or below)."""
    text = clean_text(anchor.text_content()) or clean_text(anchor.get("title")) or clean_text(anchor.get("aria-label"))
    if not text:
        for img in anchor.iter("img"):
            text = clean_text(img.get("alt")) or clean_text(img.get("title"))
            if text:
                break
    if text:
        text = re.sub(r"\s*\((pdf|PDF)[^)]*\)\s*$", "", text).strip() or None
    if text and _GENERIC_TEXT.match(text):
        text = None
    return text or _caption_near(anchor)


_CAPTIONS = ("figcaption", "h1", "h2", "h3", "h4", "h5", "h6", "caption")


def _caption_near(anchor) -> str | None:
    """Return the caption or heading of the block that holds this link and no other."""
    el = anchor
    for _ in range(3):
        parent = el.getparent()
        if parent is None or parent.tag in ("body", "html") or len(parent.xpath(".//a[@href]")) > 1:
            break
        el = parent
        for caption in el.iter(*_CAPTIONS):
            text = clean_text(caption.text_content())
            if text and len(text) <= 150 and not _GENERIC_TEXT.match(text):
                return text
    return None


def _reads_like_role(text: str) -> bool:
    """True when a link's text names a role ("Spawacz MIG/MAG", "Elektroniker (m/w/d)")."""
    from jobos.pages.listing import _GENDER, _ROLE_WORDS

    return len(text) <= 120 and bool(_ROLE_WORDS.search(text) or _GENDER.search(text))


def pdf_links(html: str, page_url: str) -> list[PdfLink]:
    """Return the same-site PDF links of a page that are job ads (deduplicated, in order)."""
    try:
        doc = lxml.html.fromstring(html)
    except (ValueError, lxml.etree.ParserError):
        return []
    site = registrable_domain(page_url)
    found: dict[str, PdfLink] = {}
    for anchor in doc.iter("a"):
        url = absolute(anchor.get("href"), page_url)
        if not url or not urlsplit(url).path.lower().endswith(".pdf") or registrable_domain(url) != site:
            continue
        text = _link_text(anchor)
        name = unquote(urlsplit(url).path.rsplit("/", 1)[-1])
        if not (_JOB_PDF.search(name) or (text and (_JOB_PDF.search(text) or _reads_like_role(text)))):
            continue
        key = canonical_url(url)
        if key not in found:
            found[key] = PdfLink(key, text)
        elif text and not found[key].text:
            found[key].text = text
        if len(found) >= MAX_PDF_LINKS:
            break
    return list(found.values())


def read_pdf(body: bytes) -> PdfText:
    """Return the text of a small PDF; PdfError when it is too big, encrypted or unreadable."""
    if len(body) > MAX_PDF_BYTES:
        raise PdfError(f"the PDF has {len(body)} bytes, more than the {MAX_PDF_BYTES} read")
    if not body.startswith(b"%PDF-"):
        raise PdfError("the body is not a PDF (no %PDF- header)")
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    try:
        reader = PdfReader(io.BytesIO(body), strict=False)
        if reader.is_encrypted:
            raise PdfError("the PDF is encrypted")
        count = len(reader.pages)
        if count > MAX_PAGES:
            raise PdfError(f"the PDF has {count} pages, more than the {MAX_PAGES} read")
        parts: list[str] = []
        size = 0
        for page in reader.pages:
            text = page.extract_text() or ""
            parts.append(text)
            size += len(text)
            if size >= MAX_TEXT_CHARS:
                break
        meta = reader.metadata
        title = clean_text(meta.title) if meta is not None and meta.title else None
    except PdfError:
        raise
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError, RecursionError, OSError) as exc:
        raise PdfError(f"the PDF cannot be read: {exc!r}") from None
    text = "\n".join(parts)[:MAX_TEXT_CHARS]
    return PdfText(title=title, text=text, pages=count)


def first_line(text: str) -> str | None:
    """Return the first line of a PDF's text that can be a title (2-150 characters)."""
    for line in text.splitlines():
        line = clean_text(line)
        if line and 2 <= len(line) <= 150 and re.search(r"[^\W\d_]{2}", line):
            return line
    return None


# Parts of a file name that are no words of a title: dates (20251103, 2025-11-03, 03.11.2025),
# versions (v2, rev3), numbers and ids (a hash, "id4711").
_FILE_ID = re.compile(r"^(\d[\d.]*|v\d+|rev\d+|[a-f0-9]{8,}|[a-z]{0,3}\d{3,}[a-z]{0,3})$", re.I)


_DATE = re.compile(r"(?<!\d)(\d{1,2}[.-]\d{1,2}[.-]\d{2,4}|\d{4}[.-]\d{1,2}[.-]\d{1,2})(?!\d)")
_GENDER_PARTS = re.compile(r"^\(?([mwfdhk])[-/]([mwfdhk])(?:[-/]([mwfdx]))?\)?$", re.I)


def title_from_filename(url: str, company_words: tuple[str, ...] = ()) -> str | None:
    """Return the role named in a PDF's file name, without ad words, dates, versions and initials.

    Underscores, plus signs and spaces separate words; hyphens too, unless the name already uses
    underscores or spaces (then a hyphen joins a word: "Vertriebsmitarbeiter-Innendienst"). A
    gender marker keeps its form: "m-w-d" becomes "(m/w/d)".
    """
    name = unquote(urlsplit(url).path.rsplit("/", 1)[-1])
    name = re.sub(r"\.pdf$", "", name, flags=re.I)
    hyphens_separate = not re.search(r"[_\s+]", name)
    name = _DATE.sub("_", name)
    words = [w.strip("-.") for w in re.split(r"[-_\s+]+" if hyphens_separate else r"[_\s+]+", name)]
    words = [w for w in words if w]
    joined: list[str] = []
    for word in words:  # "elektroniker-m-w-d", "Koch_m_w_d": the marker's letters are one word again
        if re.fullmatch(r"[mwfdxhk]\)?", word, re.I) and joined and re.fullmatch(r"\(?[mwfdhk](/[mwfdhk])?", joined[-1], re.I):
            joined[-1] = joined[-1] + "/" + word
        else:
            joined.append(word)
    words = joined
    skip = {w.lower() for w in company_words}
    kept: list[str] = []
    for i, word in enumerate(words):
        gender = _GENDER_PARTS.match(word)
        if gender:
            kept.append("(" + "/".join(g for g in gender.groups() if g) + ")")
            continue
        if word.lower() in skip or _FILE_NOISE.match(word) or _FILE_ID.match(word):
            continue
        if i == 0 and len(words) > 1 and _FILE_NOISE.match(words[1]) and not _JOB_PDF.search(word):
            continue  # a leading company prefix ("acme_Stellenausschreibung_...")
        kept.append(word)
    if kept and kept[0].startswith("("):
        kept = kept[1:]  # a marker without the role it belongs to
    title = " ".join(kept).strip(" -_")
    return title or None


_PLACEHOLDER_TITLE = re.compile(r"^(untitled|microsoft word|document|dokument|\S+\.(docx?|indd|pdf))", re.I)


def posting_title(link: PdfLink, pdf: PdfText | None) -> str | None:
    """Return the posting's title: the link's text, else the PDF's title or first line, else the
    file name's words."""
    if link.text:
        return link.text
    if pdf is not None:
        if pdf.title and not _PLACEHOLDER_TITLE.match(pdf.title):
            return pdf.title
        line = first_line(pdf.text)
        if line:
            return line
    return title_from_filename(link.url)


def pdf_posting(url: str, title: str, pdf: PdfText | None, ctx: Any) -> JobItem:
    """Return the `method: html` record of a PDF posting: its title, the PDF's URL, its text."""
    from jobos.items import JobItem
    from jobos.pages.common import page_source, url_id

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
        scraped_at=ctx.scraped_at,
        extraction_pending=False,
    )
    if pdf is not None and pdf.text.strip():
        paragraphs = [clean_text(line) for line in pdf.text.splitlines()]
        item["description_html"] = "".join(f"<p>{html.escape(p)}</p>" for p in paragraphs if p)
        item["page_markdown"] = "\n\n".join(p for p in paragraphs if p)
    item["provenance"] = {"title": {"method": "html", "quote": title}}
    return item
