"""Description HTML -> markdown, sanitized HTML, and a page's main content for the LLM."""
from __future__ import annotations

import html as htmllib
import logging
import re

import lxml.html
import nh3
from lxml import etree
from markdownify import markdownify

logger = logging.getLogger(__name__)

# Elements that are never part of a job description.
_DROP_TAGS = (
    "script", "style", "noscript", "template", "nav", "header", "footer", "form", "button",
    "input", "select", "textarea", "svg", "iframe", "object", "embed", "canvas", "dialog",
    "link", "meta", "head",
)
# Cookie/consent banners and similar overlays, recognised by id/class/role words.
_BOILERPLATE = re.compile(
    r"(^|[\s_-])(cookie\w*|consent\w*|gdpr|onetrust|cookiebot|usercentrics|didomi|cmp|"
    r"privacy-banner|newsletter|modal|popup|skip-link|breadcrumb\w*|share|social|sidebar)"
    r"($|[\s_-])",
    re.I,
)
_SAFE_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "code", "dd", "div", "dl", "dt", "em", "h1", "h2",
    "h3", "h4", "h5", "h6", "hr", "i", "li", "ol", "p", "pre", "s", "small", "span", "strong",
    "sub", "sup", "table", "tbody", "td", "th", "thead", "tr", "u", "ul",
}
# Characters XML forbids: lxml's HTML parser keeps them in text, but its API refuses to set such
# text again (drop_tree moves a dropped node's tail), so they are removed before parsing.
_NOT_XML_CHARS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def xml_safe(text: str) -> str:
    """Return text without the characters XML forbids (NUL, C0 controls, lone surrogates)."""
    return _NOT_XML_CHARS.sub("", text)
_SAFE_ATTRIBUTES = {"a": {"href", "title"}, "td": {"colspan", "rowspan"}, "th": {"colspan", "rowspan"}}


def unescape_markup(text: str) -> str:
    """Return HTML that was entity-encoded once more (Greenhouse `content`) decoded to markup."""
    if re.search(r"&lt;/?[a-zA-Z]", text) and not re.search(r"<(p|div|ul|li|br|span|h\d|a)\b", text, re.I):
        return htmllib.unescape(text)
    return text


def _parse(markup: str) -> lxml.html.HtmlElement | None:
    try:
        root = lxml.html.fromstring(markup)
    except (etree.ParserError, ValueError):
        return None
    return root


def drop_node(node: etree._Element) -> None:
    """Remove a node and its subtree from its parent, keeping its tail text; returns nothing.

    A node without a parent is left alone: lxml's drop_tree asserts on one. Mutated or odd pages
    produce them ("<!EOCTYPE html>" parses as a comment beside the root element, not inside it),
    and they are not serialized with the root anyway.
    """
    parent = node.getparent()
    if parent is None:
        return
    if hasattr(node, "drop_tree"):
        node.drop_tree()
        return
    # Plain lxml nodes (no HtmlMixin): what drop_tree does, by hand.
    if node.tail:
        previous = node.getprevious()
        if previous is not None:
            previous.tail = (previous.tail or "") + node.tail
        else:
            parent.text = (parent.text or "") + node.tail
    parent.remove(node)


def _strip_boilerplate(root: lxml.html.HtmlElement) -> None:
    # Only nodes inside root: "//" would also reach the root's siblings (a comment before
    # <html>, the <head> of a fragment's document), which have no parent or are never output.
    for node in root.xpath(".//comment() | .//processing-instruction()"):
        drop_node(node)
    # Lists, not live iterators: dropping while lxml iterates can skip or revisit nodes.
    for el in list(root.iter(*_DROP_TAGS)):
        if el is not root:
            drop_node(el)
    for el in list(root.iter()):
        if el is root or not isinstance(el.tag, str):
            continue
        words = " ".join(filter(None, (el.get("id"), el.get("class"), el.get("role"), el.get("aria-label"))))
        if words and _BOILERPLATE.search(words):
            drop_node(el)
        elif el.get("aria-hidden") == "true" or el.get("hidden") is not None:
            drop_node(el)
    # A javascript:/data: link must not survive as a markdown link either.
    for a in root.iter("a"):
        href = (a.get("href") or "").strip().lower()
        if href and not re.match(r"(https?:|mailto:|/|#|\w[\w.-]*(/|$))", href) or href.startswith(("javascript:", "data:", "vbscript:")):
            del a.attrib["href"]


def _clean_tree(markup: str) -> lxml.html.HtmlElement | None:
    if not markup or not markup.strip():
        return None
    root = _parse(xml_safe(unescape_markup(markup)))
    if root is None:
        return None
    _strip_boilerplate(root)
    return root


def _markdown_of(root: lxml.html.HtmlElement) -> str:
    fragment = lxml.html.tostring(root, encoding="unicode")
    text = markdownify(fragment, heading_style="ATX", bullets="-", strip=["img"])
    # markdownify keeps runs of blank lines and trailing spaces from the source layout.
    text = re.sub(r"[ \t\u00a0]+\n", "\n", text)
    text = re.sub(r"\n{3,}", "\n\n", text)
    return text.strip()


def to_markdown(markup: str | None) -> str:
    """Return description HTML as markdown (headings, lists, links kept; boilerplate dropped)."""
    if not markup or not isinstance(markup, str):
        return ""
    root = _clean_tree(markup)
    return _markdown_of(root) if root is not None else ""


def sanitize_html(markup: str | None) -> str:
    """Return HTML safe to show: no scripts, styles, event handlers or javascript: URLs."""
    if not markup or not isinstance(markup, str):
        return ""
    return nh3.clean(
        unescape_markup(markup),
        tags=_SAFE_TAGS,
        attributes=_SAFE_ATTRIBUTES,
        clean_content_tags={
            "script", "style", "noscript", "template", "svg", "iframe", "object", "nav", "form",
            "button", "select", "textarea",
        },
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener nofollow noreferrer",
        strip_comments=True,
    ).strip()


def _text_len(el: lxml.html.HtmlElement) -> int:
    return len(" ".join(el.text_content().split()))


def _link_density(el: lxml.html.HtmlElement) -> float:
    total = _text_len(el) or 1
    linked = sum(_text_len(a) for a in el.iter("a"))
    return linked / total


def main_content(markup: str | None) -> str:
    """Return the page's main content as markdown: <main>/<article>/role=main, else the largest
    text block with few links, without navigation, banners and forms (input for the LLM)."""
    if not markup or not isinstance(markup, str):
        return ""
    root = _clean_tree(markup)
    if root is None:
        return ""
    for path in ("//main", "//*[@role='main']", "//article"):
        found = [el for el in root.xpath(path) if _text_len(el) >= 200]
        if found:
            return _markdown_of(max(found, key=_text_len))
    body = root.find(".//body")
    body = body if body is not None else root
    best, best_score = body, 0.0
    total = _text_len(body) or 1
    for el in body.iter("div", "section", "td"):
        length = _text_len(el)
        if length < 200:
            continue
        # Prefer the deepest block that still holds most of the page's prose.
        score = length * (1 - _link_density(el))
        if score >= best_score * 0.9 and length >= 0.5 * total * (1 - _link_density(body)):
            best, best_score = el, score
    return _markdown_of(best)
