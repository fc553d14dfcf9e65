"""Plain-text cleaning shared by every normalizer."""
from __future__ import annotations

import html
import re
import unicodedata

# Zero-width and formatting characters that sneak into ATS text (ZWSP, ZWNJ, ZWJ, BOM, soft hyphen).
_INVISIBLE = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00ad]")
_WHITESPACE = re.compile(r"\s+")


def clean_text(value: object) -> str | None:
    """Return the text with entities unescaped, NFC-normalized, invisible chars removed and
    whitespace collapsed; None for empty or non-text values."""
    if value is None:
        return None
    if not isinstance(value, str):
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            value = str(value)
        else:
            return None
    text = value
    # Entities can be encoded twice ("&amp;amp;"): unescape until stable (bounded).
    for _ in range(3):
        unescaped = html.unescape(text)
        if unescaped == text:
            break
        text = unescaped
    text = unicodedata.normalize("NFC", _INVISIBLE.sub("", text))
    text = _WHITESPACE.sub(" ", text.replace("\u00a0", " ")).strip()
    return text or None
