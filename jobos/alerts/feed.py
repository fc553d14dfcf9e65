"""The Atom feed of one saved search (built with lxml, which escapes every text it writes)."""
from __future__ import annotations

from lxml import etree

ATOM = "http://www.w3.org/2005/Atom"
_CHANGE = {"new": "New", "changed": "Changed", "closed": "Closed"}


def _el(parent: etree._Element, tag: str, text: str | None = None, **attrs: str) -> etree._Element:
    node = etree.SubElement(parent, f"{{{ATOM}}}{tag}", {k: v for k, v in attrs.items() if v is not None})
    if text is not None:
        node.text = text
    return node


def _clean(text: str | None) -> str:
    # XML 1.0 cannot carry most control characters: a job's text must not break the feed.
    return "".join(ch for ch in (text or "") if ch in "\t\n\r" or ord(ch) >= 0x20)


def event_line(event: dict) -> str:
    """Return an alert in words: 'New: Python Developer at Acme (Berlin)'."""
    p = event["payload"]
    place = p.get("location_display") or p.get("location")  # alerts stored before it: as published
    where = f" ({place})" if place else ""
    line = f"{_CHANGE.get(event['change'], event['change'])}: {p.get('title') or ''} at {p.get('company') or ''}{where}"
    if event["change"] == "changed" and p.get("changed_fields"):
        line += f" [{', '.join(p['changed_fields'])}]"
        before = p.get("before") or {}
        if before.get("title") and before["title"] != p.get("title"):
            line += f" (was: {before['title']})"
    return line


def build_feed(search: dict, events: list[dict], feed_url: str) -> bytes:
    """Return the Atom document (UTF-8) of a saved search's alerts, newest first."""
    root = etree.Element(f"{{{ATOM}}}feed", nsmap={None: ATOM})
    _el(root, "id", f"urn:jobos:saved-search:{search['id']}:{search['feed_token'][:8]}")
    _el(root, "title", _clean(f"JobOS: {search['name']}"))
    _el(root, "updated", events[0]["created_at"] if events else search["created_at"])
    _el(root, "link", rel="self", href=feed_url)
    _el(_el(root, "author"), "name", "JobOS")
    for event in events:
        entry = _el(root, "entry")
        _el(entry, "id", f"urn:jobos:alert:{event['id']}")
        _el(entry, "title", _clean(event_line(event)))
        _el(entry, "updated", event["created_at"])
        url = event["payload"].get("url")
        if url and url.startswith(("http://", "https://")):
            _el(entry, "link", href=url)
        _el(entry, "summary", _clean(event_line(event)), type="text")
    return etree.tostring(root, xml_declaration=True, encoding="utf-8")
